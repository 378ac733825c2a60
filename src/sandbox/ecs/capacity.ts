import type {
  CapacityProvider,
  CapacityProviderStrategyItem,
  CreateCapacityProviderRequest,
  CreateCapacityProviderResponse,
  DeleteCapacityProviderRequest,
  DeleteCapacityProviderResponse,
  DescribeCapacityProvidersRequest,
  DescribeCapacityProvidersResponse,
  Failure,
  PutClusterCapacityProvidersRequest,
  PutClusterCapacityProvidersResponse,
} from '@aws-sdk/client-ecs';
import { groupsForUpdate, groupsIn } from '../autoscaling/state.js';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { SandboxState, Tag } from '../state.js';
import { clusterOperations } from './clusters.js';
import { checkTags, clientError, ecsArn, ecsForUpdate, ecsOf, invalidParameter, requireCluster, toSdkTags } from './common.js';

/**
 * Capacity providers backed by Auto Scaling groups (rollout reference §11): created with managed scaling
 * and attached to a cluster with PutClusterCapacityProviders; a service's capacity provider strategy then
 * places its tasks on the group's instances (container-instances.ts). FARGATE and FARGATE_SPOT always exist.
 */

export interface EcsCapacityProvider {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  autoScalingGroupArn: string;
  managedScaling: { status: 'ENABLED' | 'DISABLED'; targetCapacity: number; minimumScalingStepSize: number; maximumScalingStepSize: number; instanceWarmupPeriod: number };
  managedTerminationProtection: 'ENABLED' | 'DISABLED';
  managedDraining: 'ENABLED' | 'DISABLED';
  tags: Tag[];
  updateStatus?: 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED';
}

declare module './state.js' {
  interface EcsState {
    /** region → name → capacity provider (ecs/capacity.ts). */
    capacityProviders?: Record<string, Record<string, EcsCapacityProvider>>;
  }
}

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/** Read-only calls see the live state and must not add to it. */
export function capacityProvidersIn(state: SandboxState, region: string): Record<string, EcsCapacityProvider> {
  return ecsOf(state).capacityProviders?.[region] ?? {};
}

function providersForUpdate(ctx: CallContext): Record<string, EcsCapacityProvider> {
  return ((ecsForUpdate(ctx.state).capacityProviders ??= {})[ctx.region] ??= {});
}

