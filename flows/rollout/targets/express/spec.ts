import type { ExpressGatewayServiceConfiguration, UpdateExpressGatewayServiceRequest } from '@aws-sdk/client-ecs';
import type { RolloutContext } from '../../context.js';

/** What an Express Mode service is configured with, as CreateExpressGatewayService/Update take it (minus names and tags). */
export type ExpressSpec = Omit<UpdateExpressGatewayServiceRequest, 'serviceArn'>;

/**
 * The configuration the environment asks of ECS Express Mode (rollout reference §12): the image by
 * digest on the environment's port with its variables, logs into the environment's group, Fargate
 * size and architecture, the health check path, the execution role, and between desiredCount and twice
 * that many tasks (Express scales on CPU). Subnets only when the environment names them; otherwise
 * Express uses the default VPC.
 */
export function desiredExpress(c: RolloutContext, executionRoleArn = c.output('execution-role', 'roleArn')): ExpressSpec {
  const env = c.environment();
  return {
    executionRoleArn,
    primaryContainer: {
      image: c.output('image', 'image'),
      containerPort: env.containerPort,
      environment: Object.entries(env.environment)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      awsLogsConfiguration: { logGroup: c.names.logGroup, logStreamPrefix: 'ecs' },
    },
    cpu: String(env.cpu),
    memory: String(env.memory),
    cpuArchitecture: env.cpuArchitecture,
    healthCheckPath: env.healthCheckPath,
    ...(env.network.subnets.length > 0 ? { networkConfiguration: { subnets: [...env.network.subnets] } } : {}),
    scalingTarget: { minTaskCount: env.desiredCount, maxTaskCount: Math.max(2, env.desiredCount * 2), autoScalingMetric: 'AVERAGE_CPU', autoScalingTargetValue: 60 },
  };
}

/** The members slipway sets, for comparing a revision with what the environment wants. */
function essence(s: ExpressSpec | ExpressGatewayServiceConfiguration): string {
  const container = s.primaryContainer;
  return JSON.stringify({
    image: container?.image,
    port: container?.containerPort,
    env: [...(container?.environment ?? [])].sort((a, b) => String(a.name).localeCompare(String(b.name))).map((e) => `${e.name}=${e.value}`),
    logs: container?.awsLogsConfiguration?.logGroup ?? null,
    cpu: String(s.cpu ?? ''),
    memory: String(s.memory ?? ''),
    arch: s.cpuArchitecture ?? 'X86_64',
    health: s.healthCheckPath,
    role: s.executionRoleArn,
    subnets: [...(s.networkConfiguration?.subnets ?? [])].sort(),
    scaling: [s.scalingTarget?.minTaskCount, s.scalingTarget?.maxTaskCount],
  });
}

export function sameExpress(current: ExpressGatewayServiceConfiguration, wanted: ExpressSpec): boolean {
  return essence(current) === essence(wanted);
}

/** The differences a person approves for a protected environment, one line each. */
export function expressChanges(current: ExpressGatewayServiceConfiguration | undefined, wanted: ExpressSpec, service: string): string[] {
  if (!current) return [`create: ECS Express Mode service ${service} (${wanted.primaryContainer?.image}, ${wanted.cpu} CPU / ${wanted.memory} MiB); ECS makes its load balancer, certificate and scaling`];
  const lines: string[] = [];
  const now = current.primaryContainer;
  const next = wanted.primaryContainer;
  if (now?.image !== next?.image) lines.push(`image: ${now?.image} → ${next?.image}`);
  if (String(current.cpu) !== wanted.cpu || String(current.memory) !== wanted.memory) lines.push(`size: ${current.cpu}/${current.memory} → ${wanted.cpu}/${wanted.memory}`);
  if (now?.containerPort !== next?.containerPort) lines.push(`port: ${now?.containerPort} → ${next?.containerPort}`);
  if (current.healthCheckPath !== wanted.healthCheckPath) lines.push(`health check path: ${current.healthCheckPath} → ${wanted.healthCheckPath}`);
  const before = new Map((now?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
  const after = new Map((next?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
  for (const [name, value] of after) {
    if (!before.has(name)) lines.push(`env ${name}: added`);
    else if (before.get(name) !== value) lines.push(`env ${name}: changed`);
  }
  for (const name of before.keys()) if (!after.has(name)) lines.push(`env ${name}: removed`);
  if (current.scalingTarget?.minTaskCount !== wanted.scalingTarget?.minTaskCount) lines.push(`tasks: at least ${current.scalingTarget?.minTaskCount} → ${wanted.scalingTarget?.minTaskCount}`);
  if (lines.length === 0 && !sameExpress(current, wanted)) lines.push('configuration: updated');
  return lines;
}
