import type {
  CreateLoadBalancerInput,
  CreateLoadBalancerOutput,
  DeleteLoadBalancerInput,
  DescribeLoadBalancersInput,
  DescribeLoadBalancersOutput,
  LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createHash } from 'node:crypto';
import { fault, SandboxUnsupportedError } from '../errors.js';
import { findSubnet } from '../ec2/network.js';
import { securityGroupsIn } from '../ec2/security-groups.js';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import type { Elbv2LoadBalancer } from '../state.js';
import { checkName, elbArn, loadBalancerNotFound, mergeTags, regional, resourceId } from './common.js';

/** How long a new load balancer stays "provisioning" in sandbox time (AWS takes a few minutes). */
export const LOAD_BALANCER_PROVISIONING_MS = 5_000;

/** The Route 53 hosted zone of Application Load Balancers in each region (AWS's published values). */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
};

function hostedZone(region: string): string {
  return HOSTED_ZONES[region] ?? `Z${createHash('sha256').update(region).digest('hex').slice(0, 13).toUpperCase()}`;
}

export function loadBalancerState(lb: Elbv2LoadBalancer, now: number): 'provisioning' | 'active' {
  return now - lb.createdAt >= LOAD_BALANCER_PROVISIONING_MS ? 'active' : 'provisioning';
}

export function loadBalancerOut(ctx: CallContext, lb: Elbv2LoadBalancer): LoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: hostedZone(ctx.region),
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: loadBalancerState(lb, ctx.now) },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((s) => ({ ZoneName: s.zoneName, SubnetId: s.subnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: [...lb.securityGroups],
    IpAddressType: 'ipv4',
  };
}

/** The subnets and groups a request names, checked as ELBv2 checks them. */
function placement(ctx: CallContext, input: CreateLoadBalancerInput): { vpcId: string; subnets: Elbv2LoadBalancer['subnets']; securityGroups: string[] } {
  const ids = input.Subnets ?? input.SubnetMappings?.map((m) => m.SubnetId ?? '') ?? [];
  if (input.SubnetMappings?.some((m) => m.AllocationId || m.PrivateIPv4Address)) throw new SandboxUnsupportedError('the sandbox does not simulate Elastic IPs or fixed addresses for load balancers yet');
  const subnets = ids.map((id) => {
    const subnet = findSubnet(ctx, id);
    if (!subnet) throw fault('SubnetNotFound', `The subnet ID '${id}' is not valid`);
    return { subnetId: id, zoneName: subnet.AvailabilityZone ?? '', vpcId: subnet.VpcId ?? '' };
  });
  const zones = new Set(subnets.map((s) => s.zoneName));
  if (zones.size !== subnets.length) throw fault('InvalidConfigurationRequest', 'A load balancer cannot be attached to multiple subnets in the same Availability Zone');
  if (zones.size < 2) throw validationError('At least two subnets in two different Availability Zones must be specified');
  const vpcId = subnets[0]!.vpcId;
  const groups = securityGroupsIn(ctx);
  // Without groups, an Application Load Balancer gets its VPC's default group.
  const securityGroups = input.SecurityGroups?.length ? input.SecurityGroups : Object.values(groups).filter((g) => g.vpcId === vpcId && g.name === 'default').map((g) => g.id);
  for (const id of securityGroups) {
    if (groups[id]?.vpcId !== vpcId) throw fault('InvalidSecurityGroup', `Security group '${id}' does not exist`);
  }
  return { vpcId, subnets: subnets.map(({ subnetId, zoneName }) => ({ subnetId, zoneName })), securityGroups };
}

const sameSettings = (a: Elbv2LoadBalancer, b: Omit<Elbv2LoadBalancer, 'arn' | 'dnsName' | 'createdAt' | 'tags'>) =>
  a.scheme === b.scheme &&
  a.type === b.type &&
  JSON.stringify(a.subnets.map((s) => s.subnetId).sort()) === JSON.stringify(b.subnets.map((s) => s.subnetId).sort()) &&
  JSON.stringify([...a.securityGroups].sort()) === JSON.stringify([...b.securityGroups].sort());

export const loadBalancerOperations: Record<string, Operation> = {
  CreateLoadBalancer: op<CreateLoadBalancerInput, Out<CreateLoadBalancerOutput>>({
    resource: (input, ctx) => elbArn(ctx, `loadbalancer/app/${input.Name ?? ''}/*`),
    run: (input, ctx) => {
      const name = checkName(input.Name, 'load balancer');
      if ((input.Type ?? 'application') !== 'application') throw new SandboxUnsupportedError(`the sandbox does not simulate ${input.Type} load balancers yet (application only)`);
      if (input.IpAddressType && input.IpAddressType !== 'ipv4') throw new SandboxUnsupportedError('the sandbox does not simulate dual-stack load balancers yet');
      const scheme = input.Scheme ?? 'internet-facing';
      const { vpcId, subnets, securityGroups } = placement(ctx, input);
      const r = regional(ctx, true);
      const wanted = { name, scheme, type: 'application' as const, vpcId, subnets, securityGroups };
      // Creating the same load balancer again returns it, as AWS does; the same name otherwise is an error.
      const existing = Object.values(r.loadBalancers).find((lb) => lb.name === name);
      if (existing) {
        if (!sameSettings(existing, wanted)) throw fault('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
        return { LoadBalancers: [loadBalancerOut(ctx, existing)] };
      }
      const digits = String(1_000_000_000 + (ctx.ids.bytes(4).readUInt32BE(0) % 1_000_000_000));
      const lb: Elbv2LoadBalancer = {
        ...wanted,
        arn: elbArn(ctx, `loadbalancer/app/${name}/${resourceId(ctx)}`),
        dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${ctx.region}.elb.amazonaws.com`,
        createdAt: ctx.now,
        tags: mergeTags([], input.Tags),
      };
      r.loadBalancers[lb.arn] = lb;
      return { LoadBalancers: [loadBalancerOut(ctx, lb)] };
    },
  }),

  DescribeLoadBalancers: op<DescribeLoadBalancersInput, Out<DescribeLoadBalancersOutput>>({
    run: (input, ctx) => {
      const all = Object.values(regional(ctx).loadBalancers);
      const missingArns = (input.LoadBalancerArns ?? []).filter((arn) => !all.some((lb) => lb.arn === arn));
      if (missingArns.length) throw loadBalancerNotFound();
      const missingNames = (input.Names ?? []).filter((name) => !all.some((lb) => lb.name === name));
      if (missingNames.length) throw loadBalancerNotFound(missingNames);
      const selected = all.filter((lb) => (!input.LoadBalancerArns?.length || input.LoadBalancerArns.includes(lb.arn)) && (!input.Names?.length || input.Names.includes(lb.name)));
      return { LoadBalancers: selected.map((lb) => loadBalancerOut(ctx, lb)) };
    },
  }),

  // Deleting one that is gone succeeds, as in AWS; its listeners go with it.
  DeleteLoadBalancer: op<DeleteLoadBalancerInput, object>({
    resource: (input) => input.LoadBalancerArn ?? '*',
    run: (input, ctx) => {
      const r = regional(ctx, true);
      if (!input.LoadBalancerArn) throw validationError("1 validation error detected: Value null at 'loadBalancerArn' failed to satisfy constraint: Member must not be null");
      for (const listener of Object.values(r.listeners)) if (listener.loadBalancerArn === input.LoadBalancerArn) delete r.listeners[listener.arn];
      delete r.loadBalancers[input.LoadBalancerArn];
      return {};
    },
  }),
};
