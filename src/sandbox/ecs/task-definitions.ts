import type {
  ContainerDefinition,
  DeregisterTaskDefinitionRequest,
  DeregisterTaskDefinitionResponse,
  DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResponse,
  ListTaskDefinitionsRequest,
  ListTaskDefinitionsResponse,
  RegisterTaskDefinitionRequest,
  RegisterTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { authorize } from '../authz.js';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { checkTags, clientError, ecsArn, ecsForUpdate, ecsOf, findTaskDefinition, page, parseTaskDefinitionRef, toSdkTags } from './common.js';
import { checkFargateSize, isFargateSize, normalizeCpu, normalizeMemory } from './sizes.js';
import type { EcsTaskDefinition } from './state.js';

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];

/** Defaults ECS fills in and returns (cpu 0, essential, tcp, awsvpc host ports = container ports). */
function normalizeContainer(c: ContainerDefinition, networkMode: string): ContainerDefinition {
  return {
    ...c,
    cpu: c.cpu ?? 0,
    essential: c.essential ?? true,
    portMappings: (c.portMappings ?? []).map((p) => ({
      ...p,
      hostPort: p.hostPort ?? (networkMode === 'awsvpc' || networkMode === 'host' ? p.containerPort : undefined),
      protocol: p.protocol ?? 'tcp',
    })),
    environment: c.environment ?? [],
    mountPoints: c.mountPoints ?? [],
    volumesFrom: c.volumesFrom ?? [],
    systemControls: c.systemControls ?? [],
  };
}