const shortName = (ref: string) => ref.replace(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:capacity-provider\//, '');

function toCapacityProvider(ctx: CallContext, p: EcsCapacityProvider, withTags = false): CapacityProvider {
  return {
    capacityProviderArn: p.arn,
    name: p.name,
    status: p.status,
    autoScalingGroupProvider: {
      autoScalingGroupArn: p.autoScalingGroupArn,
      managedScaling: { ...p.managedScaling },
      managedTerminationProtection: p.managedTerminationProtection,
      managedDraining: p.managedDraining,
    },
    updateStatus: p.updateStatus,
    tags: withTags ? toSdkTags(p.tags) : undefined,
    type: 'EC2_AUTOSCALING',
  };
}

function fargateProvider(ctx: CallContext, name: string): CapacityProvider {
  return { capacityProviderArn: ecsArn(ctx, `capacity-provider/${name}`), name, status: 'ACTIVE', tags: [], type: name as CapacityProvider['type'] };
}

/** Which cluster a capacity provider is attached to, if any. */
function attachedTo(ctx: CallContext, name: string): string | undefined {
  return Object.values(ecsOf(ctx.state).clusters[ctx.region] ?? {}).find((c) => c.status === 'ACTIVE' && c.capacityProviders.includes(name))?.name;
}

function createCapacityProvider(input: CreateCapacityProviderRequest, ctx: CallContext): CapacityProvider {
  const name = input.name ?? '';
  if (!NAME.test(name)) throw invalidParameter('Capacity provider name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  if (/^(aws|ecs|fargate)/i.test(name)) throw invalidParameter('The capacity provider name cannot start with "aws", "ecs", or "fargate".');
  if (input.managedInstancesProvider || !input.autoScalingGroupProvider) throw invalidParameter('The sandbox simulates capacity providers backed by Auto Scaling groups (autoScalingGroupProvider) only.');
  const providers = providersForUpdate(ctx);
  if (providers[name]?.status === 'ACTIVE') {
    throw clientError('The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.');
  }
  const spec = input.autoScalingGroupProvider;
  const ref = spec.autoScalingGroupArn ?? '';
  const group = Object.values(groupsIn(ctx.state, ctx.region)).find((g) => g.arn === ref || g.name === ref);
  if (!group || group.deletingAt !== undefined) throw clientError(`The specified Auto Scaling group ARN ${ref} is not valid. Specify a valid Auto Scaling group ARN and try again.`);
  if (Object.values(providers).some((p) => p.status === 'ACTIVE' && p.autoScalingGroupArn === group.arn)) {
    throw clientError('The specified Auto Scaling group is already associated with another capacity provider. Specify a different Auto Scaling group and try again.');
  }
  const termination = spec.managedTerminationProtection ?? 'DISABLED';
  if (termination === 'ENABLED' && !group.newInstancesProtectedFromScaleIn) {
    throw clientError('The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.');
  }
  const scaling = spec.managedScaling ?? {};
  const target = scaling.targetCapacity ?? 100;
  if (!Number.isInteger(target) || target < 1 || target > 100) throw invalidParameter('managedScaling.targetCapacity must be between 1 and 100.');
  const provider: EcsCapacityProvider = {
    name,
    arn: ecsArn(ctx, `capacity-provider/${name}`),
    status: 'ACTIVE',
    createdAt: ctx.now,
    autoScalingGroupArn: group.arn,
    managedScaling: {
      status: scaling.status ?? 'ENABLED',
      targetCapacity: target,
      minimumScalingStepSize: scaling.minimumScalingStepSize ?? 1,
      maximumScalingStepSize: scaling.maximumScalingStepSize ?? 10_000,
      instanceWarmupPeriod: scaling.instanceWarmupPeriod ?? 300,
    },
    managedTerminationProtection: termination,
    managedDraining: spec.managedDraining ?? 'ENABLED',
    tags: checkTags(input.tags),
  };
  providers[name] = provider;
  // ECS marks the groups it scales (and only scales groups marked so).
  if (provider.managedScaling.status === 'ENABLED') {
    const stored = groupsForUpdate(ctx.state, ctx.region)[group.name]!;
    if (!stored.tags.some((t) => t.Key === 'AmazonECSManaged')) stored.tags.push({ Key: 'AmazonECSManaged', Value: '', PropagateAtLaunch: true });
  }
  return toCapacityProvider(ctx, provider, true);
}

function checkStrategy(strategy: CapacityProviderStrategyItem[], names: string[]): void {
  for (const item of strategy) {
    if (!item.capacityProvider || !names.includes(item.capacityProvider)) {
      throw invalidParameter(`The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`);
    }
    if ((item.weight ?? 0) < 0 || (item.weight ?? 0) > 1000 || (item.base ?? 0) < 0 || (item.base ?? 0) > 100000) throw invalidParameter('A capacity provider strategy weight must be 0–1000 and its base 0–100000.');
  }
  if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1) throw invalidParameter('Only one capacity provider in a strategy can have a base defined.');
}

export const capacityOperations: Record<string, Operation> = {
  CreateCapacityProvider: op<CreateCapacityProviderRequest, Out<CreateCapacityProviderResponse>>({
    resource: (input, ctx) => ecsArn(ctx, `capacity-provider/${input.name ?? ''}`),
    run: (input, ctx) => ({ capacityProvider: createCapacityProvider(input, ctx) }),
  }),

  DescribeCapacityProviders: op<DescribeCapacityProvidersRequest, Out<DescribeCapacityProvidersResponse>>({
    run: (input, ctx) => {
      const stored = capacityProvidersIn(ctx.state, ctx.region);
      const withTags = input.include?.includes('TAGS') ?? false;
      if (!input.capacityProviders?.length) {
        const all = [...FARGATE_PROVIDERS.map((n) => fargateProvider(ctx, n)), ...Object.values(stored).filter((p) => p.status === 'ACTIVE').map((p) => toCapacityProvider(ctx, p, withTags))];
        return { capacityProviders: all, failures: [] };
      }
      const capacityProviders: CapacityProvider[] = [];
      const failures: Failure[] = [];
      for (const ref of input.capacityProviders) {
        const name = shortName(ref);
        const found = stored[name];
        if (FARGATE_PROVIDERS.includes(name)) capacityProviders.push(fargateProvider(ctx, name));
        else if (found) capacityProviders.push(toCapacityProvider(ctx, found, withTags));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : ecsArn(ctx, `capacity-provider/${name}`), reason: 'MISSING' });
      }
      return { capacityProviders, failures };
    },
  }),

  DeleteCapacityProvider: op<DeleteCapacityProviderRequest, Out<DeleteCapacityProviderResponse>>({
    resource: (input, ctx) => ecsArn(ctx, `capacity-provider/${shortName(input.capacityProvider ?? '')}`),
    run: (input, ctx) => {
      const name = shortName(input.capacityProvider ?? '');
      const provider = providersForUpdate(ctx)[name];
      if (!provider || provider.status !== 'ACTIVE') throw clientError('The specified capacity provider does not exist. Specify a valid name or ARN and try again.');
      const cluster = attachedTo(ctx, name);
      if (cluster) {
        throw fault('ResourceInUseException', `The specified capacity provider is in use and cannot be removed. Remove it from cluster ${cluster} (PutClusterCapacityProviders) first.`);
      }
      provider.status = 'INACTIVE';
      provider.updateStatus = 'DELETE_COMPLETE';
      return { capacityProvider: toCapacityProvider(ctx, provider) };
    },
  }),

  PutClusterCapacityProviders: op<PutClusterCapacityProvidersRequest, Out<PutClusterCapacityProvidersResponse>>({
    resource: (input, ctx) => ecsArn(ctx, `cluster/${(input.cluster ?? '').replace(/^.*cluster\//, '')}`),
    run: (input, ctx) => {
      const found = requireCluster(ctx, input.cluster);
      const names = (input.capacityProviders ?? []).map(shortName);
      const stored = capacityProvidersIn(ctx.state, ctx.region);
      for (const name of names) {
        if (FARGATE_PROVIDERS.includes(name)) continue;
        if (stored[name]?.status !== 'ACTIVE') throw invalidParameter(`The specified capacity provider ${name} does not exist. Specify a valid capacity provider and try again.`);
        const elsewhere = attachedTo(ctx, name);
        if (elsewhere && elsewhere !== found.name) throw invalidParameter(`The specified capacity provider ${name} is already associated with cluster ${elsewhere}. A capacity provider can only be associated with one cluster.`);
      }
      const strategy = input.defaultCapacityProviderStrategy ?? [];
      checkStrategy(strategy, names);
      const cluster = ecsForUpdate(ctx.state).clusters[ctx.region]![found.name]!;
      cluster.capacityProviders = names;
      cluster.defaultCapacityProviderStrategy = strategy.map((s) => ({ capacityProvider: s.capacityProvider ?? '', weight: s.weight, base: s.base }));
      const described = clusterOperations.DescribeClusters!.run({ clusters: [cluster.name] } as never, ctx) as { clusters: PutClusterCapacityProvidersResponse['cluster'][] };
      return { cluster: described.clusters[0] };
    },
  }),
};
