import {
  DescribeExpressGatewayServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type Deployment,
  type ECSExpressGatewayService,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { tolerate } from '../../src/aws/errors.js';
import type { RolloutContext } from '../rollout/context.js';
import { diagnose } from '../rollout/diagnosis/index.js';
import { environmentPath, readEnvironment, type EnvironmentSettings } from '../rollout/environment.js';
import { rolloutNames, rolloutTags } from '../rollout/names.js';
import { asStopped, deploymentEvents, deploymentTasks, lastLogLines, ofDeployment, placeInTime, serviceTasks, targetHealth, type DeploymentScope } from '../rollout/watch/gather.js';
import type { EnvironmentStatus, ExpressStatus, LastFailure } from './schema.js';

/**
 * One environment as ECS and the load balancer see it now: the revision and image digest the
 * PRIMARY deployment runs, its counts and rolloutState, the URL, and the last failure (a deployment
 * that FAILED, or service tasks that stopped failing) with the rollout's diagnosis of it.
 */
export async function environmentStatus(context: RolloutContext, env: string): Promise<EnvironmentStatus> {
  const c = forEnvironment(context, env);
  const file = environmentPath(c.dir, env);
  let settings: EnvironmentSettings | undefined;
  let fileProblem: string | null = null;
  try {
    settings = readEnvironment(c.dir, env);
    if (!settings) fileProblem = `${file} does not exist`;
  } catch (error) {
    fileProblem = (error as Error).message;
  }
  const common = { env, file, protected: settings?.protected ?? null, fileProblem, cluster: c.names.cluster, service: c.names.service };
  const ecs = await c.ecs();
  if (settings?.launchType === 'EXPRESS') {
    const express = await expressStatus(c, common);
    if (express) return express;
  }
  const described = await tolerate('not-found', () => ecs.send(new DescribeServicesCommand({ cluster: c.names.cluster, services: [c.names.service] }), { abortSignal: c.signal }));
  const service = described?.services?.find((s) => s.status === 'ACTIVE');
  if (!service) {
    return { ...common, deployed: false, message: `Nothing is deployed in ${env}: there is no service ${c.names.service} in cluster ${c.names.cluster}. \`slipway rollout --env ${env}\` deploys it.` };
  }
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const taskDefinitionArn = primary?.taskDefinition ?? service.taskDefinition ?? '';
  const definition = taskDefinitionArn
    ? (
        await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }), { abortSignal: c.signal }).catch((error: Error) => {
          if (error.name === 'ClientException') return undefined; // gone: the revision says enough
          throw error;
        })
      )?.taskDefinition
    : undefined;
  const image = definition?.containerDefinitions?.find((k) => k.name === c.names.container)?.image ?? definition?.containerDefinitions?.[0]?.image ?? null;
  const targetGroupArn = service.loadBalancers?.find((lb) => lb.targetGroupArn)?.targetGroupArn;
  return {
    ...common,
    deployed: true,
    revision: revisionOf(taskDefinitionArn),
    taskDefinitionArn,
    image,
    imageDigest: /@(sha256:[0-9a-f]{64})$/.exec(image ?? '')?.[1] ?? null,
    desiredCount: primary?.desiredCount ?? service.desiredCount ?? 0,
    runningCount: primary?.runningCount ?? service.runningCount ?? 0,
    pendingCount: primary?.pendingCount ?? service.pendingCount ?? 0,
    rolloutState: (primary?.rolloutState as 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | undefined) ?? null,
    rolloutStateReason: primary?.rolloutStateReason ?? null,
    url: await loadBalancerUrl(c, targetGroupArn),
    lastFailure: await lastFailure(c, service, targetGroupArn, settings),
    launchType: service.launchType === 'EC2' || (service.capacityProviderStrategy ?? []).some((s) => s.capacityProvider && !s.capacityProvider.startsWith('FARGATE')) ? 'EC2' : 'FARGATE',
    express: null,
  };
}

type Common = Pick<Extract<EnvironmentStatus, { deployed: true }>, 'env' | 'file' | 'protected' | 'fileProblem' | 'cluster' | 'service'>;

/**
 * An Express Mode environment: the service's state, the revision and image its newest configuration
 * runs, and its ingress endpoint as the URL. ECS does not report an Express service's task counts; the
 * current deployment's, when ECS has one, are taken (else null). Undefined when there is no such
 * service (or it is INACTIVE): nothing deployed.
 */
