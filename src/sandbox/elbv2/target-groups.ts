import type {
  CreateTargetGroupInput,
  CreateTargetGroupOutput,
  DeleteTargetGroupInput,
  DescribeTargetGroupsInput,
  DescribeTargetGroupsOutput,
  ModifyTargetGroupInput,
  ModifyTargetGroupOutput,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { fault, SandboxUnsupportedError } from '../errors.js';
import { vpcExists } from '../ec2/network.js';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import type { Elbv2TargetGroup } from '../state.js';
import { checkName, elbArn, mergeTags, regional, requireLoadBalancer, requireTargetGroup, resourceId, targetGroupNotFound, type Regional } from './common.js';

type HealthCheck = Pick<
  Elbv2TargetGroup,
  'healthCheckPath' | 'healthCheckPort' | 'healthCheckIntervalSeconds' | 'healthCheckTimeoutSeconds' | 'healthyThresholdCount' | 'unhealthyThresholdCount' | 'matcher'
>;

/** AWS's defaults for an HTTP target group of an Application Load Balancer. */
const DEFAULTS: Required<HealthCheck> = {
  healthCheckPath: '/',
  healthCheckPort: 'traffic-port',
  healthCheckIntervalSeconds: 30,
  healthCheckTimeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  matcher: '200',
};

function between(value: number | undefined, min: number, max: number, member: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
}

/** The health check a request asks for, on top of `base`, checked as ELBv2 checks it. */
function healthCheck(input: CreateTargetGroupInput | ModifyTargetGroupInput, base: Required<HealthCheck>): Required<HealthCheck> {
  between(input.HealthCheckIntervalSeconds, 5, 300, 'healthCheckIntervalSeconds');
  between(input.HealthCheckTimeoutSeconds, 2, 120, 'healthCheckTimeoutSeconds');
  between(input.HealthyThresholdCount, 2, 10, 'healthyThresholdCount');
  between(input.UnhealthyThresholdCount, 2, 10, 'unhealthyThresholdCount');
  const path = input.HealthCheckPath ?? base.healthCheckPath;
  if (!path.startsWith('/') || path.length > 1024) throw validationError(`Health check path '${path}' must begin with a '/' character, and can be at most 1024 characters in length`);
  const port = input.HealthCheckPort ?? base.healthCheckPort;
  if (port !== 'traffic-port' && !(Number(port) >= 1 && Number(port) <= 65535)) throw validationError(`Health check port '${port}' must be 'traffic-port' or a number between 1 and 65535`);
  const matcher = input.Matcher?.HttpCode ?? base.matcher;
  if (input.Matcher?.GrpcCode) throw new SandboxUnsupportedError('the sandbox does not simulate gRPC health checks yet');
  if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(matcher)) throw validationError(`Health check matcher HTTP code '${matcher}' must be a value between 200 and 499, a list of values, or a range of values`);
  const result = {
    healthCheckPath: path,
    healthCheckPort: port,
    healthCheckIntervalSeconds: input.HealthCheckIntervalSeconds ?? base.healthCheckIntervalSeconds,
    healthCheckTimeoutSeconds: input.HealthCheckTimeoutSeconds ?? base.healthCheckTimeoutSeconds,
    healthyThresholdCount: input.HealthyThresholdCount ?? base.healthyThresholdCount,
    unhealthyThresholdCount: input.UnhealthyThresholdCount ?? base.unhealthyThresholdCount,
    matcher,
  };
  if (result.healthCheckTimeoutSeconds >= result.healthCheckIntervalSeconds) {
    throw validationError(`Health check timeout '${result.healthCheckTimeoutSeconds}' must be smaller than the interval '${result.healthCheckIntervalSeconds}'`);
  }
  return result;
}

const current = (tg: Elbv2TargetGroup): Required<HealthCheck> => ({ ...DEFAULTS, ...tg, healthCheckTimeoutSeconds: tg.healthCheckTimeoutSeconds ?? DEFAULTS.healthCheckTimeoutSeconds });

/** The load balancers whose listeners forward to a target group. */
export function loadBalancersOf(r: Regional, arn: string): string[] {
  return [...new Set(Object.values(r.listeners).filter((l) => l.targetGroupArn === arn).map((l) => l.loadBalancerArn))];
}

