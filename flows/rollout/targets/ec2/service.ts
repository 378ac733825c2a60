import type { Service } from '@aws-sdk/client-ecs';
import { UsageError } from '../../../../src/engine/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { deploymentToFollow, deployService, describe, serviceInputs } from '../../steps/service.js';
import { providerName } from './capacity-provider.js';

/**
 * The ECS service on EC2 capacity: the capacity provider strategy instead of a launch type, awsvpc
 * networking (each task its own network interface in the tasks' security group; bridge mode is not
 * offered), tasks spread across Availability Zones, the circuit breaker and a client token — otherwise
 * as the Fargate service step: the deployment ECS starts is recorded, and a resumed rollout re-attaches.
 */
export const ec2Service: Step<RolloutContext> = {
  id: 'service',
  title: 'Service deployment (EC2 capacity provider)',
  inputs: serviceInputs,
  plan: (c) => `ecs:CreateService/UpdateService ${c.names.service} → ${c.names.family}:${c.output('task-definition', 'revision')} on ${providerName(c)}`,
  async probe(c) {
    const current = await describe(c);
    if (!current) return undefined;
    refuseOtherTarget(c, current);
    return deploymentToFollow(c, current);
  },
  async apply(c) {
    const current = await describe(c);
    if (current) refuseOtherTarget(c, current);
    const capacityProviderStrategy = [{ capacityProvider: providerName(c), weight: 1, base: 0 }];
    return deployService(c, current, {
      create: { capacityProviderStrategy, placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }] },
      update: { capacityProviderStrategy },
      // awsvpc tasks on EC2 get no public IP: they reach ECR through the instance's agent, the internet not at all.
      networkConfiguration: { awsvpcConfiguration: { subnets: c.output<string[]>('network', 'subnets'), securityGroups: [c.output('task-security-group', 'groupId')], assignPublicIp: 'DISABLED' } },
      tokenPart: 'EC2',
      where: ` on ${providerName(c)}`,
    });
  },
};

/** A service created on Fargate is not moved to EC2 capacity in place: that is a teardown and a new rollout. */
function refuseOtherTarget(c: RolloutContext, service: Service): void {
  if (service.launchType !== 'FARGATE') return;
  throw new UsageError(`${c.names.service} runs on Fargate; the environment file now says EC2.`, {
    why: 'slipway does not move a running service between targets in place.',
    fix: `Run \`slipway teardown --env ${c.settings.env}\`, then roll out again — or set "launchType" back to "FARGATE".`,
  });
}
