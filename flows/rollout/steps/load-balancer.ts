import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';

/** An internet-facing Application Load Balancer in the environment's subnets: the app's URL. */
export const loadBalancer: Step<RolloutContext> = {
  id: 'load-balancer',
  title: 'Application Load Balancer',
  plan: (c) => `elasticloadbalancing:CreateLoadBalancer ${c.names.loadBalancer} (internet-facing)`,
  async probe(c) {
    const lb = await findLoadBalancer(c);
    return lb?.LoadBalancerArn ? { arn: lb.LoadBalancerArn, dnsName: lb.DNSName ?? '' } : undefined;
  },
  async apply(c) {
    const elb = await c.elbv2();
    const created = await tolerate('already-exists', () =>
      elb.send(
        new CreateLoadBalancerCommand({
          Name: c.names.loadBalancer,
          Type: 'application',
          Scheme: 'internet-facing',
          Subnets: c.output<string[]>('network', 'subnets'),
          SecurityGroups: [c.output('lb-security-group', 'groupId')],
          Tags: c.tags,
        }),
        { abortSignal: c.signal },
      ),
    );
    const lb = created?.LoadBalancers?.[0] ?? (await findLoadBalancer(c));
    return { arn: lb?.LoadBalancerArn ?? '', dnsName: lb?.DNSName ?? '' };
  },
};

/** ip targets (Fargate's awsvpc tasks), the environment's health check path, success on 200–399. */
export const targetGroup: Step<RolloutContext> = {
  id: 'target-group',
  title: 'Target group with health check',
  plan: (c) => `elasticloadbalancing:CreateTargetGroup ${c.names.targetGroup} (port ${c.environment().containerPort}, health ${c.environment().healthCheckPath})`,
  async probe(c) {
    const group = await findTargetGroup(c);
    if (!group?.TargetGroupArn || group.HealthCheckPath !== c.environment().healthCheckPath || group.Port !== c.environment().containerPort) return undefined;
    return { arn: group.TargetGroupArn };
  },
  async apply(c) {
    const elb = await c.elbv2();
    const existing = await findTargetGroup(c);
    if (existing?.TargetGroupArn && existing.Port !== c.environment().containerPort) {
      // A target group's port cannot change: a new one with a new name would be needed.
      throw new Error(`Target group ${c.names.targetGroup} forwards to port ${existing.Port}, not ${c.environment().containerPort}. Delete it (or run slipway teardown) and roll out again.`);
    }
    if (existing?.TargetGroupArn) {
      await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: existing.TargetGroupArn, HealthCheckPath: c.environment().healthCheckPath }), { abortSignal: c.signal });
      return { arn: existing.TargetGroupArn };
    }
    const created = await tolerate('already-exists', () =>
      elb.send(
        new CreateTargetGroupCommand({
          Name: c.names.targetGroup,
          Protocol: 'HTTP',
          Port: c.environment().containerPort,
          VpcId: c.output('network', 'vpcId'),
          TargetType: 'ip',
          HealthCheckPath: c.environment().healthCheckPath,
          HealthCheckIntervalSeconds: 15,
          HealthyThresholdCount: 2,
          UnhealthyThresholdCount: 3,
          Matcher: { HttpCode: '200-399' },
          Tags: c.tags,
        }),
        { abortSignal: c.signal },
      ),
    );
    return { arn: created?.TargetGroups?.[0]?.TargetGroupArn ?? (await findTargetGroup(c))?.TargetGroupArn ?? '' };
  },
};

/** HTTP on 80, forwarding to the target group. (HTTPS needs a domain and a certificate: not yet.) */
export const listener: Step<RolloutContext> = {
  id: 'listener',
  title: 'Listener on port 80',
  plan: () => 'elasticloadbalancing:CreateListener HTTP 80 → target group',
  async probe(c) {
    const found = await findListener(c);
    const forwards = found?.DefaultActions?.some((a) => a.TargetGroupArn === c.output('target-group', 'arn'));
    return found?.ListenerArn && forwards ? { arn: found.ListenerArn } : undefined;
  },
  async apply(c) {
    const elb = await c.elbv2();
    const created = await tolerate('already-exists', () =>
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: c.output('load-balancer', 'arn'),
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: c.output('target-group', 'arn') }],
          Tags: c.tags,
        }),
        { abortSignal: c.signal },
      ),
    );
    if (!created) throw new Error(`The load balancer ${c.names.loadBalancer} already listens on port 80, forwarding elsewhere. Remove that listener, or run slipway teardown, then roll out again.`);
    return { arn: created.Listeners?.[0]?.ListenerArn ?? '' };
  },
};

async function findLoadBalancer(c: RolloutContext) {
  const elb = await c.elbv2();
  return (await tolerate('not-found', () => elb.send(new DescribeLoadBalancersCommand({ Names: [c.names.loadBalancer] }), { abortSignal: c.signal })))?.LoadBalancers?.[0];
}

async function findTargetGroup(c: RolloutContext): Promise<TargetGroup | undefined> {
  const elb = await c.elbv2();
  return (await tolerate('not-found', () => elb.send(new DescribeTargetGroupsCommand({ Names: [c.names.targetGroup] }), { abortSignal: c.signal })))?.TargetGroups?.[0];
}

async function findListener(c: RolloutContext) {
  const elb = await c.elbv2();
  const out = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: c.output('load-balancer', 'arn') }), { abortSignal: c.signal });
  return out.Listeners?.find((l) => l.Port === 80);
}
