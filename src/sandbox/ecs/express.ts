import type {
  CreateExpressGatewayServiceRequest,
  CreateExpressGatewayServiceResponse,
  DeleteExpressGatewayServiceRequest,
  DeleteExpressGatewayServiceResponse,
  DescribeExpressGatewayServiceRequest,
  DescribeExpressGatewayServiceResponse,
  ECSExpressGatewayService,
  ExpressGatewayServiceConfiguration,
  UpdateExpressGatewayServiceRequest,
  UpdateExpressGatewayServiceResponse,
} from '@aws-sdk/client-ecs';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { alnum, checkTags, clientError, digits, ecsArn, ecsForUpdate, ecsOf, findService, invalidParameter, phaseMs, serviceNotActive, serviceNotFound, toSdkTags } from './common.js';
import { ensureCluster } from './clusters.js';
import { roleByArn, unableToAssume } from './preflight.js';
import type { EcsExpressConfiguration, EcsExpressService } from './state.js';

/**
 * ECS Express Mode, in a smaller model than services: it records the service and its configuration
 * revisions and reports a public HTTPS endpoint. Provisioning (load balancer, certificate, service)
 * takes three task phases before the status is ACTIVE; a deletion drains for three more.
 */

const PROVISIONING_PHASES = 3;

type Status = 'ACTIVE' | 'DRAINING' | 'INACTIVE' | undefined;

function statusAt(service: EcsExpressService, now: number): Status {
  if (service.inactiveAt !== undefined) return now >= service.inactiveAt ? 'INACTIVE' : 'DRAINING';
  return now >= service.activeAt ? 'ACTIVE' : undefined;
}

function toConfiguration(service: EcsExpressService, c: EcsExpressConfiguration): ExpressGatewayServiceConfiguration {
  return {
    serviceRevisionArn: c.serviceRevisionArn,
    executionRoleArn: c.executionRoleArn,
    taskRoleArn: c.taskRoleArn,
    taskDefinitionArn: c.taskDefinitionArn,
    cpu: c.cpu,
    memory: c.memory,
    cpuArchitecture: c.cpuArchitecture as ExpressGatewayServiceConfiguration['cpuArchitecture'],
    networkConfiguration: c.networkConfiguration && structuredClone(c.networkConfiguration),
    healthCheckPath: c.healthCheckPath,
    primaryContainer: c.primaryContainer && (structuredClone(c.primaryContainer) as unknown as ExpressGatewayServiceConfiguration['primaryContainer']),
    scalingTarget: c.scalingTarget && (structuredClone(c.scalingTarget) as ExpressGatewayServiceConfiguration['scalingTarget']),
    ingressPaths: [{ accessType: 'PUBLIC', endpoint: `https://${service.name}.ecs.${service.region}.on.aws` }],
    createdAt: new Date(c.createdAt),
  };
}

function toExpress(service: EcsExpressService, now: number, withTags = true): ECSExpressGatewayService {
  const status = statusAt(service, now);
  return {
    cluster: service.cluster,
    serviceName: service.name,
    serviceArn: service.arn,
    infrastructureRoleArn: service.infrastructureRoleArn,
    status: status ? { statusCode: status } : { statusReason: 'The service is being provisioned.' },
    currentDeployment: service.currentDeployment,
    activeConfigurations: status === 'INACTIVE' ? [] : service.configurations.slice(-1).map((c) => toConfiguration(service, c)),
    tags: withTags ? toSdkTags(service.tags) : undefined,
    createdAt: new Date(service.createdAt),
    updatedAt: new Date(service.updatedAt),
  };
}

function checkRole(ctx: CallContext, arn: string | undefined, required: string): void {
  if (!arn) throw invalidParameter(`${required} is required.`);
  if (!roleByArn(ctx.state, arn)) throw clientError(unableToAssume(arn));
}

function configuration(ctx: CallContext, service: Pick<EcsExpressService, 'cluster' | 'name'>, input: Omit<UpdateExpressGatewayServiceRequest, 'serviceArn'>, base?: EcsExpressConfiguration): EcsExpressConfiguration {
  return {
    serviceRevisionArn: ecsArn(ctx, `service-revision/${service.cluster}/${service.name}/${digits(ctx.ids, 19)}`),
    createdAt: ctx.now,
    executionRoleArn: input.executionRoleArn ?? base?.executionRoleArn,
    taskRoleArn: input.taskRoleArn ?? base?.taskRoleArn,
    taskDefinitionArn: input.taskDefinitionArn ?? base?.taskDefinitionArn,
    cpu: input.cpu ?? base?.cpu ?? '1024',
    memory: input.memory ?? base?.memory ?? '2048',
    cpuArchitecture: input.cpuArchitecture ?? base?.cpuArchitecture,
    networkConfiguration: input.networkConfiguration ?? base?.networkConfiguration,
    healthCheckPath: input.healthCheckPath ?? base?.healthCheckPath ?? '/ping',
    primaryContainer: (input.primaryContainer as Record<string, unknown> | undefined) ?? base?.primaryContainer,
    scalingTarget: (input.scalingTarget as Record<string, unknown> | undefined) ?? base?.scalingTarget ?? { minTaskCount: 1, maxTaskCount: 20, autoScalingMetric: 'AVERAGE_CPU', autoScalingTargetValue: 60 },
  };
}

