import type { CapacityProviderStrategyItem, LoadBalancer, NetworkConfiguration } from '@aws-sdk/client-ecs';
import type { CallContext } from '../operation.js';
import { clientError, findTaskDefinition, invalidParameter } from './common.js';
import type { EcsTaskDefinition } from './state.js';

/** Checks CreateService/UpdateService/RunTask make of their inputs, with ECS's messages. */

/** A task definition a new task or service may use: registered and ACTIVE. */
export function usableTaskDefinition(ctx: CallContext, value: string | undefined): EcsTaskDefinition {
  if (!value) throw invalidParameter('TaskDefinition can not be blank.');
  const def = findTaskDefinition(ctx.state, ctx.region, value);
  if (!def) throw clientError('TaskDefinition not found.');
  if (def.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
  return def;
}

/** The launch type that applies: the given one, FARGATE for a Fargate capacity provider strategy, else EC2. */
export function launchTypeOf(launchType: string | undefined, strategy: CapacityProviderStrategyItem[] | undefined): string {
  if (launchType) return launchType;
  if (strategy?.some((s) => s.capacityProvider?.startsWith('FARGATE'))) return 'FARGATE';
  return 'EC2';
}

export function checkLaunchType(def: EcsTaskDefinition, launchType: string, error: (message: string) => Error): void {
  if (launchType === 'FARGATE' && !def.compatibilities.includes('FARGATE')) throw error('Task definition does not support launch_type FARGATE.');
}

export function checkNetwork(def: EcsTaskDefinition, network: NetworkConfiguration | undefined): NetworkConfiguration | undefined {
  if (def.networkMode !== 'awsvpc') {
    if (network?.awsvpcConfiguration) throw invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
    return undefined;
  }
  const awsvpc = network?.awsvpcConfiguration;
  if (!awsvpc) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if (!awsvpc.subnets?.length) throw invalidParameter('subnets can not be empty.');
  return { awsvpcConfiguration: { subnets: [...awsvpc.subnets], securityGroups: [...(awsvpc.securityGroups ?? [])], assignPublicIp: awsvpc.assignPublicIp ?? 'DISABLED' } };
}

/** Load balancers a service may use: target groups that exist, have a load balancer, and fit the task. */
export function checkLoadBalancers(ctx: CallContext, def: EcsTaskDefinition, loadBalancers: LoadBalancer[] | undefined): LoadBalancer[] {
  const checked: LoadBalancer[] = [];
  for (const lb of loadBalancers ?? []) {
    const container = def.containerDefinitions.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    if (!container.portMappings?.some((p) => p.containerPort === lb.containerPort)) {
      throw invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
    }
    if (!lb.targetGroupArn) throw invalidParameter('Target group ARN must be specified for Application and Network Load Balancers.');
    const group = ctx.state.elbv2?.targetGroups[ctx.region]?.[lb.targetGroupArn];
    // ECS's well-known wording for a target group it cannot find.
    if (!group) throw invalidParameter('Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.');
    const listened = Object.values(ctx.state.elbv2?.listeners[ctx.region] ?? {}).some((l) => l.targetGroupArn === lb.targetGroupArn);
    if (!listened) throw invalidParameter(`The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`);
    if (def.networkMode === 'awsvpc' && group.targetType !== 'ip') {
      throw invalidParameter(`The provided target group ${lb.targetGroupArn} has target type ${group.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`);
    }
    checked.push({ targetGroupArn: lb.targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort });
  }
  return checked;
}

export function checkGracePeriod(seconds: number | undefined, loadBalancers: LoadBalancer[]): number | undefined {
  if (seconds !== undefined && !loadBalancers.length) throw invalidParameter('Health check grace period is only valid for services configured to use load balancers');
  return seconds;
}

export function checkDesiredCount(count: number | undefined): number {
  if (count === undefined) throw invalidParameter('desiredCount is required when the scheduling strategy is REPLICA.');
  if (!Number.isInteger(count) || count < 0) throw invalidParameter('desiredCount must be greater than or equal to 0.');
  return count;
}
