import type {
  DescribeServiceDeploymentsRequest,
  DescribeServiceDeploymentsResponse,
  Failure,
  ListServiceDeploymentsRequest,
  ListServiceDeploymentsResponse,
  ServiceDeployment,
  ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { op, type Operation, type Out } from '../operation.js';
import { ecsOf, findService, page, requireCluster, serviceNotFound } from './common.js';
import { breakerThreshold } from './scheduler.js';
import type { EcsDeployment, EcsService } from './state.js';
import { serviceTasks } from './views.js';
import type { SandboxState } from '../state.js';

/**
 * The newer deployment API over the same deployments. A circuit-breaker rollback is not a deployment
 * of its own there: the failed one goes ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL.
 */

const date = (t: number | undefined) => (t === undefined ? undefined : new Date(t));
const clusterArn = (state: SandboxState, s: EcsService) => `arn:aws:ecs:${s.region}:${state.accountId}:cluster/${s.cluster}`;
const visibleDeployments = (service: EcsService) => service.deployments.filter((d) => d.rollbackOf === undefined);

function brief(state: SandboxState, service: EcsService, d: EcsDeployment): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: d.serviceDeploymentArn,
    serviceArn: service.arn,
    clusterArn: clusterArn(state, service),
    startedAt: new Date(d.createdAt),
    createdAt: new Date(d.createdAt),
    finishedAt: date(d.finishedAt),
    targetServiceRevisionArn: d.serviceRevisionArn,
    status: d.deploymentStatus,
    statusReason: d.statusReason,
  };
}

function full(state: SandboxState, service: EcsService, d: EcsDeployment): ServiceDeployment {
  const tasks = serviceTasks(state, service).filter((t) => t.desiredStatus === 'RUNNING');
  const revision = (x: EcsDeployment) => {
    const mine = tasks.filter((t) => t.deploymentId === x.id);
    return { arn: x.serviceRevisionArn, requestedTaskCount: x.status === 'PRIMARY' ? service.desiredCount : mine.length, runningTaskCount: mine.filter((t) => t.lastStatus === 'RUNNING').length, pendingTaskCount: mine.filter((t) => t.lastStatus !== 'RUNNING').length };
  };
  const index = service.deployments.indexOf(d);
  const source = service.deployments.slice(index + 1).find((x) => x.rollbackOf === undefined && x.rolloutState === 'COMPLETED');
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  return {
    ...brief(state, service, d),
    updatedAt: new Date(d.updatedAt),
    stoppedAt: d.deploymentStatus === 'STOPPED' ? date(d.finishedAt) : undefined,
    sourceServiceRevisions: source ? [revision(source)] : [],
    targetServiceRevision: revision(d),
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    rollback: d.rollback ? { reason: d.rollback.reason, startedAt: new Date(d.rollback.startedAt), serviceRevisionArn: d.rollback.serviceRevisionArn } : undefined,
    deploymentCircuitBreaker: breaker?.enable
      ? { status: d.rolloutState === 'FAILED' ? 'TRIGGERED' : d.rolloutState === 'COMPLETED' ? 'MONITORING_COMPLETE' : 'MONITORING', failureCount: d.failedTasks, threshold: breakerThreshold(service.desiredCount) }
      : { status: 'DISABLED' },
  };
}

export const deploymentOperations: Record<string, Operation> = {
  ListServiceDeployments: op<ListServiceDeploymentsRequest, Out<ListServiceDeploymentsResponse>>({
    run: (input, ctx) => {
      const service = findService(ctx, requireCluster(ctx, input.cluster), input.service);
      if (!service) throw serviceNotFound();
      const after = input.createdAt?.after?.getTime() ?? -Infinity;
      const before = input.createdAt?.before?.getTime() ?? Infinity;
      const briefs = visibleDeployments(service)
        .filter((d) => (!input.status?.length || input.status.includes(d.deploymentStatus)) && d.createdAt >= after && d.createdAt <= before)
        .map((d) => brief(ctx.state, service, d));
      const { items, nextToken } = page(briefs, input, 100, 20);
      return { serviceDeployments: items, nextToken };
    },
  }),

  DescribeServiceDeployments: op<DescribeServiceDeploymentsRequest, Out<DescribeServiceDeploymentsResponse>>({
    run: (input, ctx) => {
      const serviceDeployments: ServiceDeployment[] = [];
      const failures: Failure[] = [];
      const services = Object.values(ecsOf(ctx.state).services[ctx.region] ?? {});
      for (const arn of input.serviceDeploymentArns ?? []) {
        const service = services.find((s) => s.deployments.some((d) => d.serviceDeploymentArn === arn && d.rollbackOf === undefined));
        const d = service?.deployments.find((x) => x.serviceDeploymentArn === arn);
        if (service && d) serviceDeployments.push(full(ctx.state, service, d));
        else failures.push({ arn, reason: 'MISSING' });
      }
      return { serviceDeployments, failures };
    },
  }),
};
