import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { AdministratorAccessArn, adminTrustPolicy, parsePolicyDocument, samePolicy } from '../../../recipes/iam/policies.js';
import type { BootstrapContext } from '../context.js';
import { MANAGED_TAGS } from '../tags.js';

/** Role `admin`: trusted by the account only with MFA, AdministratorAccess attached. */
export const adminRole: Step<BootstrapContext> = {
  id: 'admin-role',
  title: 'Admin role behind MFA',
  plan: (c) => `iam:CreateRole ${c.names.roleName} (trust: this account with MFA) + AdministratorAccess`,
  async probe(c) {
    const iam = await c.iam();
    const role = (await tolerate('not-found', () => iam.send(new GetRoleCommand({ RoleName: c.names.roleName }), { abortSignal: c.signal })))?.Role;
    if (!role?.Arn) return undefined;
    const trustOk = samePolicy(parsePolicyDocument(role.AssumeRolePolicyDocument ?? '{}'), adminTrustPolicy(c.account()));
    const attached = await attachedPolicies(c);
    return trustOk && attached.includes(AdministratorAccessArn) ? { roleArn: role.Arn } : undefined;
  },
  async apply(c) {
    const iam = await c.iam();
    const trust = JSON.stringify(adminTrustPolicy(c.account()));
    const created = await tolerate('already-exists', () =>
      iam.send(new CreateRoleCommand({ RoleName: c.names.roleName, AssumeRolePolicyDocument: trust, Description: 'Administrator role, assumable only with MFA (slipway)', Tags: MANAGED_TAGS }), { abortSignal: c.signal }),
    );
    if (!created) {
      c.report.log(`Role ${c.names.roleName} exists; setting its trust to "this account, with MFA".`);
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: c.names.roleName, PolicyDocument: trust }), { abortSignal: c.signal });
    }
    if (!(await attachedPolicies(c)).includes(AdministratorAccessArn)) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: c.names.roleName, PolicyArn: AdministratorAccessArn }), { abortSignal: c.signal });
    }
    return { roleArn: `arn:aws:iam::${c.account()}:role/${c.names.roleName}` };
  },
};

async function attachedPolicies(c: BootstrapContext): Promise<string[]> {
  const out = await (await c.iam()).send(new ListAttachedRolePoliciesCommand({ RoleName: c.names.roleName }), { abortSignal: c.signal });
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}
