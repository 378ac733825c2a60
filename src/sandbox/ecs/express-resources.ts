import { createHash } from 'node:crypto';
import type { DescribeServiceRevisionsRequest, DescribeServiceRevisionsResponse, ECSManagedResources, Failure, ManagedResourceStatus, ServiceRevision } from '@aws-sdk/client-ecs';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { ecsOf, invalidParameter } from './common.js';
import type { EcsExpressConfiguration, EcsExpressService } from './state.js';

/**
 * DescribeServiceRevisions: what a revision deploys — for an Express Mode revision also the resources
 * ECS made for it (`ecsManagedResources`: the load balancer, its HTTPS listener and rule, the target
 * group, the certificate, security groups, the auto scaling target and policy, the log group, the
 * alarm). The sandbox does not create these in ELBv2 or elsewhere: their ARNs are derived from the
 * service, and their status follows the service's (PROVISIONING, ACTIVE, DEPROVISIONING, DELETED).
 */

const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);

function statusOf(service: EcsExpressService, now: number): ManagedResourceStatus {
  if (service.inactiveAt !== undefined) return now >= service.inactiveAt ? 'DELETED' : 'DEPROVISIONING';
  return now >= service.activeAt ? 'ACTIVE' : 'PROVISIONING';
}

function managedResources(ctx: CallContext, service: EcsExpressService, c: EcsExpressConfiguration): ECSManagedResources {
  const status = statusOf(service, ctx.now);
  const updatedAt = new Date(Math.min(ctx.now, status === 'PROVISIONING' ? service.createdAt : status === 'ACTIVE' ? service.activeAt : (service.inactiveAt ?? ctx.now)));
  const base = `${ctx.region}:${ctx.state.accountId}`;
  const id = (kind: string, length = 16) => hex(`${service.arn}\n${kind}`, length);
  const lbName = `ecs-express-gateway-alb-${id('alb', 8)}`;
  const lbArn = `arn:aws:elasticloadbalancing:${base}:loadbalancer/app/${lbName}/${id('alb-id')}`;
  const host = `${service.name}.ecs.${service.region}.on.aws`;
  const container = c.primaryContainer as { containerPort?: number; awsLogsConfiguration?: { logGroup?: string } } | undefined;
  const logGroup = container?.awsLogsConfiguration?.logGroup ?? `/aws/ecs/${service.cluster}/${service.name}-${id('logs', 4)}`;
  const scaling = (c.scalingTarget ?? {}) as { minTaskCount?: number; maxTaskCount?: number; autoScalingMetric?: string; autoScalingTargetValue?: number };
  const managed = { status, updatedAt };
  return {
    ingressPaths: [
      {
        accessType: 'PUBLIC',
        endpoint: `https://${host}`,
        loadBalancer: { arn: lbArn, ...managed, scheme: 'internet-facing', subnetIds: c.networkConfiguration?.subnets, securityGroupIds: [`sg-${id('lb-sg', 17)}`] },
        loadBalancerSecurityGroups: [{ arn: `arn:aws:ec2:${base}:security-group/sg-${id('lb-sg', 17)}`, ...managed }],
        certificate: { arn: `arn:aws:acm:${base}:certificate/${id('cert', 8)}-${id('cert2', 4)}-${id('cert3', 4)}-${id('cert4', 4)}-${id('cert5', 12)}`, ...managed, domainName: host },
        listener: { arn: `arn:aws:elasticloadbalancing:${base}:listener/app/${lbName}/${id('alb-id')}/${id('listener')}`, ...managed },
        rule: { arn: `arn:aws:elasticloadbalancing:${base}:listener-rule/app/${lbName}/${id('alb-id')}/${id('listener')}/${id('rule')}`, ...managed },
        targetGroups: [{ arn: `arn:aws:elasticloadbalancing:${base}:targetgroup/ecs-gateway-tg-${id('tg', 8)}/${id('tg-id')}`, ...managed, healthCheckPath: c.healthCheckPath, healthCheckPort: container?.containerPort ?? 80, port: container?.containerPort ?? 80 }],
      },
    ],
    autoScaling: {
      scalableTarget: { arn: `arn:aws:application-autoscaling:${base}:scalable-target/${id('target', 28)}`, ...managed, minCapacity: scaling.minTaskCount ?? 1, maxCapacity: scaling.maxTaskCount ?? 20 },
      applicationAutoScalingPolicies: [
        {
          arn: `arn:aws:autoscaling:${base}:scalingPolicy:${id('policy', 8)}-${id('policy2', 4)}-${id('policy3', 4)}-${id('policy4', 4)}-${id('policy5', 12)}:resource/ecs/service/${service.cluster}/${service.name}:policyName/${service.name}-target-tracking`,
          ...managed,
          policyType: 'TargetTrackingScaling',
          targetValue: scaling.autoScalingTargetValue ?? 60,
          metric: scaling.autoScalingMetric ?? 'AVERAGE_CPU',
        },
      ],
    },
    metricAlarms: [{ arn: `arn:aws:cloudwatch:${base}:alarm:${service.name}-faulty-deployment-${id('alarm', 8)}`, ...managed }],
    serviceSecurityGroups: [{ arn: `arn:aws:ec2:${base}:security-group/sg-${id('svc-sg', 17)}`, ...managed }],
    logGroups: [{ arn: `arn:aws:logs:${base}:log-group:${logGroup}`, ...managed, logGroupName: logGroup }],
  };
}

