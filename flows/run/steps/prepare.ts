import { randomUUID } from 'node:crypto';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { tolerate } from '../../../src/aws/errors.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Outputs, Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { parseCommand } from '../command.js';

/** The command of this run, as words. */
export function commandOf(c: RolloutContext): string[] {
  return parseCommand(String(c.answers.command ?? '')) ?? [];
}

/**
 * What the one-off task runs as (reference §8): the revision the environment's service runs now, in
 * the service's subnets and security groups. Journaled with a key of this run's own, so a resumed run
 * keeps its revision and finds the task it started; the same answers after a finished run start anew.
 */
export const prepare: Step<RolloutContext> = {
  id: 'prepare',
  title: 'The service’s task definition and network',
  // Another command after an unfinished run is another run: it must not adopt that run's task.
  inputs: (c) => ({ command: commandOf(c) }),
  plan: (c) => `ecs:DescribeServices ${c.names.service}: its task definition and network configuration`,
  // It only reads: a --plan reads it too (failing, as the run would, when nothing is deployed).
  readOnly: true,
  async probe(c) {
    // A --plan reads what apply would read (it only reads): the task's plan needs it.
    if (c.planning) return readService(c);
    const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
    // Another command after an unfinished run is another run: it must not adopt that run's task.
    if (typeof earlier?.runKey === 'string' && JSON.stringify(earlier.command) === JSON.stringify(commandOf(c))) return earlier;
    return undefined;
  },
  apply: (c) => readService(c),
};

/** The service's task definition, container and network: what a one-off task runs with. */
async function readService(c: RolloutContext): Promise<Outputs> {
  const ecs = await c.ecs();
  const service = await deployedService(c);
  const definition = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }), { abortSignal: c.signal })).taskDefinition;
  const containers = definition?.containerDefinitions ?? [];
  const container = containers.find((k) => k.name === c.names.container) ?? containers.find((k) => k.essential ?? true) ?? containers[0];
  const logOptions = container?.logConfiguration?.logDriver === 'awslogs' ? (container.logConfiguration.options ?? {}) : {};
  const awsvpc = service.networkConfiguration?.awsvpcConfiguration;
  const revision = `${definition?.family ?? c.names.family}:${definition?.revision ?? '?'}`;
  c.report.log(`${revision} in ${awsvpc?.subnets?.length ?? 0} subnets, public IP ${awsvpc?.assignPublicIp === 'ENABLED' ? 'on' : 'off'}`);
  return {
    taskDefinitionArn: service.taskDefinition,
    revision,
    container: container?.name ?? c.names.container,
    subnets: awsvpc?.subnets ?? [],
    securityGroups: awsvpc?.securityGroups ?? [],
    assignPublicIp: awsvpc?.assignPublicIp ?? 'DISABLED',
    logGroup: logOptions['awslogs-group'] ?? '',
    logStreamPrefix: logOptions['awslogs-stream-prefix'] ?? '',
    command: commandOf(c),
    runKey: randomUUID(),
  } satisfies Outputs;
}

/** The environment's ACTIVE service with its task definition; a SlipwayError naming the fix when there is none. */
async function deployedService(c: RolloutContext) {
  const ecs = await c.ecs();
  const described = await tolerate('not-found', () => ecs.send(new DescribeServicesCommand({ cluster: c.names.cluster, services: [c.names.service] }), { abortSignal: c.signal }));
  const service = described?.services?.find((s) => s.status === 'ACTIVE');
  if (!service?.taskDefinition) {
    throw new SlipwayError(`Nothing is deployed in ${c.settings.env} yet.`, {
      why: `There is no service ${c.names.service} in cluster ${c.names.cluster}; a one-off task runs with the service’s task definition and network.`,
      fix: `Roll the environment out first: slipway rollout --env ${c.settings.env}`,
    });
  }
  return service as typeof service & { taskDefinition: string };
}
