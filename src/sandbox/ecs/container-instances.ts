import type {
  ContainerInstance,
  DeregisterContainerInstanceRequest,
  DeregisterContainerInstanceResponse,
  DescribeContainerInstancesRequest,
  DescribeContainerInstancesResponse,
  Failure,
  ListContainerInstancesRequest,
  ListContainerInstancesResponse,
  Resource,
} from '@aws-sdk/client-ecs';
import { derivedId, lifecycleAt, setDesired } from '../autoscaling/instances.js';
import { instanceTypeInfo, registeredResources } from '../autoscaling/instance-types.js';
import { groupsForUpdate, groupsIn, type AsgInstance, type AutoScalingGroupState } from '../autoscaling/state.js';
import { fault } from '../errors.js';
import { findByName } from '../iam/common.js';
import { IdSource } from '../ids.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { evaluate } from '../policy.js';
import { findEcsOptimizedAmi } from '../ssm.js';
import type { SandboxState } from '../state.js';
import { capacityProvidersIn } from './capacity.js';
import { ecsArn, ecsForUpdate, ecsOf, findCluster, invalidParameter, page, phaseMs, requireCluster } from './common.js';
import type { EcsTask, EcsTaskDefinition } from './state.js';

/**
 * Container instances: the EC2 instances of Auto Scaling groups whose ECS agent has registered (rollout
 * reference §11). Nothing is stored for them but deregistrations: what is registered where, and how full
 * it is, follows at any moment from the groups' instances (autoscaling/instances.ts) and the cluster's
 * EC2 tasks — so reads never change the account. An instance registers two phases after it was launched
 * when it boots an ECS-optimized AMI, its instance profile's role may ecs:RegisterContainerInstance, and
 * the cluster its user data names (ECS_CLUSTER, else "default") exists.
 */

declare module './state.js' {
  interface EcsState {
    /** region → container instance ARN → when DeregisterContainerInstance was called. */
    deregisteredInstances?: Record<string, Record<string, number>>;
  }
}

const REGISTER_PHASES = 2;
const AGENT = { agentVersion: '1.99.1', agentHash: 'c2b6e4f1', dockerVersion: 'DockerVersion: 25.0.8' };

export interface ContainerInstanceView {
  arn: string;
  id: string;
  cluster: string;
  ec2InstanceId: string;
  instanceType: string;
  availabilityZone: string;
  subnetId: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  registeredAt: number;
  registered: { cpu: number; memory: number };
  remaining: { cpu: number; memory: number };
  tasks: EcsTask[];
  capacityProvider?: string;
  group: string;
}

/** The cluster ECS_CLUSTER names in user data (base64), or "default" as the agent assumes. */
export function clusterInUserData(userData: string | undefined): string {
  const text = userData ? Buffer.from(userData, 'base64').toString('utf8') : '';
  return /ECS_CLUSTER=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? 'default';
}

