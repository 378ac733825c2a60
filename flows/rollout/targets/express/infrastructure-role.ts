import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../../src/aws/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { targetNames } from '../names.js';

export const EXPRESS_INFRASTRUCTURE_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices';

function ecsTrustPolicy(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
}

/**
 * The infrastructure role ECS Express Mode makes the load balancer, certificate, security groups and
 * scaling with (rollout reference §12): `<app>-<env>-ecs-infrastructure`, trusting ecs.amazonaws.com,
 * with AmazonECSInfrastructureRoleforExpressGatewayServices.
 */
export const infrastructureRole: Step<RolloutContext> = {
  id: 'infrastructure-role',
  title: 'Infrastructure role for Express Mode',
  plan: (c) => `iam:CreateRole ${name(c)} (trust: ecs) + AmazonECSInfrastructureRoleforExpressGatewayServices`,
  async probe(c) {
    const iam = await c.iam();
    const role = (await tolerate('not-found', () => iam.send(new GetRoleCommand({ RoleName: name(c) }), { abortSignal: c.signal })))?.Role;
    if (!role?.Arn || !(await attached(c)).includes(EXPRESS_INFRASTRUCTURE_POLICY_ARN)) return undefined;
    if (!decodeURIComponent(role.AssumeRolePolicyDocument ?? '').includes('ecs.amazonaws.com')) {
      c.report.log(`${name(c)} does not trust ecs.amazonaws.com; Express Mode will not be able to use it. Fix its trust policy or delete it.`, 'warn');
    }
    return { roleArn: role.Arn, createdAt: role.CreateDate?.getTime() ?? 0 };
  },
  async apply(c) {
    const iam = await c.iam();
    const created = await tolerate('already-exists', () =>
      iam.send(
        new CreateRoleCommand({ RoleName: name(c), AssumeRolePolicyDocument: ecsTrustPolicy(), Description: `ECS Express Mode infrastructure role of ${c.settings.app} ${c.settings.env} (slipway)`, Tags: c.tags }),
        { abortSignal: c.signal },
      ),
    );
    const role = created?.Role ?? (await iam.send(new GetRoleCommand({ RoleName: name(c) }), { abortSignal: c.signal })).Role;
    if (!(await attached(c)).includes(EXPRESS_INFRASTRUCTURE_POLICY_ARN)) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: name(c), PolicyArn: EXPRESS_INFRASTRUCTURE_POLICY_ARN }), { abortSignal: c.signal });
    }
    return { roleArn: role?.Arn ?? '', createdAt: role?.CreateDate?.getTime() ?? Date.now() };
  },
};

const name = (c: RolloutContext) => targetNames(c.settings.app, c.settings.env).infrastructureRole;

async function attached(c: RolloutContext): Promise<string[]> {
  const out = await (await c.iam()).send(new ListAttachedRolePoliciesCommand({ RoleName: name(c) }), { abortSignal: c.signal });
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}
