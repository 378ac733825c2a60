import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type Service, type TaskDefinition } from '@aws-sdk/client-ecs';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import { SlipwayError, UsageError } from '../../../src/engine/errors.js';
import { checkStep } from '../../shared/check-step.js';
import type { RolloutContext } from '../../rollout/context.js';
import { missingExecActions } from '../policy.js';

/** The environment's service as ECS has it now: slipway exec changes nothing it does not have to. */
export async function currentService(c: RolloutContext): Promise<Service> {
  const described = await tolerate('not-found', () => c.ecs().then((ecs) => ecs.send(new DescribeServicesCommand({ cluster: c.names.cluster, services: [c.names.service] }), { abortSignal: c.signal })));
  const service = described?.services?.find((s) => s.status === 'ACTIVE');
  if (!service?.taskDefinition) {
    throw new SlipwayError(`Nothing is deployed in ${c.settings.env} yet.`, {
      why: `There is no service ${c.names.service} in cluster ${c.names.cluster}; ECS Exec opens a session in one of its tasks.`,
      fix: `Roll the environment out first: slipway rollout --env ${c.settings.env}`,
    });
  }
  return service;
}

export async function describeDefinition(c: RolloutContext, arn: string): Promise<TaskDefinition> {
  const out = await (await c.ecs()).send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }), { abortSignal: c.signal });
  if (!out.taskDefinition) throw new SlipwayError(`ECS does not describe ${arn}.`);
  return Object.assign(out.taskDefinition, { tags: out.tags });
}

/** The container a session opens in: slipway's own (`app`), else the first essential one. */
export function containerOf(c: RolloutContext, definition: TaskDefinition): string {
  const containers = definition.containerDefinitions ?? [];
  return (containers.find((k) => k.name === c.names.container) ?? containers.find((k) => k.essential ?? true) ?? containers[0])?.name ?? c.names.container;
}

/** Every policy document of a role (inline and attached), as IAM returns them. */
export async function rolePolicyDocuments(c: RolloutContext, roleName: string): Promise<string[] | undefined> {
  const iam = await c.iam();
  const inline = await tolerate('not-found', () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName }), { abortSignal: c.signal }));
  if (!inline) return undefined;
  const docs: string[] = [];
  for (const name of inline.PolicyNames ?? []) {
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }), { abortSignal: c.signal });
    if (got.PolicyDocument) docs.push(got.PolicyDocument);
  }
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }), { abortSignal: c.signal });
  for (const p of attached.AttachedPolicies ?? []) {
    const policy = (await tolerate('not-found', () => iam.send(new GetPolicyCommand({ PolicyArn: p.PolicyArn }), { abortSignal: c.signal })))?.Policy;
    if (!policy?.DefaultVersionId) continue;
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.PolicyArn, VersionId: policy.DefaultVersionId }), { abortSignal: c.signal });
    if (version.PolicyVersion?.Document) docs.push(version.PolicyVersion.Document);
  }
  return docs;
}

export const roleNameOf = (arn: string) => arn.split('/').pop() ?? arn;

/** Fargate runs ECS Exec's agent from platform version 1.4.0 on (LATEST is newer). */
export function platformTooOld(version: string | undefined): boolean {
  if (!version || version === 'LATEST') return false;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 1 || (major === 1 && minor < 4);
}

/**
 * Where ECS Exec stands for the environment, read-only: the service's enableExecuteCommand, its task
 * definition's task role and whether that role lets the agent open its channels. What is missing is
 * what the next steps enable.
 */
export const execState = checkStep<RolloutContext>('exec-state', 'ECS Exec on the service', async (c) => {
  if (c.environment().launchType === 'EXPRESS') {
    throw new UsageError(`${c.settings.env} runs on ECS Express Mode: slipway exec does not open sessions there yet.`, {
      why: 'Express Mode makes and manages the service and its task definition itself; slipway changes neither behind its back.',
      fix: 'Use `aws ecs execute-command` after enabling exec in the console, or roll out a Fargate environment.',
    });
  }
  const service = await currentService(c);
  const definition = await describeDefinition(c, service.taskDefinition!);
  const taskRoleArn = definition.taskRoleArn ?? '';
  const docs = taskRoleArn ? await rolePolicyDocuments(c, roleNameOf(taskRoleArn)) : undefined;
  const missing = docs ? missingExecActions(docs) : [];
  const roleAllows = Boolean(taskRoleArn && docs && missing.length === 0);
  const serviceEnabled = service.enableExecuteCommand === true;
  const platformVersion = service.platformVersion ?? '';
  c.report.log(
    serviceEnabled && roleAllows
      ? `ECS Exec is on for ${c.names.service} (task role ${roleNameOf(taskRoleArn)}).`
      : `ECS Exec is off for ${c.names.service}: ${[!serviceEnabled && 'enableExecuteCommand is false', !taskRoleArn && 'the task definition has no task role', taskRoleArn && !docs && `the task role ${roleNameOf(taskRoleArn)} does not exist`, taskRoleArn && docs && missing.length > 0 && `the task role lacks ${missing.join(', ')}`].filter(Boolean).join('; ')}.`,
  );
  return {
    serviceArn: service.serviceArn ?? '',
    taskDefinitionArn: service.taskDefinition ?? '',
    revision: `${definition.family}:${definition.revision}`,
    container: containerOf(c, definition),
    taskRoleArn,
    roleAllows,
    missing,
    serviceEnabled,
    launchType: service.launchType ?? (service.capacityProviderStrategy?.length ? 'EC2' : 'FARGATE'),
    platformVersion,
  };
});

/** Everything ECS Exec needs is in place already. */
export const execReady = (c: RolloutContext) => c.output<boolean>('exec-state', 'serviceEnabled') && c.output<boolean>('exec-state', 'roleAllows') && !platformTooOld(c.output('exec-state', 'platformVersion'));
