import { CreateServiceCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { retryWhileNotReady } from '../../../../src/aws/waiters.js';
import { UsageError } from '../../../../src/engine/errors.js';
import type { Outputs, Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { clientToken, deploymentToFollow, describe, failureWasShown } from '../../steps/service.js';
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
  plan: (c) => `ecs:CreateService/UpdateService ${c.names.service} → ${c.names.family}:${c.output('task-definition', 'revision')} on ${providerName(c)}`,
  async probe(c) {
    const current = await describe(c);
    if (!current) return undefined;
    refuseOtherTarget(c, current);
    return deploymentToFollow(c, current);
  },
  async apply(c) {
    const ecs = await c.ecs();
    const current = await describe(c);
    if (current) refuseOtherTarget(c, current);
    const revision = c.output('task-definition', 'arn');
    const env = c.environment();
    // awsvpc tasks on EC2 get no public IP: they reach ECR through the instance's agent, the internet not at all.
    const networkConfiguration = { awsvpcConfiguration: { subnets: c.output<string[]>('network', 'subnets'), securityGroups: [c.output('task-security-group', 'groupId')], assignPublicIp: 'DISABLED' as const } };
    const deploymentConfiguration = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };
    const capacityProviderStrategy = [{ capacityProvider: providerName(c), weight: 1, base: 0 }];
    const send = async (): Promise<Service | undefined> => {
      if (!current) {
        const out = await ecs.send(
          new CreateServiceCommand({
            cluster: c.names.cluster,
            serviceName: c.names.service,
            taskDefinition: revision,
            desiredCount: env.desiredCount,
            capacityProviderStrategy,
            networkConfiguration,
            loadBalancers: [{ targetGroupArn: c.output('target-group', 'arn'), containerName: c.names.container, containerPort: env.containerPort }],
            healthCheckGracePeriodSeconds: env.healthCheckGracePeriodSeconds,
            deploymentConfiguration,
            deploymentController: { type: 'ECS' },
            placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }],
            propagateTags: 'SERVICE',
            enableECSManagedTags: true,
            tags: c.tags.map((t) => ({ key: t.Key, value: t.Value })),
            clientToken: clientToken(c.account(), c.names.cluster, c.names.service, revision, 'EC2'),
          }),
          { abortSignal: c.signal },
        );
        return out.service;
      }
      const out = await ecs.send(
        new UpdateServiceCommand({
          cluster: c.names.cluster,
          service: c.names.service,
          taskDefinition: revision,
          desiredCount: env.desiredCount,
          capacityProviderStrategy,
          networkConfiguration,
          healthCheckGracePeriodSeconds: env.healthCheckGracePeriodSeconds,
          deploymentConfiguration,
          forceNewDeployment: current.taskDefinition === revision && failureWasShown(c),
        }),
        { abortSignal: c.signal },
      );
      return out.service;
    };
    const result = await retryWhileNotReady(send, { retryOn: ['not-propagated'], waitingFor: 'waiting for IAM to let ECS use the new execution role', report: c.report, signal: c.signal, budgetMs: 120_000 });
    const primary = result?.deployments?.find((d) => d.status === 'PRIMARY');
    c.report.log(`${current ? 'Updated' : 'Created'} service ${c.names.service} on ${providerName(c)}; deployment ${primary?.id}`);
    return { serviceArn: result?.serviceArn ?? '', deploymentId: primary?.id ?? '', taskDefinitionArn: revision, created: !current } satisfies Outputs;
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