/** Whether the instance's role lets the agent register (AmazonEC2ContainerServiceforEC2Role or the like). */
function mayRegister(state: SandboxState, profileName: string | undefined): boolean {
  const profile = findByName(state.iam.instanceProfiles ?? {}, profileName);
  const role = profile?.roles[0] ? findByName(state.iam.roles, profile.roles[0]) : undefined;
  if (!role) return false;
  const docs = Object.values(role.inlinePolicies).map((d) => (d.trimStart().startsWith('{') ? d : decodeURIComponent(d)));
  for (const arn of role.attachedPolicies) {
    if (arn === 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role') return true;
    const policy = state.iam.policies[arn];
    const version = policy?.versions.find((v) => v.id === policy.defaultVersionId);
    if (version) docs.push(version.document);
  }
  return evaluate(docs, 'ecs:RegisterContainerInstance', '*', {}) === 'allow';
}

/** When the agent on this instance registers, or undefined when it never will. */
function registrationOf(state: SandboxState, region: string, instance: AsgInstance): { cluster: string; at: number } | undefined {
  if (!findEcsOptimizedAmi(region, instance.imageId)) return undefined;
  if (!mayRegister(state, instance.instanceProfile)) return undefined;
  const cluster = clusterInUserData(instance.userData);
  if (ecsOf(state).clusters[region]?.[cluster]?.status !== 'ACTIVE') return undefined;
  return { cluster, at: instance.launchedAt + REGISTER_PHASES * phaseMs(state) };
}

/** What a task reserves on an instance: its task-level size, else its containers' (reservation or limit). */
export function taskNeeds(def: Pick<EcsTaskDefinition, 'cpu' | 'memory' | 'containerDefinitions'> | Pick<EcsTask, 'cpu' | 'memory' | 'containers'>): { cpu: number; memory: number } {
  const containers = 'containerDefinitions' in def ? def.containerDefinitions : def.containers;
  const cpu = def.cpu !== undefined ? Number(def.cpu) : containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
  const memory = def.memory !== undefined ? Number(def.memory) : containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0);
  return { cpu: Number.isFinite(cpu) ? cpu : 0, memory: Number.isFinite(memory) ? memory : 0 };
}

/**
 * Every container instance of a region at `now`, with the live EC2 tasks of its cluster placed on them
 * (oldest task first, on the first instance with room) and what remains free.
 */
export function containerInstancesAt(state: SandboxState, region: string, now: number): ContainerInstanceView[] {
  const deregistered = ecsOf(state).deregisteredInstances?.[region] ?? {};
  const providers = Object.values(capacityProvidersIn(state, region)).filter((p) => p.status === 'ACTIVE');
  const views: ContainerInstanceView[] = [];
  for (const group of Object.values(groupsIn(state, region))) {
    for (const instance of group.instances) {
      const lifecycle = lifecycleAt(state, instance, now);
      const registration = registrationOf(state, region, instance);
      if (!lifecycle || lifecycle === 'Pending' || !registration || now < registration.at) continue;
      const info = instanceTypeInfo(instance.instanceType);
      if (!info) continue;
      const id = derivedId(instance.id);
      const arn = `arn:aws:ecs:${region}:${state.accountId}:container-instance/${registration.cluster}/${id}`;
      const registered = registeredResources(info);
      views.push({
        arn,
        id,
        cluster: registration.cluster,
        ec2InstanceId: instance.id,
        instanceType: instance.instanceType,
        availabilityZone: instance.availabilityZone,
        subnetId: instance.subnetId,
        status: deregistered[arn] !== undefined ? 'INACTIVE' : lifecycle === 'Terminating' ? 'DRAINING' : 'ACTIVE',
        registeredAt: registration.at,
        registered,
        remaining: { ...registered },
        tasks: [],
        capacityProvider: providers.find((p) => p.autoScalingGroupArn === group.arn)?.name,
        group: group.name,
      });
    }
  }
  views.sort((a, b) => a.registeredAt - b.registeredAt || a.id.localeCompare(b.id));
  const tasks = Object.values(ecsOf(state).tasks[region] ?? {})
    .filter((t) => t.launchType === 'EC2' && t.lastStatus !== 'STOPPED')
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  for (const task of tasks) {
    const need = taskNeeds(task);
    const host = views.find((v) => v.cluster === task.cluster && v.status === 'ACTIVE' && v.remaining.cpu >= need.cpu && v.remaining.memory >= need.memory);
    if (!host) continue;
    host.tasks.push(task);
    host.remaining.cpu -= need.cpu;
    host.remaining.memory -= need.memory;
  }
  return views;
}

/** Why an EC2 task cannot be placed in a cluster now (ECS's event wording), or undefined when it fits. */
export interface PlacementProblem {
  /** "The closest matching (container-instance …) has insufficient memory available." — absent when none are registered. */
  reason?: string;
  /** RunTask's failure reason: RESOURCE:MEMORY or RESOURCE:CPU. */
  code?: string;
}