function requireExpress(ctx: CallContext, arn: string | undefined, forUpdate: boolean): EcsExpressService {
  const service = (forUpdate ? ecsForUpdate(ctx.state) : ecsOf(ctx.state)).express[ctx.region]?.[arn ?? ''];
  if (!service) throw serviceNotFound();
  return service;
}

export const expressOperations: Record<string, Operation> = {
  CreateExpressGatewayService: op<CreateExpressGatewayServiceRequest, Out<CreateExpressGatewayServiceResponse>>({
    run: (input, ctx) => {
      if (!input.primaryContainer?.image) throw invalidParameter('primaryContainer.image is required.');
      checkRole(ctx, input.infrastructureRoleArn, 'infrastructureRoleArn');
      checkRole(ctx, input.executionRoleArn, 'executionRoleArn');
      const cluster = ensureCluster(ctx, (input.cluster ?? 'default').replace(/^.*cluster\//, ''));
      const image = input.primaryContainer.image.split('@')[0]!.split('/').pop()!.split(':')[0]!;
      const name = input.serviceName ?? `${image}-${alnum(ctx.ids, 6).toLowerCase()}`;
      const arn = ecsArn(ctx, `service/${cluster.name}/${name}`);
      const existing = ecsOf(ctx.state).express[ctx.region]?.[arn];
      if ((existing && statusAt(existing, ctx.now) !== 'INACTIVE') || findService(ctx, cluster, name)?.status === 'ACTIVE') throw invalidParameter('Creation of service was not idempotent.');
      const service: EcsExpressService = {
        arn,
        name,
        cluster: cluster.name,
        region: ctx.region,
        infrastructureRoleArn: input.infrastructureRoleArn!,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        activeAt: ctx.now + PROVISIONING_PHASES * phaseMs(ctx.state),
        tags: checkTags(input.tags),
        currentDeployment: ecsArn(ctx, `service-deployment/${cluster.name}/${name}/${alnum(ctx.ids, 22)}`),
        configurations: [],
      };
      service.configurations.push(configuration(ctx, service, input));
      (ecsForUpdate(ctx.state).express[ctx.region] ??= {})[arn] = service;
      return { service: toExpress(service, ctx.now) };
    },
  }),

  DescribeExpressGatewayService: op<DescribeExpressGatewayServiceRequest, Out<DescribeExpressGatewayServiceResponse>>({
    run: (input, ctx) => ({ service: toExpress(requireExpress(ctx, input.serviceArn, false), ctx.now, input.include?.includes('TAGS') ?? false) }),
  }),

  UpdateExpressGatewayService: op<UpdateExpressGatewayServiceRequest, Out<UpdateExpressGatewayServiceResponse>>({
    run: (input, ctx) => {
      const service = requireExpress(ctx, input.serviceArn, true);
      if (service.inactiveAt !== undefined) throw serviceNotActive();
      if (input.executionRoleArn) checkRole(ctx, input.executionRoleArn, 'executionRoleArn');
      const { serviceArn: _arn, ...changes } = input;
      const next = configuration(ctx, service, changes, service.configurations.at(-1));
      service.configurations.push(next);
      service.updatedAt = ctx.now;
      service.currentDeployment = ecsArn(ctx, `service-deployment/${service.cluster}/${service.name}/${alnum(ctx.ids, 22)}`);
      const status = statusAt(service, ctx.now);
      return {
        service: { serviceArn: service.arn, cluster: service.cluster, serviceName: service.name, status: status ? { statusCode: status } : {}, targetConfiguration: toConfiguration(service, next), createdAt: new Date(service.createdAt), updatedAt: new Date(service.updatedAt) },
      };
    },
  }),

  DeleteExpressGatewayService: op<DeleteExpressGatewayServiceRequest, Out<DeleteExpressGatewayServiceResponse>>({
    run: (input, ctx) => {
      const service = requireExpress(ctx, input.serviceArn, true);
      if (service.inactiveAt !== undefined) throw serviceNotActive();
      service.inactiveAt = ctx.now + PROVISIONING_PHASES * phaseMs(ctx.state);
      service.updatedAt = ctx.now;
      return { service: toExpress(service, ctx.now) };
    },
  }),
};
