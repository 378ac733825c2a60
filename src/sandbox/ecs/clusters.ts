import type {
  Cluster,
  CreateClusterRequest,
  CreateClusterResponse,
  DeleteClusterRequest,
  DeleteClusterResponse,
  DescribeClustersRequest,
  DescribeClustersResponse,
  Failure,
  ListClustersRequest,
  ListClustersResponse,
} from '@aws-sdk/client-ecs';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { checkTags, ecsArn, ecsForUpdate, ecsOf, findCluster, invalidParameter, page, toSdkTags } from './common.js';
import type { EcsCluster } from './state.js';

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const PENDING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

function toCluster(ctx: CallContext, cluster: EcsCluster, include: string[] = ['TAGS', 'SETTINGS']): Cluster {
  const ecs = ecsOf(ctx.state);
  const tasks = Object.values(ecs.tasks[ctx.region] ?? {}).filter((t) => t.cluster === cluster.name);
  const services = Object.values(ecs.services[ctx.region] ?? {}).filter((s) => s.cluster === cluster.name && s.status === 'ACTIVE');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => PENDING.has(t.lastStatus)).length,
    activeServicesCount: services.length,
    statistics: include.includes('STATISTICS') ? [] : undefined,
    tags: include.includes('TAGS') ? toSdkTags(cluster.tags) : undefined,
    settings: include.includes('SETTINGS') ? cluster.settings.map((s) => ({ ...s })) as Cluster['settings'] : undefined,
    capacityProviders: [...cluster.capacityProviders],
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy.map((s) => ({ ...s })),
  };
}

/** Also used by Express Mode, which creates the `default` cluster when it is missing. */
export function ensureCluster(ctx: CallContext, name: string, input: Omit<CreateClusterRequest, 'clusterName'> = {}): EcsCluster {
  if (!CLUSTER_NAME.test(name)) {
    throw invalidParameter('Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  }
  const clusters = (ecsForUpdate(ctx.state).clusters[ctx.region] ??= {});
  const existing = clusters[name];
  // CreateCluster is idempotent on the name: an ACTIVE cluster comes back as it is.
  if (existing?.status === 'ACTIVE') return existing;
  const cluster: EcsCluster = {
    name,
    arn: ecsArn(ctx, `cluster/${name}`),
    status: 'ACTIVE',
    createdAt: ctx.now,
    tags: checkTags(input.tags),
    settings: (input.settings ?? [{ name: 'containerInsights', value: 'disabled' }]).map((s) => ({ name: s.name ?? 'containerInsights', value: s.value ?? 'disabled' })),
    capacityProviders: [...(input.capacityProviders ?? [])],
    defaultCapacityProviderStrategy: (input.defaultCapacityProviderStrategy ?? []).map((s) => ({ capacityProvider: s.capacityProvider ?? '', weight: s.weight, base: s.base })),
  };
  clusters[name] = cluster;
  return cluster;
}

export const clusterOperations: Record<string, Operation> = {
  CreateCluster: op<CreateClusterRequest, Out<CreateClusterResponse>>({
    resource: (input, ctx) => ecsArn(ctx, `cluster/${input.clusterName ?? 'default'}`),
    run: (input, ctx) => ({ cluster: toCluster(ctx, ensureCluster(ctx, input.clusterName ?? 'default', input)) }),
  }),

  DescribeClusters: op<DescribeClustersRequest, Out<DescribeClustersResponse>>({
    run: (input, ctx) => {
      const clusters: Cluster[] = [];
      const failures: Failure[] = [];
      for (const name of input.clusters?.length ? input.clusters : ['default']) {
        const cluster = findCluster(ctx, name);
        if (cluster) clusters.push(toCluster(ctx, cluster, input.include));
        else failures.push({ arn: name.startsWith('arn:') ? name : ecsArn(ctx, `cluster/${name}`), reason: 'MISSING' });
      }
      return { clusters, failures };
    },
  }),

  ListClusters: op<ListClustersRequest, Out<ListClustersResponse>>({
    run: (input, ctx) => {
      const arns = Object.values(ecsOf(ctx.state).clusters[ctx.region] ?? {})
        .filter((c) => c.status === 'ACTIVE')
        .map((c) => c.arn);
      const { items, nextToken } = page(arns, input);
      return { clusterArns: items, nextToken };
    },
  }),

  DeleteCluster: op<DeleteClusterRequest, Out<DeleteClusterResponse>>({
    resource: (input, ctx) => ecsArn(ctx, `cluster/${(input.cluster ?? '').replace(/^.*cluster\//, '')}`),
    run: (input, ctx) => {
      const found = findCluster(ctx, input.cluster);
      if (!found || found.status !== 'ACTIVE') throw fault('ClusterNotFoundException', 'Cluster not found.');
      const ecs = ecsForUpdate(ctx.state);
      const cluster = ecs.clusters[ctx.region]![found.name]!;
      const services = Object.values(ecs.services[ctx.region] ?? {}).filter((s) => s.cluster === cluster.name && s.status !== 'INACTIVE');
      const express = Object.values(ecs.express[ctx.region] ?? {}).filter((s) => s.cluster === cluster.name && (s.inactiveAt === undefined || s.inactiveAt > ctx.now));
      if (services.length || express.length) throw fault('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
      if (Object.values(ecs.tasks[ctx.region] ?? {}).some((t) => t.cluster === cluster.name && t.lastStatus !== 'STOPPED')) {
        throw fault('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
      }
      cluster.status = 'INACTIVE';
      return { cluster: toCluster(ctx, cluster) };
    },
  }),
};
