import { createHash } from 'node:crypto';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type NetworkConfiguration,
  type Service,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { tolerate } from '../../../src/aws/errors.js';
import { retryWhileNotReady } from '../../../src/aws/waiters.js';
import type { Outputs, Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { ecsServiceChanges } from './approval.js';

/**
 * The ECS service: created with the deployment circuit breaker (so a bad image rolls back instead of
 * retrying forever) and a client token, or updated to the new revision. The deployment ECS starts is
 * recorded: the watch follows exactly that one, and a resumed rollout re-attaches to it instead of
 * starting a second deployment of the same revision.
 */
export const service: Step<RolloutContext> = {
  id: 'service',
  title: 'Service deployment',
  inputs: serviceInputs,
  plan: (c) => `ecs:CreateService/UpdateService ${c.names.service} → ${c.names.family}:${c.output('task-definition', 'revision')}`,
  planChanges: (c) => ecsServiceChanges(c),
  async probe(c) {
    const current = await describe(c);
    return current ? deploymentToFollow(c, current) : undefined;
  },
  async apply(c) {
    const current = await describe(c);
    const env = c.environment();
    return deployService(c, current, {
      create: { launchType: 'FARGATE', platformVersion: 'LATEST' },
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: c.output<string[]>('network', 'subnets'),
          securityGroups: [c.output('task-security-group', 'groupId')],
          assignPublicIp: env.network.public ? 'ENABLED' : 'DISABLED',
        },
      },
    });
  },
};

/** A deployment recorded by an earlier run is followed only for the same revision and count. */
export function serviceInputs(c: RolloutContext) {
  return { taskDefinition: c.output('task-definition', 'arn'), desiredCount: c.environment().desiredCount, force: c.settings.force };
}

/** Where a target puts the service's tasks: what its CreateService/UpdateService add to the common request. */
export interface ServicePlacement {
  /** Only at creation: a launch type (Fargate), or a strategy and placement (EC2 capacity). */
  create: Partial<CreateServiceCommandInput>;
  /** Sent again on every update (a capacity provider strategy). */
  update?: Partial<UpdateServiceCommandInput>;
  networkConfiguration: NetworkConfiguration;
  /** Added to the client token, so another target's create is another request. */
  tokenPart?: string;
  /** For the log line: " on <capacity provider>". */
  where?: string;
}

/**
 * Creates the service (circuit breaker with rollback, a client token) or updates it to the new
 * revision, waiting visibly while IAM has not yet let ECS use a new execution role; returns the
 * deployment ECS started, which the watch follows.
 */
export async function deployService(c: RolloutContext, current: Service | undefined, placement: ServicePlacement): Promise<Outputs> {
  const ecs = await c.ecs();
  const revision = c.output('task-definition', 'arn');
  const env = c.environment();
  const common = {
    cluster: c.names.cluster,
    taskDefinition: revision,
    desiredCount: env.desiredCount,
    networkConfiguration: placement.networkConfiguration,
    healthCheckGracePeriodSeconds: env.healthCheckGracePeriodSeconds,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
  };
  const send = async (): Promise<Service | undefined> => {
    if (!current) {
      const token = clientToken(c.account(), c.names.cluster, c.names.service, revision, ...(placement.tokenPart ? [placement.tokenPart] : []));
      const out = await ecs.send(
        new CreateServiceCommand({
          ...common,
          ...placement.create,
          serviceName: c.names.service,
          loadBalancers: [{ targetGroupArn: c.output('target-group', 'arn'), containerName: c.names.container, containerPort: env.containerPort }],
          deploymentController: { type: 'ECS' },
          propagateTags: 'SERVICE',
          enableECSManagedTags: true,
          tags: c.tags.map((t) => ({ key: t.Key, value: t.Value })),
          clientToken: token,
        }),
        { abortSignal: c.signal },
      );
      return out.service;
    }
    const out = await ecs.send(
      new UpdateServiceCommand({
        ...common,
        ...placement.update,
        service: c.names.service,
        // The same revision again (a retry after a failed deployment, or --force): ECS needs to be told to redeploy.
        forceNewDeployment: c.settings.force || (current.taskDefinition === revision && failureWasShown(c)),
      }),
      { abortSignal: c.signal },
    );
    return out.service;
  };
  const result = await retryWhileNotReady(send, { retryOn: ['not-propagated'], waitingFor: 'waiting for IAM to let ECS use the new execution role', report: c.report, signal: c.signal, budgetMs: 120_000 });
  const primary = result?.deployments?.find((d) => d.status === 'PRIMARY');
  c.report.log(`${current ? 'Updated' : 'Created'} service ${c.names.service}${placement.where ?? ''}; deployment ${primary?.id}`);
  // `started`: this run began the deployment (a resume re-attaching to it keeps the flag); a deployment
  // merely found on the service has none — the summary then says nothing changed.
  return { serviceArn: result?.serviceArn ?? '', deploymentId: primary?.id ?? '', taskDefinitionArn: revision, created: !current, started: true } satisfies Outputs;
}

/**
 * The service's deployment of this revision, when there is one to (re-)attach to: ECS may be carrying
 * it on, or it may have finished or rolled back while nobody watched — the watch will say. None after a
 * failure the person has seen (they run again to deploy afresh), or when the count must change.
 */
export function deploymentToFollow(c: RolloutContext, current: Service): Outputs | undefined {
  const revision = c.output('task-definition', 'arn');
  // --force: a new deployment, unless this very run already started one (a resume re-attaches to it).
  if (c.settings.force) {
    const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
    const started = typeof earlier?.deploymentId === 'string' ? current.deployments?.find((d) => d.id === earlier.deploymentId) : undefined;
    return started ? earlier : undefined;
  }
  const ours = current.deployments?.find((d) => d.taskDefinition === revision);
  const retrying = failureWasShown(c);
  if (ours?.id && !(retrying && ours.rolloutState === 'FAILED') && current.desiredCount === c.environment().desiredCount) {
    // An intent journaled by this run: it sent the update before it was stopped — it did start this one.
    return { serviceArn: current.serviceArn ?? '', deploymentId: ours.id, taskDefinitionArn: revision, ...(c.journaled?.status === 'intent' ? { started: true } : {}) };
  }
  // Ours is gone (rolled back while nobody watched): re-attach, and let the watch say what happened.
  const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
  if (!retrying && earlier?.taskDefinitionArn === revision && typeof earlier.deploymentId === 'string') return earlier;
  return undefined;
}

/**
 * An earlier run's watch reported a failure (its journal keeps the error): the person saw the diagnosis
 * and runs again after fixing something, so deploy afresh. A watch that was killed or cancelled left no
 * such error (or "cancelled"): then re-attach to the deployment it was watching.
 */
export function failureWasShown(c: RolloutContext): boolean {
  const error = c.history?.watch?.error;
  return error !== undefined && error !== 'cancelled';
}

export async function describe(c: RolloutContext): Promise<Service | undefined> {
  // No cluster yet (a --plan of a new environment probes before it is made): no service either.
  const ecs = await c.ecs();
  const out = await tolerate('not-found', () => ecs.send(new DescribeServicesCommand({ cluster: c.names.cluster, services: [c.names.service] }), { abortSignal: c.signal }));
  return out?.services?.find((s) => s.status === 'ACTIVE');
}

/** Same request, same token (at most 36 characters): a retried create returns the service it made. */
export function clientToken(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}
