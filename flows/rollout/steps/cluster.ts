import { CreateServiceLinkedRoleCommand } from '@aws-sdk/client-iam';
import { CreateClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { tolerate } from '../../../src/aws/errors.js';
import { retryWhileNotReady } from '../../../src/aws/waiters.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';

/**
 * The ECS cluster (a cluster is needed even on Fargate). In a brand-new account the first CreateCluster
 * can fail because ECS's service-linked role does not exist yet: it is created and the call retried.
 */
export const cluster: Step<RolloutContext> = {
  id: 'cluster',
  title: 'ECS cluster',
  plan: (c) => `ecs:CreateCluster ${c.names.cluster}`,
  async probe(c) {
    const found = (await (await c.ecs()).send(new DescribeClustersCommand({ clusters: [c.names.cluster] }), { abortSignal: c.signal })).clusters?.find((k) => k.status === 'ACTIVE');
    return found?.clusterArn ? { clusterArn: found.clusterArn, name: c.names.cluster } : undefined;
  },
  async apply(c) {
    const ecs = await c.ecs();
    const create = () => ecs.send(new CreateClusterCommand({ clusterName: c.names.cluster, tags: c.tags.map((t) => ({ key: t.Key, value: t.Value })) }), { abortSignal: c.signal });
    let created;
    try {
      created = await create();
    } catch (error) {
      if (!/service linked role/i.test((error as Error).message)) throw error;
      c.report.log('Creating ECS’s service-linked role (first use of ECS in this account)…');
      const iam = await c.iam();
      await tolerate('validation', () => iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }), { abortSignal: c.signal }));
      created = await retryWhileNotReady(create, { retryOn: ['not-propagated', 'validation'], waitingFor: 'waiting for ECS to see its service-linked role', report: c.report, signal: c.signal });
    }
    return { clusterArn: created.cluster?.clusterArn ?? '', name: c.names.cluster };
  },
};