export function targetGroupOut(r: Regional, tg: Elbv2TargetGroup): TargetGroup {
  const hc = current(tg);
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol as TargetGroup['Protocol'],
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: tg.protocol as TargetGroup['Protocol'],
    HealthCheckPort: hc.healthCheckPort,
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: hc.healthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: hc.healthCheckTimeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    HealthCheckPath: hc.healthCheckPath,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: loadBalancersOf(r, tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

function checkCreate(ctx: CallContext, input: CreateTargetGroupInput): Omit<Elbv2TargetGroup, 'arn' | 'tags' | 'targets'> {
  const name = checkName(input.Name, 'target group');
  const targetType = input.TargetType ?? 'instance';
  if (targetType !== 'ip' && targetType !== 'instance') throw new SandboxUnsupportedError(`the sandbox does not simulate ${targetType} target groups yet (ip and instance only)`);
  if (!input.Protocol) throw validationError('A protocol must be specified');
  if (input.Protocol !== 'HTTP' && input.Protocol !== 'HTTPS') throw new SandboxUnsupportedError(`the sandbox does not simulate ${input.Protocol} target groups yet (HTTP and HTTPS only)`);
  if (input.Port === undefined) throw validationError('A port must be specified');
  between(input.Port, 1, 65535, 'port');
  if (!input.VpcId) throw validationError('A VPC ID must be specified');
  if (!vpcExists(ctx, input.VpcId)) throw validationError(`The VPC ID '${input.VpcId}' is not found`);
  return { name, protocol: input.Protocol, port: input.Port, vpcId: input.VpcId, targetType, ...healthCheck(input, DEFAULTS) };
}

export const targetGroupOperations: Record<string, Operation> = {
  CreateTargetGroup: op<CreateTargetGroupInput, Out<CreateTargetGroupOutput>>({
    resource: (input, ctx) => elbArn(ctx, `targetgroup/${input.Name ?? ''}/*`),
    run: (input, ctx) => {
      const wanted = checkCreate(ctx, input);
      const r = regional(ctx, true);
      // The same target group again is returned, as AWS does; the same name with other settings is an error.
      const existing = Object.values(r.targetGroups).find((tg) => tg.name === wanted.name);
      if (existing) {
        const settings = { ...existing, ...current(existing) };
        if (!(Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => settings[key] === wanted[key])) {
          throw fault('DuplicateTargetGroupName', `A target group with the same name '${wanted.name}' exists, but with different settings`);
        }
        return { TargetGroups: [targetGroupOut(r, existing)] };
      }
      const tg: Elbv2TargetGroup = { ...wanted, arn: elbArn(ctx, `targetgroup/${wanted.name}/${resourceId(ctx)}`), tags: mergeTags([], input.Tags), targets: [] };
      r.targetGroups[tg.arn] = tg;
      return { TargetGroups: [targetGroupOut(r, tg)] };
    },
  }),

  DescribeTargetGroups: op<DescribeTargetGroupsInput, Out<DescribeTargetGroupsOutput>>({
    run: (input, ctx) => {
      const r = regional(ctx);
      if (input.LoadBalancerArn) requireLoadBalancer(r, input.LoadBalancerArn);
      const all = Object.values(r.targetGroups);
      if ((input.TargetGroupArns ?? []).some((arn) => !r.targetGroups[arn])) throw targetGroupNotFound();
      const missingNames = (input.Names ?? []).filter((name) => !all.some((tg) => tg.name === name));
      if (missingNames.length) throw targetGroupNotFound(missingNames);
      const selected = all.filter(
        (tg) =>
          (!input.TargetGroupArns?.length || input.TargetGroupArns.includes(tg.arn)) &&
          (!input.Names?.length || input.Names.includes(tg.name)) &&
          (!input.LoadBalancerArn || loadBalancersOf(r, tg.arn).includes(input.LoadBalancerArn)),
      );
      return { TargetGroups: selected.map((tg) => targetGroupOut(r, tg)) };
    },
  }),

  ModifyTargetGroup: op<ModifyTargetGroupInput, Out<ModifyTargetGroupOutput>>({
    resource: (input) => input.TargetGroupArn ?? '*',
    run: (input, ctx) => {
      const r = regional(ctx, true);
      const tg = requireTargetGroup(r, input.TargetGroupArn);
      if (input.HealthCheckProtocol && input.HealthCheckProtocol !== tg.protocol) throw new SandboxUnsupportedError('the sandbox does not simulate a health check protocol other than the target group’s yet');
      Object.assign(tg, healthCheck(input, current(tg)));
      return { TargetGroups: [targetGroupOut(r, tg)] };
    },
  }),

  // Deleting one that is gone succeeds; one a listener still forwards to cannot go.
  DeleteTargetGroup: op<DeleteTargetGroupInput, object>({
    resource: (input) => input.TargetGroupArn ?? '*',
    run: (input, ctx) => {
      const r = regional(ctx, true);
      const arn = input.TargetGroupArn ?? '';
      if (Object.values(r.listeners).some((l) => l.targetGroupArn === arn)) throw fault('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
      delete r.targetGroups[arn];
      return {};
    },
  }),
};
