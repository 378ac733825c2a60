import { CreateGroupCommand, GetGroupPolicyCommand, PutGroupPolicyCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { assumeAdminRolePolicy, parsePolicyDocument, samePolicy } from '../../../recipes/iam/policies.js';
import type { BootstrapContext } from '../context.js';

export const ASSUME_POLICY_NAME = 'AssumeAdminRole';

/** Group `Administrators`: its members may assume the admin role (with MFA, as the role's trust says). */
export const adminGroup: Step<BootstrapContext> = {
  id: 'admin-group',
  title: 'Administrators group',
  plan: (c) => `iam:CreateGroup ${c.names.adminGroup} + inline policy ${ASSUME_POLICY_NAME} (sts:AssumeRole on ${c.names.roleName})`,
  async probe(c) {
    const iam = await c.iam();
    const policy = await tolerate('not-found', () => iam.send(new GetGroupPolicyCommand({ GroupName: c.names.adminGroup, PolicyName: ASSUME_POLICY_NAME }), { abortSignal: c.signal }));
    if (!policy?.PolicyDocument) return undefined;
    const wanted = assumeAdminRolePolicy(c.account(), c.names.roleName);
    return samePolicy(parsePolicyDocument(policy.PolicyDocument), wanted) ? { group: c.names.adminGroup } : undefined;
  },
  async apply(c) {
    const iam = await c.iam();
    await tolerate('already-exists', () => iam.send(new CreateGroupCommand({ GroupName: c.names.adminGroup }), { abortSignal: c.signal }));
    await iam.send(
      new PutGroupPolicyCommand({ GroupName: c.names.adminGroup, PolicyName: ASSUME_POLICY_NAME, PolicyDocument: JSON.stringify(assumeAdminRolePolicy(c.account(), c.names.roleName)) }),
      { abortSignal: c.signal },
    );
    return { group: c.names.adminGroup };
  },
};