async function expressStatus(c: RolloutContext, common: Common): Promise<EnvironmentStatus | undefined> {
  const ecs = await c.ecs();
  const serviceArn = `arn:aws:ecs:${c.settings.region}:${c.account()}:service/${c.names.cluster}/${c.names.service}`;
  const service: ECSExpressGatewayService | undefined = (await tolerate('not-found', () => ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn }), { abortSignal: c.signal })))?.service;
  const code = service?.status?.statusCode;
  if (!service || code === 'INACTIVE') return undefined;
  const configuration = [...(service.activeConfigurations ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  const serviceRevisionArn = configuration?.serviceRevisionArn ?? '';
  const revision = serviceRevisionArn
    ? (await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [serviceRevisionArn] }), { abortSignal: c.signal }).catch(() => undefined))?.serviceRevisions?.[0]
    : undefined;
  const deployment = service.currentDeployment
    ? (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [service.currentDeployment] }), { abortSignal: c.signal }).catch(() => undefined))?.serviceDeployments?.[0]
    : undefined;
  const taskDefinitionArn = revision?.taskDefinition ?? configuration?.taskDefinitionArn ?? '';
  const image = configuration?.primaryContainer?.image ?? null;
  const endpoint = configuration?.ingressPaths?.find((p) => p.endpoint)?.endpoint ?? null;
  const counts = deployment?.targetServiceRevision;
  const express: ExpressStatus = {
    serviceArn: service.serviceArn ?? serviceArn,
    status: code ?? 'PROVISIONING',
    statusReason: service.status?.statusReason ?? null,
    serviceRevisionArn,
    endpoint,
    deploymentStatus: deployment?.status ?? null,
  };
  return {
    ...common,
    deployed: true,
    revision: taskDefinitionArn ? revisionOf(taskDefinitionArn) : (serviceRevisionArn.split('/').pop() ?? ''),
    taskDefinitionArn,
    image,
    imageDigest: /@(sha256:[0-9a-f]{64})$/.exec(image ?? '')?.[1] ?? null,
    desiredCount: counts?.requestedTaskCount ?? null,
    runningCount: counts?.runningTaskCount ?? null,
    pendingCount: counts?.pendingTaskCount ?? null,
    rolloutState: expressRolloutState(express),
    rolloutStateReason: deployment?.statusReason ?? express.statusReason,
    url: endpoint,
    lastFailure: null,
    launchType: 'EXPRESS',
    express,
  };
}

/** The service's state as a rollout state: its deployment's when ECS reports one, else ACTIVE is COMPLETED. */
function expressRolloutState(e: ExpressStatus): 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | null {
  const d = e.deploymentStatus;
  if (d === 'SUCCESSFUL') return 'COMPLETED';
  if (d && /ROLLBACK|STOPPED/.test(d)) return 'FAILED';
  if (d === 'PENDING' || d === 'IN_PROGRESS') return 'IN_PROGRESS';
  if (e.status === 'PROVISIONING') return 'IN_PROGRESS';
  if (e.status === 'ACTIVE') return 'COMPLETED';
  return null;
}

/** The context of another environment of the same app: its names and tags. */
function forEnvironment(c: RolloutContext, env: string): RolloutContext {
  return { ...c, settings: { ...c.settings, env }, names: rolloutNames(c.settings.app, env), tags: rolloutTags(c.settings.app, env) };
}

export function revisionOf(taskDefinitionArn: string): string {
  return taskDefinitionArn.split('/').pop() ?? taskDefinitionArn;
}

async function loadBalancerUrl(c: RolloutContext, targetGroupArn: string | undefined): Promise<string | null> {
  if (!targetGroupArn) return null;
  const elb = await c.elbv2();
  const group = (await tolerate('not-found', () => elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }), { abortSignal: c.signal })))?.TargetGroups?.[0];
  const lbArn = group?.LoadBalancerArns?.[0];
  if (!lbArn) return null;
  const lb = (await tolerate('not-found', () => elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }), { abortSignal: c.signal })))?.LoadBalancers?.[0];
  return lb?.DNSName ? `http://${lb.DNSName}/` : null;
}

