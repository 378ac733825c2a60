import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EnvironmentSettings } from './environment.js';
import type { RolloutNames } from './names.js';

export interface TaskDefinitionInputs {
  names: RolloutNames;
  environment: EnvironmentSettings;
  image: string;
  executionRoleArn: string;
  region: string;
  tags: { Key: string; Value: string }[];
}

/**
 * The task definition a rollout wants (reference §3): Fargate, awsvpc, the image pinned by digest,
 * awslogs into the environment's group. Environment variables are sorted so the comparison with the
 * current revision does not depend on the file's key order.
 */
export function desiredTaskDefinition(i: TaskDefinitionInputs): RegisterTaskDefinitionCommandInput {
  return {
    family: i.names.family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: String(i.environment.cpu),
    memory: String(i.environment.memory),
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: i.environment.cpuArchitecture },
    executionRoleArn: i.executionRoleArn,
    containerDefinitions: [
      {
        name: i.names.container,
        image: i.image,
        essential: true,
        portMappings: [{ containerPort: i.environment.containerPort, protocol: 'tcp' }],
        environment: Object.entries(i.environment.environment)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, value]) => ({ name, value })),
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': i.names.logGroup, 'awslogs-region': i.region, 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
    tags: i.tags.map((t) => ({ key: t.Key, value: t.Value })),
  };
}

/** What a revision means for the app: the fields slipway sets, nothing AWS adds. */
function essence(t: RegisterTaskDefinitionCommandInput | TaskDefinition): string {
  const container = t.containerDefinitions?.[0];
  return JSON.stringify({
    cpu: String(t.cpu ?? ''),
    memory: String(t.memory ?? ''),
    arch: t.runtimePlatform?.cpuArchitecture ?? 'X86_64',
    role: t.executionRoleArn ?? '',
    name: container?.name,
    image: container?.image,
    ports: (container?.portMappings ?? []).map((p) => p.containerPort),
    env: [...(container?.environment ?? [])].sort((a, b) => String(a.name).localeCompare(String(b.name))).map((e) => `${e.name}=${e.value}`),
    logs: container?.logConfiguration?.options ?? {},
  });
}

export function sameTaskDefinition(current: TaskDefinition, desired: RegisterTaskDefinitionCommandInput): boolean {
  return current.status === 'ACTIVE' && essence(current) === essence(desired);
}

/** The differences a person approves for a protected environment, one line each. */
export function taskDefinitionChanges(current: TaskDefinition | undefined, desired: RegisterTaskDefinitionCommandInput): string[] {
  const now = current?.containerDefinitions?.[0];
  const next = desired.containerDefinitions?.[0];
  if (!current) return [`new task definition ${desired.family}: ${next?.image}, ${desired.cpu} CPU / ${desired.memory} MiB`];
  const lines: string[] = [];
  if (now?.image !== next?.image) lines.push(`image: ${now?.image} → ${next?.image}`);
  if (String(current.cpu) !== desired.cpu || String(current.memory) !== desired.memory) lines.push(`size: ${current.cpu}/${current.memory} → ${desired.cpu}/${desired.memory}`);
  const before = new Map((now?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
  const after = new Map((next?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
  for (const [name, value] of after) {
    if (!before.has(name)) lines.push(`env ${name}: added`);
    else if (before.get(name) !== value) lines.push(`env ${name}: changed`);
  }
  for (const name of before.keys()) if (!after.has(name)) lines.push(`env ${name}: removed`);
  const ports = (t: typeof now) => (t?.portMappings ?? []).map((p) => p.containerPort).join(',');
  if (ports(now) !== ports(next)) lines.push(`port: ${ports(now)} → ${ports(next)}`);
  if ((current.runtimePlatform?.cpuArchitecture ?? 'X86_64') !== desired.runtimePlatform?.cpuArchitecture) lines.push(`cpu architecture: ${current.runtimePlatform?.cpuArchitecture ?? 'X86_64'} → ${desired.runtimePlatform?.cpuArchitecture}`);
  return lines;
}
