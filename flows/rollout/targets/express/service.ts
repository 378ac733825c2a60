import {
  CreateExpressGatewayServiceCommand,
  DescribeExpressGatewayServiceCommand,
  DescribeServicesCommand,
  UpdateExpressGatewayServiceCommand,
  type ECSExpressGatewayService,
  type ExpressGatewayServiceConfiguration,
} from '@aws-sdk/client-ecs';
import { tolerate } from '../../../../src/aws/errors.js';
import { retryWhileNotReady } from '../../../../src/aws/waiters.js';
import { SlipwayError, UsageError } from '../../../../src/engine/errors.js';
import type { Outputs, Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { desiredExpress, sameExpress } from './spec.js';

/**
 * The ECS Express Mode service (rollout reference §12): CreateExpressGatewayService the first time, then
 * UpdateExpressGatewayService when the image or a setting changes — a new revision. Its ARN follows from
 * the cluster and name, so the probe finds a service an earlier (perhaps killed) run made, and adopts it
 * when it already runs what the environment wants: a rerun never creates a second one.
 */
export const expressService: Step<RolloutContext> = {
  id: 'service',
  title: 'Express Mode service',
  plan: (c) => `ecs:CreateExpressGatewayService/UpdateExpressGatewayService ${c.names.service} → ${c.output('image', 'image')}`,
  async probe(c) {
    const service = await describeExpress(c);
    if (!service || !live(service)) return undefined;
    const wanted = desiredExpress(c);
    const ours = newest(service.activeConfigurations ?? []).find((k) => sameExpress(k, wanted));
    return ours?.serviceRevisionArn ? outputsOf(service, ours, false) : undefined;
  },
  async apply(c) {
    const ecs = await c.ecs();
    const wanted = desiredExpress(c);
    let service = await describeExpress(c);
    if (service?.status?.statusCode === 'DRAINING') {
      throw new SlipwayError(`The Express Mode service ${c.names.service} is being deleted.`, { why: 'ECS is draining it and removing its load balancer.', fix: 'Wait a few minutes until it is gone, then roll out again.' });
    }
    if (!service || !live(service)) {
      await refuseOtherTarget(c);
      const create = () =>
        ecs.send(
          new CreateExpressGatewayServiceCommand({
            serviceName: c.names.service,
            cluster: c.names.cluster,
            infrastructureRoleArn: c.output('infrastructure-role', 'roleArn'),
            ...wanted,
            tags: c.tags.map((t) => ({ key: t.Key, value: t.Value })),
          }),
          { abortSignal: c.signal },
        );
      try {
        const created = (await retryWhileNotReady(create, { retryOn: ['not-propagated'], waitingFor: 'waiting for IAM to let ECS use the new roles', report: c.report, signal: c.signal, budgetMs: 120_000 })).service;
        const revision = created?.activeConfigurations?.[0];
        c.report.log(`Created Express Mode service ${c.names.service}; ECS is making its load balancer, certificate and scaling.`);
        return outputsOf(created ?? {}, revision ?? {}, true);
      } catch (error) {
        // Made by a request whose answer was lost (a retry, a crash): carry on with the one that exists.
        if (!/not idempotent/i.test((error as Error).message)) throw error;
        service = await describeExpress(c);
        if (!service) throw error;
      }
    }
    const current = newest(service.activeConfigurations ?? []).find((k) => sameExpress(k, wanted));
    if (current) return outputsOf(service, current, false);
    const updated = (await ecs.send(new UpdateExpressGatewayServiceCommand({ serviceArn: service.serviceArn, ...wanted }), { abortSignal: c.signal })).service;
    c.report.log(`Updated Express Mode service ${c.names.service}: new revision ${updated?.targetConfiguration?.serviceRevisionArn?.split('/').pop()}.`);
    return outputsOf(service, updated?.targetConfiguration ?? {}, false);
  },
};

export function expressArn(c: RolloutContext): string {
  return `arn:aws:ecs:${c.settings.region}:${c.account()}:service/${c.names.cluster}/${c.names.service}`;
}

export async function describeExpress(c: RolloutContext): Promise<ECSExpressGatewayService | undefined> {
  const ecs = await c.ecs();
  const out = await tolerate('not-found', () => ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: expressArn(c) }), { abortSignal: c.signal }));
  return out?.service;
}

/** Provisioning (no status yet) or ACTIVE: a service that can take an update. */
const live = (s: ECSExpressGatewayService) => s.status?.statusCode !== 'INACTIVE' && s.status?.statusCode !== 'DRAINING';

const newest = (configurations: ExpressGatewayServiceConfiguration[]) => [...configurations].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));

function outputsOf(service: ECSExpressGatewayService, revision: ExpressGatewayServiceConfiguration, created: boolean): Outputs {
  return {
    serviceArn: service.serviceArn ?? '',
    serviceRevisionArn: revision.serviceRevisionArn ?? '',
    image: revision.primaryContainer?.image ?? '',
    endpoint: revision.ingressPaths?.find((p) => p.endpoint)?.endpoint ?? '',
    created,
  };
}

/** The environment's name already holds a Fargate or EC2 service: that is a teardown and a new rollout. */
async function refuseOtherTarget(c: RolloutContext): Promise<void> {
  const out = await (await c.ecs()).send(new DescribeServicesCommand({ cluster: c.names.cluster, services: [c.names.service] }), { abortSignal: c.signal }).catch(() => undefined);
  const other = out?.services?.find((s) => s.status === 'ACTIVE');
  if (!other) return;
  throw new UsageError(`${c.names.service} is a ${other.launchType ?? 'Fargate'} service; the environment file now says EXPRESS.`, {
    why: 'slipway does not turn a running service into an Express Mode one in place.',
    fix: `Run \`slipway teardown --env ${c.settings.env}\`, then roll out again — or set "launchType" back to "${other.launchType ?? 'FARGATE'}".`,
  });
}
