import { CreateCapacityProviderCommand, DescribeCapacityProvidersCommand, DescribeClustersCommand, PutClusterCapacityProvidersCommand, type CapacityProvider } from '@aws-sdk/client-ecs';
import { SlipwayError } from '../../../../src/engine/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { isAlreadyExists, unless } from '../aws-errors.js';
import { targetNames } from '../names.js';

/**
 * The ECS capacity provider over the Auto Scaling group, with managed scaling (target 100%: ECS adds
 * instances when tasks wait for room, up to the group's max), made the cluster's default strategy. The
 * service asks for this provider, so its tasks go on these instances.
 */
export const capacityProvider: Step<RolloutContext> = {
  id: 'capacity-provider',
  title: 'ECS capacity provider with managed scaling',
  plan: (c) => `ecs:CreateCapacityProvider ${name(c)} (managed scaling) + ecs:PutClusterCapacityProviders ${c.names.cluster}`,
  async probe(c) {
    const provider = await find(c);
    if (!provider || provider.autoScalingGroupProvider?.autoScalingGroupArn !== c.output('auto-scaling-group', 'arn')) return undefined;
    const cluster = await describeCluster(c);
    const attached = cluster?.capacityProviders?.includes(name(c)) && cluster.defaultCapacityProviderStrategy?.some((s) => s.capacityProvider === name(c));
    return attached ? { name: name(c), arn: provider.capacityProviderArn ?? '' } : undefined;
  },
  async apply(c) {
    const ecs = await c.ecs();
    const groupArn = c.output('auto-scaling-group', 'arn');
    let provider = await find(c);
    if (provider && provider.autoScalingGroupProvider?.autoScalingGroupArn !== groupArn) {
      throw new SlipwayError(`The capacity provider ${name(c)} uses another Auto Scaling group.`, {
        why: `It points at ${provider.autoScalingGroupProvider?.autoScalingGroupArn}, not ${groupArn} (the group was replaced by hand?).`,
        fix: `Remove it from the cluster and delete it (or run \`slipway teardown --env ${c.settings.env}\`), then roll out again.`,
      });
    }
    if (!provider) {
      await unless(isAlreadyExists, () =>
        ecs.send(
          new CreateCapacityProviderCommand({
            name: name(c),
            autoScalingGroupProvider: {
              autoScalingGroupArn: groupArn,
              managedScaling: { status: 'ENABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10 },
              managedTerminationProtection: 'DISABLED',
            },
            tags: c.tags.map((t) => ({ key: t.Key, value: t.Value })),
          }),
          { abortSignal: c.signal },
        ),
      );
      provider = await find(c);
    }
    // The cluster keeps the providers it has (FARGATE, say); ours becomes its default strategy.
    const cluster = await describeCluster(c);
    const providers = [...new Set([...(cluster?.capacityProviders ?? []), name(c)])];
    await ecs.send(
      new PutClusterCapacityProvidersCommand({ cluster: c.names.cluster, capacityProviders: providers, defaultCapacityProviderStrategy: [{ capacityProvider: name(c), weight: 1, base: 0 }] }),
      { abortSignal: c.signal },
    );
    c.report.log(`Capacity provider ${name(c)} (managed scaling) is ${c.names.cluster}'s default.`);
    return { name: name(c), arn: provider?.capacityProviderArn ?? '' };
  },
};

export const providerName = (c: RolloutContext) => targetNames(c.settings.app, c.settings.env).capacityProvider;
const name = providerName;

async function find(c: RolloutContext): Promise<CapacityProvider | undefined> {
  const out = await (await c.ecs()).send(new DescribeCapacityProvidersCommand({ capacityProviders: [name(c)] }), { abortSignal: c.signal });
  return out.capacityProviders?.find((p) => p.name === name(c) && p.status === 'ACTIVE');
}

async function describeCluster(c: RolloutContext) {
  return (await (await c.ecs()).send(new DescribeClustersCommand({ clusters: [c.names.cluster] }), { abortSignal: c.signal })).clusters?.find((k) => k.status === 'ACTIVE');
}
