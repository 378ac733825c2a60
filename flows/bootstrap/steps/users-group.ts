import { AttachGroupPolicyCommand, CreateGroupCommand, ListAttachedGroupPoliciesCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { BootstrapContext } from '../context.js';
import { REQUIRE_MFA_POLICY_NAME, requireMfaPolicyArn } from './require-mfa-policy.js';

/** Group `Users` with RequireMFAPolicy attached. */
export const usersGroup: Step<BootstrapContext> = {
  id: 'users-group',
  title: 'Users group (MFA required)',
  plan: (c) => `iam:CreateGroup ${c.names.usersGroup} + attach ${REQUIRE_MFA_POLICY_NAME}`,
  async probe(c) {
    const iam = await c.iam();
    const attached = await tolerate('not-found', () => iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: c.names.usersGroup }), { abortSignal: c.signal }));
    const arn = requireMfaPolicyArn(c.account());
    return attached?.AttachedPolicies?.some((p) => p.PolicyArn === arn) ? { group: c.names.usersGroup } : undefined;
  },
  async apply(c) {
    const iam = await c.iam();
    await tolerate('already-exists', () => iam.send(new CreateGroupCommand({ GroupName: c.names.usersGroup }), { abortSignal: c.signal }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: c.names.usersGroup, PolicyArn: requireMfaPolicyArn(c.account()) }), { abortSignal: c.signal });
    return { group: c.names.usersGroup };
  },
};