function expressRevision(ctx: CallContext, arn: string): ServiceRevision | undefined {
  for (const service of Object.values(ecsOf(ctx.state).express[ctx.region] ?? {})) {
    const c = service.configurations.find((x) => x.serviceRevisionArn === arn);
    if (!c) continue;
    const container = c.primaryContainer as { image?: string } | undefined;
    return {
      serviceRevisionArn: arn,
      serviceArn: service.arn,
      clusterArn: `arn:aws:ecs:${ctx.region}:${ctx.state.accountId}:cluster/${service.cluster}`,
      taskDefinition: c.taskDefinitionArn ?? `arn:aws:ecs:${ctx.region}:${ctx.state.accountId}:task-definition/${service.name}:${service.configurations.indexOf(c) + 1}`,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      containerImages: container?.image ? [{ containerName: 'Main', image: container.image, imageDigest: container.image.split('@')[1] }] : [],
      createdAt: new Date(c.createdAt),
      ecsManagedResources: managedResources(ctx, service, c),
    };
  }
  return undefined;
}

function serviceRevision(ctx: CallContext, arn: string): ServiceRevision | undefined {
  for (const service of Object.values(ecsOf(ctx.state).services[ctx.region] ?? {})) {
    const d = service.deployments.find((x) => x.serviceRevisionArn === arn);
    if (!d) continue;
    return {
      serviceRevisionArn: arn,
      serviceArn: service.arn,
      clusterArn: `arn:aws:ecs:${ctx.region}:${ctx.state.accountId}:cluster/${service.cluster}`,
      taskDefinition: d.taskDefinition,
      launchType: d.launchType as ServiceRevision['launchType'],
      loadBalancers: structuredClone(service.loadBalancers),
      networkConfiguration: d.networkConfiguration && structuredClone(d.networkConfiguration),
      createdAt: new Date(d.createdAt),
    };
  }
  return undefined;
}

export const serviceRevisionOperations: Record<string, Operation> = {
  DescribeServiceRevisions: op<DescribeServiceRevisionsRequest, Out<DescribeServiceRevisionsResponse>>({
    run: (input, ctx) => {
      const arns = input.serviceRevisionArns ?? [];
      if (arns.length < 1 || arns.length > 20) throw invalidParameter('serviceRevisionArns must contain between 1 and 20 items.');
      const serviceRevisions: ServiceRevision[] = [];
      const failures: Failure[] = [];
      for (const arn of arns) {
        const found = expressRevision(ctx, arn) ?? serviceRevision(ctx, arn);
        if (found) serviceRevisions.push(found);
        else failures.push({ arn, reason: 'MISSING' });
      }
      return { serviceRevisions, failures };
    },
  }),
};