function checkContainers(containers: ContainerDefinition[] | undefined, networkMode: string, taskMemory: string | undefined, fargate: boolean): ContainerDefinition[] {
  if (!containers?.length) throw clientError('Container list cannot be empty.');
  const names = new Set<string>();
  for (const c of containers) {
    if (!c.name) throw clientError('Container.name should not be null or empty.');
    if (!c.image) throw clientError('Container.image should not be null or empty.');
    if (names.has(c.name)) throw clientError(`Container names must be unique within a task definition: ${c.name}.`);
    names.add(c.name);
    if (networkMode === 'awsvpc' && (c.portMappings ?? []).some((p) => p.hostPort !== undefined && p.hostPort !== p.containerPort)) {
      throw clientError('When networkMode=awsvpc, the host ports and container ports in port mappings must match.');
    }
    if (!fargate && taskMemory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      throw clientError(`Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
  }
  if (!containers.some((c) => c.essential ?? true)) throw clientError('A task definition must have at least one essential container.');
  return containers.map((c) => normalizeContainer(c, networkMode));
}

/** The capabilities a revision needs from where it runs, as ECS derives them. */
function requiredAttributes(def: Pick<EcsTaskDefinition, 'containerDefinitions' | 'networkMode' | 'executionRoleArn' | 'taskRoleArn'>): { name: string }[] {
  const names = new Set<string>(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  if (def.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  if (def.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  for (const c of def.containerDefinitions) {
    if (c.logConfiguration?.logDriver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      if (def.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
    }
    if (/\.dkr\.ecr\./.test(c.image ?? '')) {
      names.add('com.amazonaws.ecs.capability.ecr-auth');
      if (def.executionRoleArn) names.add('ecs.capability.execution-role-ecr-pull');
    }
    if (c.healthCheck) names.add('ecs.capability.container-health-check');
  }
  return [...names].map((name) => ({ name }));
}

/** Passing a role to ECS needs iam:PassRole on it (rollout reference §2). */
function checkPassRole(ctx: CallContext, roleArn: string | undefined): void {
  if (!roleArn) return;
  const verdict = authorize(ctx.state, ctx.caller, 'iam:PassRole', roleArn, ctx.now);
  if (verdict.decision !== 'allow') throw fault('AccessDeniedException', verdict.message);
}

export function toTaskDefinition(def: EcsTaskDefinition): TaskDefinition {
  return {
    ...(structuredClone(def.extra) as TaskDefinition),
    taskDefinitionArn: def.arn,
    containerDefinitions: structuredClone(def.containerDefinitions),
    family: def.family,
    taskRoleArn: def.taskRoleArn,
    executionRoleArn: def.executionRoleArn,
    networkMode: def.networkMode as TaskDefinition['networkMode'],
    revision: def.revision,
    volumes: (def.extra.volumes as TaskDefinition['volumes']) ?? [],
    status: def.status,
    requiresAttributes: def.requiresAttributes.map((a) => ({ ...a })),
    placementConstraints: (def.extra.placementConstraints as TaskDefinition['placementConstraints']) ?? [],
    compatibilities: [...def.compatibilities] as TaskDefinition['compatibilities'],
    runtimePlatform: def.runtimePlatform ? ({ ...def.runtimePlatform } as TaskDefinition['runtimePlatform']) : undefined,
    requiresCompatibilities: def.requiresCompatibilities.length ? ([...def.requiresCompatibilities] as TaskDefinition['requiresCompatibilities']) : undefined,
    cpu: def.cpu,
    memory: def.memory,
    registeredAt: new Date(def.registeredAt),
    deregisteredAt: def.deregisteredAt === undefined ? undefined : new Date(def.deregisteredAt),
    registeredBy: def.registeredBy,
  };
}

function register(input: RegisterTaskDefinitionRequest, ctx: CallContext): EcsTaskDefinition {
  const family = input.family ?? '';
  if (!FAMILY.test(family)) throw clientError('Family contains invalid characters or is too long: up to 255 letters, numbers, hyphens and underscores.');
  const requiresCompatibilities = [...(input.requiresCompatibilities ?? [])];
  const fargate = requiresCompatibilities.includes('FARGATE');
  const networkMode = input.networkMode ?? (fargate ? 'awsvpc' : 'bridge');
  if (!NETWORK_MODES.includes(networkMode)) throw clientError(`Invalid network mode: ${networkMode}.`);
  const cpu = normalizeCpu(input.cpu);
  const memory = normalizeMemory(input.memory);
  if (fargate) {
    if (networkMode !== 'awsvpc') throw clientError("Fargate only supports network mode 'awsvpc'.");
    checkFargateSize(cpu, memory);
  }
  const containerDefinitions = checkContainers(input.containerDefinitions, networkMode, memory, fargate);
  if (fargate && !input.executionRoleArn && containerDefinitions.some((c) => c.logConfiguration?.logDriver === 'awslogs')) {
    throw clientError('Fargate requires task definition to have execution role ARN to support log driver awslogs.');
  }
  checkPassRole(ctx, input.taskRoleArn);
  checkPassRole(ctx, input.executionRoleArn);
  const tags = checkTags(input.tags);
  const revisions = ((ecsForUpdate(ctx.state).taskDefinitions[ctx.region] ??= {})[family] ??= []);
  const revision = revisions.length + 1;
  const { family: _f, taskRoleArn, executionRoleArn, networkMode: _n, containerDefinitions: _c, requiresCompatibilities: _r, cpu: _cpu, memory: _m, tags: _t, runtimePlatform, ...extra } = input;
  const fargateCompatible = networkMode === 'awsvpc' && cpu !== undefined && memory !== undefined && isFargateSize(Number(cpu), Number(memory));
  const def: EcsTaskDefinition = {
    arn: ecsArn(ctx, `task-definition/${family}:${revision}`),
    family,
    revision,
    status: 'ACTIVE',
    registeredAt: ctx.now,
    registeredBy: ctx.caller.arn,
    tags,
    containerDefinitions,
    taskRoleArn,
    executionRoleArn,
    networkMode,
    requiresCompatibilities,
    compatibilities: fargateCompatible ? ['EC2', 'FARGATE'] : ['EC2'],
    requiresAttributes: [],
    cpu,
    memory,
    runtimePlatform: runtimePlatform ? { ...runtimePlatform } : undefined,
    extra: structuredClone(extra) as Record<string, unknown>,
  };
  def.requiresAttributes = requiredAttributes(def);
  revisions.push(def);
  return def;
}

function requireRevision(ctx: CallContext, value: string | undefined): EcsTaskDefinition {
  const def = findTaskDefinition(ctx.state, ctx.region, value);
  if (!def) throw clientError('Unable to describe task definition.');
  return def;
}

export const taskDefinitionOperations: Record<string, Operation> = {
  RegisterTaskDefinition: op<RegisterTaskDefinitionRequest, Out<RegisterTaskDefinitionResponse>>({
    run: (input, ctx) => {
      const def = register(input, ctx);
      return { taskDefinition: toTaskDefinition(def), tags: toSdkTags(def.tags) };
    },
  }),

  DescribeTaskDefinition: op<DescribeTaskDefinitionRequest, Out<DescribeTaskDefinitionResponse>>({
    run: (input, ctx) => {
      const def = requireRevision(ctx, input.taskDefinition);
      return { taskDefinition: toTaskDefinition(def), tags: input.include?.includes('TAGS') ? toSdkTags(def.tags) : undefined };
    },
  }),

  DeregisterTaskDefinition: op<DeregisterTaskDefinitionRequest, Out<DeregisterTaskDefinitionResponse>>({
    run: (input, ctx) => {
      const ref = parseTaskDefinitionRef(input.taskDefinition ?? '');
      if (ref.revision === undefined) throw clientError('A revision is required: family:revision or the full task definition ARN.');
      const found = requireRevision(ctx, input.taskDefinition);
      const def = ecsForUpdate(ctx.state).taskDefinitions[ctx.region]![found.family]![found.revision - 1]!;
      if (def.status === 'ACTIVE') {
        def.status = 'INACTIVE';
        def.deregisteredAt = ctx.now;
      }
      return { taskDefinition: toTaskDefinition(def) };
    },
  }),

  ListTaskDefinitions: op<ListTaskDefinitionsRequest, Out<ListTaskDefinitionsResponse>>({
    run: (input, ctx) => {
      const status = input.status ?? 'ACTIVE';
      const families = ecsOf(ctx.state).taskDefinitions[ctx.region] ?? {};
      const arns = Object.keys(families)
        .filter((family) => input.familyPrefix === undefined || family === input.familyPrefix)
        .sort()
        .flatMap((family) => families[family]!.filter((d) => d.status === status).map((d) => d.arn));
      if (input.sort === 'DESC') arns.reverse();
      const { items, nextToken } = page(arns, input);
      return { taskDefinitionArns: items, nextToken };
    },
  }),
};