export function placementProblem(state: SandboxState, region: string, cluster: string, def: EcsTaskDefinition, now: number): PlacementProblem | undefined {
  const active = containerInstancesAt(state, region, now).filter((v) => v.cluster === cluster && v.status === 'ACTIVE');
  const need = taskNeeds(def);
  if (active.some((v) => v.remaining.cpu >= need.cpu && v.remaining.memory >= need.memory)) return undefined;
  if (active.length === 0) return {};
  const closest = [...active].sort((a, b) => b.remaining.memory - a.remaining.memory)[0]!;
  const memory = closest.remaining.memory < need.memory;
  return {
    reason: `The closest matching (container-instance ${closest.id}) has insufficient ${memory ? 'memory' : 'CPU units'} available.`,
    code: memory ? 'RESOURCE:MEMORY' : 'RESOURCE:CPU',
  };
}

/**
 * ECS managed scaling, reduced to what a rollout sees: a task that cannot be placed makes ECS grow an
 * Auto Scaling group behind one of the cluster's capacity providers (managed scaling ENABLED, below its
 * maximum, an instance type the task fits in), one step at a time — not while an instance it launched
 * is still on its way. Scale-in is not simulated.
 */
export function scaleOutFor(state: SandboxState, region: string, cluster: string, def: EcsTaskDefinition, now: number): void {
  const found = ecsOf(state).clusters[region]?.[cluster];
  if (!found) return;
  const need = taskNeeds(def);
  const registered = new Set(containerInstancesAt(state, region, now).map((v) => v.ec2InstanceId));
  for (const name of found.capacityProviders) {
    const provider = capacityProvidersIn(state, region)[name];
    if (!provider || provider.status !== 'ACTIVE' || provider.managedScaling.status !== 'ENABLED') continue;
    const group = Object.values(groupsIn(state, region)).find((g) => g.arn === provider.autoScalingGroupArn && g.deletingAt === undefined);
    if (!group || group.desiredCapacity >= group.maxSize) continue;
    const arriving = group.instances.some((i) => i.terminatedAt === undefined && !registered.has(i.id) && now < i.launchedAt + (REGISTER_PHASES + 1) * phaseMs(state));
    if (arriving || !fits(state, region, group, need)) continue;
    const step = Math.max(1, provider.managedScaling.minimumScalingStepSize ?? 1);
    const target = groupsForUpdate(state, region)[group.name]!;
    setDesired(state, region, target, target.desiredCapacity + step, now, new IdSource(state), `a user request update of AutoScalingGroup constraints by ECS managed scaling (capacity provider ${provider.name})`);
    return;
  }
}

function fits(state: SandboxState, region: string, group: AutoScalingGroupState, need: { cpu: number; memory: number }): boolean {
  const type = group.instances.at(-1)?.instanceType ?? launchTypeOfGroup(state, region, group);
  const info = instanceTypeInfo(type);
  if (!info) return false;
  const room = registeredResources(info);
  return room.cpu >= need.cpu && room.memory >= need.memory;
}

function launchTypeOfGroup(state: SandboxState, region: string, group: AutoScalingGroupState): string | undefined {
  const template = Object.values(state.launchTemplates?.[region] ?? {}).find((t) => t.id === group.launchTemplate.id);
  const version = group.launchTemplate.version === '$Latest' ? template?.versions.at(-1) : template?.versions.find((v) => String(v.number) === group.launchTemplate.version) ?? template?.versions.find((v) => v.number === template.defaultVersion);
  return version?.data.InstanceType as string | undefined;
}

const resource = (name: string, value: number): Resource => ({ name, type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: value });

