import type {
  CreateServiceRequest,
  CreateServiceResponse,
  DeleteServiceRequest,
  DeleteServiceResponse,
  DeploymentConfiguration,
  DescribeServicesRequest,
  DescribeServicesResponse,
  Failure,
  ListServicesRequest,
  ListServicesResponse,
  NetworkConfiguration,
  Service,
  UpdateServiceRequest,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { checkTags, ecsArn, ecsForUpdate, ecsOf, findService, findTaskDefinition, invalidParameter, page, requestHash, requireCluster, serviceKey, serviceNotActive, serviceNotFound } from './common.js';
import { simFor } from './effects.js';
import { newDeployment } from './scheduler.js';
import { checkDesiredCount, checkGracePeriod, checkLaunchType, checkLoadBalancers, checkNetwork, launchTypeOf, usableTaskDefinition } from './service-checks.js';
import { launchBlocker } from './preflight.js';
import type { EcsService, EcsTaskDefinition } from './state.js';
import { toService } from './views.js';

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

function deploymentConfiguration(given: DeploymentConfiguration | undefined, base?: DeploymentConfiguration): DeploymentConfiguration {
  const merged = { ...(base ?? { deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 }), ...structuredClone(given ?? {}) };
  if ((merged.maximumPercent ?? 200) < 100) throw invalidParameter('maximumPercent must be at least 100.');
  return merged;
}

const serviceResource = (input: { cluster?: string; serviceName?: string; service?: string }, ctx: CallContext) =>
  ecsArn(ctx, `service/${(input.cluster ?? 'default').replace(/^.*cluster\//, '')}/${(input.serviceName ?? input.service ?? '').replace(/^.*\//, '')}`);

/** The service a call names; ServiceNotFoundException when there is none, ServiceNotActiveException unless ACTIVE. */
function activeService(ctx: CallContext, cluster: string | undefined, name: string | undefined): EcsService {
  const found = findService(ctx, requireCluster(ctx, cluster), name);
  if (!found) throw serviceNotFound();
  if (found.status !== 'ACTIVE') throw serviceNotActive();
  return ecsForUpdate(ctx.state).services[ctx.region]![serviceKey(found.cluster, found.name)]!;
}

/**
 * ECS refuses a service whose roles it cannot assume (a role created moments ago, troubleshooting
 * §3.12) or whose ECR image has no execution role to pull it.
 */
function checkRoles(ctx: CallContext, def: EcsTaskDefinition, launchType: string, networkConfiguration: NetworkConfiguration | undefined): void {
  const blocker = launchBlocker(ctx.state, { region: ctx.region, def, launchType, networkConfiguration }, ctx.now);
  if (blocker?.kind === 'client') throw invalidParameter(blocker.message);
}

function createService(input: CreateServiceRequest, ctx: CallContext): Service {
  const cluster = requireCluster(ctx, input.cluster);
  const name = input.serviceName ?? '';
  if (!SERVICE_NAME.test(name)) throw invalidParameter('Service name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  const { clientToken, ...request } = input;
  const hash = requestHash({ ...request, cluster: cluster.name });
  const existing = findService(ctx, cluster, name);
  if (existing?.status === 'ACTIVE') {
    // Retrying the same request with the same client token is idempotent; anything else is not.
    if (clientToken !== undefined && existing.clientToken === clientToken && existing.requestHash === hash) return toService(ctx.state, existing);
    throw invalidParameter('Creation of service was not idempotent.');
  }
  if (existing?.status === 'DRAINING') throw invalidParameter('Unable to Start a service that is still Draining.');
  const def = usableTaskDefinition(ctx, input.taskDefinition);
  const launchType = launchTypeOf(input.launchType, input.capacityProviderStrategy);
  checkLaunchType(def, launchType, invalidParameter);
  const loadBalancers = checkLoadBalancers(ctx, def, input.loadBalancers);
  checkRoles(ctx, def, launchType, input.networkConfiguration);
  const service: EcsService = {
    name,
    arn: ecsArn(ctx, `service/${cluster.name}/${name}`),
    region: ctx.region,
    cluster: cluster.name,
    status: 'ACTIVE',
    desiredCount: checkDesiredCount(input.desiredCount),
    taskDefinition: def.arn,
    launchType,
    platformVersion: input.platformVersion,
    loadBalancers,
    networkConfiguration: checkNetwork(def, input.networkConfiguration),
    deploymentConfiguration: deploymentConfiguration(input.deploymentConfiguration),
    deploymentController: input.deploymentController?.type ?? 'ECS',
    healthCheckGracePeriodSeconds: checkGracePeriod(input.healthCheckGracePeriodSeconds, loadBalancers),
    schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
    propagateTags: input.propagateTags,
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    tags: checkTags(input.tags),
    createdAt: ctx.now,
    createdBy: ctx.caller.arn,
    clientToken,
    requestHash: hash,
    deployments: [],
    events: [],
    steady: false,
  };
  (ecsForUpdate(ctx.state).services[ctx.region] ??= {})[serviceKey(cluster.name, name)] = service;
  newDeployment(simFor(ctx), service, ctx.now, def.arn);
  return toService(ctx.state, service);
}

function updateService(input: UpdateServiceRequest, ctx: CallContext): Service {
  const service = activeService(ctx, input.cluster, input.service);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  // A service may keep running (and scale) a revision deregistered since; a new one must be ACTIVE.
  const def = input.taskDefinition ? usableTaskDefinition(ctx, input.taskDefinition) : findTaskDefinition(ctx.state, ctx.region, service.taskDefinition)!;
  checkLaunchType(def, service.launchType, invalidParameter);
  const network = input.networkConfiguration || input.taskDefinition ? checkNetwork(def, input.networkConfiguration ?? service.networkConfiguration) : service.networkConfiguration;
  const loadBalancers = input.loadBalancers ? checkLoadBalancers(ctx, def, input.loadBalancers) : service.loadBalancers;
  const redeploy =
    input.forceNewDeployment === true ||
    def.arn !== primary?.taskDefinition ||
    requestHash(network) !== requestHash(service.networkConfiguration) ||
    requestHash(loadBalancers) !== requestHash(service.loadBalancers) ||
    (input.platformVersion !== undefined && input.platformVersion !== service.platformVersion);
  if (redeploy) checkRoles(ctx, def, service.launchType, network);
  if (input.desiredCount !== undefined) service.desiredCount = checkDesiredCount(input.desiredCount);
  service.deploymentConfiguration = deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration);
  service.networkConfiguration = network;
  service.loadBalancers = loadBalancers;
  service.healthCheckGracePeriodSeconds = checkGracePeriod(input.healthCheckGracePeriodSeconds ?? service.healthCheckGracePeriodSeconds, loadBalancers);
  service.platformVersion = input.platformVersion ?? service.platformVersion;
  service.propagateTags = input.propagateTags ?? service.propagateTags;
  service.enableECSManagedTags = input.enableECSManagedTags ?? service.enableECSManagedTags;
  service.enableExecuteCommand = input.enableExecuteCommand ?? service.enableExecuteCommand;
  // A new count alone is no deployment: the scheduler just starts or stops tasks of the PRIMARY one.
  if (redeploy) newDeployment(simFor(ctx), service, ctx.now, def.arn);
  service.steady = false;
  service.wakeAt = ctx.now;
  return toService(ctx.state, service);
}

function deleteService(input: DeleteServiceRequest, ctx: CallContext): Service {
  const service = activeService(ctx, input.cluster, input.service);
  if (service.desiredCount > 0 && !input.force) throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
  service.status = 'DRAINING';
  service.desiredCount = 0;
  service.wakeAt = ctx.now;
  return toService(ctx.state, service);
}

export const serviceOperations: Record<string, Operation> = {
  CreateService: op<CreateServiceRequest, Out<CreateServiceResponse>>({ resource: serviceResource, run: (input, ctx) => ({ service: createService(input, ctx) }) }),
  UpdateService: op<UpdateServiceRequest, Out<UpdateServiceResponse>>({ resource: serviceResource, run: (input, ctx) => ({ service: updateService(input, ctx) }) }),
  DeleteService: op<DeleteServiceRequest, Out<DeleteServiceResponse>>({ resource: serviceResource, run: (input, ctx) => ({ service: deleteService(input, ctx) }) }),

  DescribeServices: op<DescribeServicesRequest, Out<DescribeServicesResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      if (!input.services?.length || input.services.length > 10) throw invalidParameter('services must contain between 1 and 10 items.');
      const services: Service[] = [];
      const failures: Failure[] = [];
      for (const name of input.services) {
        const service = findService(ctx, cluster, name);
        if (service) services.push(toService(ctx.state, service, input.include));
        else failures.push({ arn: name.startsWith('arn:') ? name : ecsArn(ctx, `service/${cluster.name}/${name}`), reason: 'MISSING' });
      }
      return { services, failures };
    },
  }),

  ListServices: op<ListServicesRequest, Out<ListServicesResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      const arns = Object.values(ecsOf(ctx.state).services[ctx.region] ?? {})
        .filter((s) => s.cluster === cluster.name && s.status !== 'INACTIVE' && (!input.launchType || s.launchType === input.launchType))
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((s) => s.arn);
      const { items, nextToken } = page(arns, input, 100, 10);
      return { serviceArns: items, nextToken };
    },
  }),
};