/** A stopped service task that says something went wrong (not a scale-in, a replacement or a person). */
function failed(task: Task): boolean {
  if (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited') return true;
  return /health check/i.test(task.stoppedReason ?? '');
}

/**
 * The last failure and the deployment it is from. The PRIMARY deployment's own when it FAILED or its
 * tasks failed (`current`); otherwise the newest earlier deployment that failed (rolled back, or replaced
 * since), named as such — never an older deployment's failure presented as the one running now. Its
 * diagnosis reads only that deployment's evidence: its tasks (startedBy), its events (from its start to
 * the next deployment's), its targets.
 */
async function lastFailure(c: RolloutContext, service: Service, targetGroupArn: string | undefined, settings: EnvironmentSettings | undefined): Promise<LastFailure | null> {
  const stopped = (await serviceTasks(c, 'STOPPED')).filter(failed);
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const scopeOf = (d: Deployment): DeploymentScope => ({ id: d.id ?? '', taskDefinition: d.taskDefinition ?? '', ...(d.createdAt ? { createdAt: d.createdAt } : {}) });
  let chosen: { scope: DeploymentScope; deployment?: Deployment } | undefined;
  if (primary && (primary.rolloutState === 'FAILED' || stopped.some((t) => ofDeployment(t, scopeOf(primary))))) {
    chosen = { scope: scopeOf(primary), deployment: primary };
  } else {
    const earlier = stopped.filter((t) => !primary || !ofDeployment(t, scopeOf(primary)));
    const failedListed = deployments.filter((d) => d.rolloutState === 'FAILED' && d !== primary).sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
    const newestTask = earlier[0];
    const ofTask = newestTask && deployments.find((d) => d !== primary && ofDeployment(newestTask, scopeOf(d)));
    const taskIsNewer = newestTask && failedListed && !ofTask && (newestTask.createdAt?.getTime() ?? 0) > (failedListed.createdAt?.getTime() ?? 0);
    if (failedListed && !taskIsNewer) chosen = { scope: scopeOf(failedListed), deployment: failedListed };
    else if (ofTask) chosen = { scope: scopeOf(ofTask), deployment: ofTask };
    else if (newestTask) chosen = { scope: { id: newestTask.startedBy ?? '', taskDefinition: newestTask.taskDefinitionArn ?? '' } };
  }
  if (!chosen) return null;
  const { scope, deployment } = chosen;
  const ofIt = stopped.filter((t) => ofDeployment(t, scope));
  placeInTime(scope, service, ofIt);
  const newest = ofIt.find((t) => t.stopCode === 'EssentialContainerExited') ?? ofIt[0];
  const revision = scope.taskDefinition;
  const withTargetGroup: RolloutContext = {
    ...c,
    output: <T = string>(step: string, key: string): T => (step === 'target-group' && key === 'arn' ? (targetGroupArn as T) : c.output<T>(step, key)),
  };
  const running = await deploymentTasks(c, scope, 'RUNNING');
  const d = diagnose({
    deployment,
    rolledBack: Boolean(primary?.taskDefinition && primary.taskDefinition !== revision),
    stoppedTasks: ofIt.map(asStopped),
    events: deploymentEvents(service, scope).map((e) => e.message ?? ''),
    targetHealth: targetGroupArn ? await targetHealth(withTargetGroup, [...running, ...ofIt]) : [],
    logLines: await lastLogLines(c, newest?.taskArn),
    settings: {
      containerPort: settings?.containerPort ?? service.loadBalancers?.[0]?.containerPort ?? 8080,
      healthCheckPath: settings?.healthCheckPath ?? '/',
      healthCheckGracePeriodSeconds: settings?.healthCheckGracePeriodSeconds ?? service.healthCheckGracePeriodSeconds ?? 0,
      cpuArchitecture: settings?.cpuArchitecture ?? 'X86_64',
      cpu: settings?.cpu ?? 256,
      memory: settings?.memory ?? 512,
      executionRole: c.names.executionRole,
      logGroup: c.names.logGroup,
    },
  });
  const exitCode = newest?.containers?.find((k) => k.exitCode !== undefined)?.exitCode;
  return {
    taskArn: newest?.taskArn ?? null,
    revision: revision ? revisionOf(revision) : null,
    stoppedAt: newest?.stoppedAt?.toISOString() ?? null,
    stopCode: newest?.stopCode ?? null,
    stoppedReason: newest?.stoppedReason ?? null,
    exitCode: exitCode ?? null,
    diagnosis: { cause: d.cause, title: d.title, why: d.why, fix: d.fix, evidence: d.evidence, logLines: d.logLines ?? [] },
    deploymentId: scope.id || null,
    deploymentCreatedAt: scope.createdAt?.toISOString() ?? null,
    current: deployment !== undefined && deployment === primary,
  };
}