function toContainerInstance(view: ContainerInstanceView): ContainerInstance {
  const running = view.tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  return {
    containerInstanceArn: view.arn,
    ec2InstanceId: view.ec2InstanceId,
    capacityProviderName: view.capacityProvider,
    version: 1 + view.tasks.length,
    versionInfo: { ...AGENT },
    registeredResources: [resource('CPU', view.registered.cpu), resource('MEMORY', view.registered.memory), { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2376', '2375', '51678', '51679'] }],
    remainingResources: [resource('CPU', view.remaining.cpu), resource('MEMORY', view.remaining.memory), { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2376', '2375', '51678', '51679'] }],
    status: view.status,
    agentConnected: view.status !== 'INACTIVE',
    runningTasksCount: running,
    pendingTasksCount: view.tasks.length - running,
    attributes: [
      { name: 'ecs.instance-type', value: view.instanceType },
      { name: 'ecs.availability-zone', value: view.availabilityZone },
      { name: 'ecs.cpu-architecture', value: instanceTypeInfo(view.instanceType)?.architecture === 'arm64' ? 'arm64' : 'x86_64' },
      { name: 'ecs.os-type', value: 'linux' },
      { name: 'ecs.capability.task-eni' },
      { name: 'ecs.capability.execution-role-ecr-pull' },
      { name: 'ecs.capability.execution-role-awslogs' },
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
    ],
    registeredAt: new Date(view.registeredAt),
    attachments: [],
    tags: [],
  };
}

function inCluster(ctx: CallContext, cluster: string): ContainerInstanceView[] {
  return containerInstancesAt(ctx.state, ctx.region, ctx.now).filter((v) => v.cluster === cluster);
}

function named(views: ContainerInstanceView[], ref: string): ContainerInstanceView | undefined {
  const id = ref.replace(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:container-instance\/(?:[^/]+\/)?/, '');
  return views.find((v) => v.id === id || v.arn === ref);
}

export const containerInstanceOperations: Record<string, Operation> = {
  ListContainerInstances: op<ListContainerInstancesRequest, Out<ListContainerInstancesResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      if (input.filter) throw invalidParameter('The sandbox does not evaluate cluster query language filters.');
      const status = input.status ?? 'ACTIVE';
      const arns = inCluster(ctx, cluster.name)
        .filter((v) => (input.status ? v.status === status : v.status !== 'INACTIVE'))
        .map((v) => v.arn);
      const { items, nextToken } = page(arns, input);
      return { containerInstanceArns: items, nextToken };
    },
  }),

  DescribeContainerInstances: op<DescribeContainerInstancesRequest, Out<DescribeContainerInstancesResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      if (!input.containerInstances?.length || input.containerInstances.length > 100) throw invalidParameter('containerInstances must contain between 1 and 100 items.');
      const views = inCluster(ctx, cluster.name);
      const containerInstances: ContainerInstance[] = [];
      const failures: Failure[] = [];
      for (const ref of input.containerInstances) {
        const view = named(views, ref);
        if (view) containerInstances.push(toContainerInstance(view));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : ecsArn(ctx, `container-instance/${cluster.name}/${ref}`), reason: 'MISSING' });
      }
      return { containerInstances, failures };
    },
  }),

  DeregisterContainerInstance: op<DeregisterContainerInstanceRequest, Out<DeregisterContainerInstanceResponse>>({
    run: (input, ctx) => {
      const cluster = findCluster(ctx, input.cluster);
      if (!cluster || cluster.status !== 'ACTIVE') throw fault('ClusterNotFoundException', 'Cluster not found.');
      const view = named(inCluster(ctx, cluster.name), input.containerInstance ?? '');
      if (!view || view.status === 'INACTIVE') throw invalidParameter('The referenced container instance was not found.');
      if (view.tasks.length > 0 && !input.force) throw invalidParameter('Found running tasks on the instance.');
      const ecs = ecsForUpdate(ctx.state);
      (((ecs.deregisteredInstances ??= {})[ctx.region] ??= {})[view.arn] = ctx.now);
      return { containerInstance: toContainerInstance({ ...view, status: 'INACTIVE' }) };
    },
  }),
};
