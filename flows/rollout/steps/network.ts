import { DescribeSubnetsCommand, DescribeVpcsCommand, type Subnet } from '@aws-sdk/client-ec2';
import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { writeEnvironment } from '../environment.js';
import type { RolloutContext } from '../context.js';

/**
 * Where the load balancer and tasks live: the default VPC and its subnets that give public IPs, or the
 * VPC and subnets the environment file names. An Application Load Balancer needs subnets in two
 * Availability Zones, so one zone is refused here rather than by CreateLoadBalancer. With no default
 * VPC the person picks one, and the choice is written to the environment file.
 */
export const network: Step<RolloutContext> = {
  id: 'network',
  title: 'Network (VPC and subnets)',
  plan: () => 'choose a VPC and public subnets in two Availability Zones',
  async probe(c) {
    const { vpc, subnets } = c.environment().network;
    const vpcId = vpc === 'default' ? await defaultVpc(c) : vpc;
    if (!vpcId) return undefined;
    return resolve(c, vpcId, subnets);
  },
  async apply(c) {
    const ec2 = await c.ec2();
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}), { abortSignal: c.signal })).Vpcs ?? [];
    if (vpcs.length === 0) {
      throw new UsageError(`This account has no VPC in ${c.settings.region}.`, {
        why: 'Tasks and the load balancer need a VPC with subnets in two Availability Zones.',
        fix: `Create the default VPC (aws ec2 create-default-vpc --region ${c.settings.region}), or create a VPC and put its id in the environment file.`,
      });
    }
    const vpcId = await c.prompter.select({
      id: 'vpc',
      message: `There is no default VPC in ${c.settings.region}. Which VPC should ${c.settings.env} use?`,
      choices: vpcs.map((v) => ({ value: v.VpcId ?? '', label: `${v.VpcId} ${v.CidrBlock ?? ''} ${v.Tags?.find((t) => t.Key === 'Name')?.Value ?? ''}`.trim() })),
    });
    const resolved = await resolve(c, vpcId, []);
    const settings = { ...c.environment(), network: { ...c.environment().network, vpc: vpcId, subnets: resolved.subnets } };
    writeEnvironment(c.dir, c.settings.env, settings);
    c.outputs.environment = { ...c.outputs.environment, settings };
    c.report.log(`Wrote the VPC and subnets to the environment file.`);
    return resolved;
  },
};

async function defaultVpc(c: RolloutContext): Promise<string | undefined> {
  const out = await (await c.ec2()).send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }), { abortSignal: c.signal });
  return out.Vpcs?.[0]?.VpcId;
}

async function resolve(c: RolloutContext, vpcId: string, named: string[]) {
  const ec2 = await c.ec2();
  const request = named.length > 0 ? { SubnetIds: named } : { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] };
  let subnets: Subnet[] = (await ec2.send(new DescribeSubnetsCommand(request), { abortSignal: c.signal })).Subnets ?? [];
  if (named.length === 0 && c.environment().network.public) {
    const giving = subnets.filter((s) => s.MapPublicIpOnLaunch);
    if (giving.length > 0) subnets = giving;
  }
  const foreign = subnets.filter((s) => s.VpcId !== vpcId);
  if (foreign.length > 0) throw new UsageError(`Subnet ${foreign[0]!.SubnetId} is not in ${vpcId}.`, { fix: 'List subnets of the environment’s VPC in "network.subnets".' });
  const zones = [...new Set(subnets.map((s) => s.AvailabilityZone ?? ''))].filter(Boolean).sort();
  if (zones.length < 2) {
    throw new UsageError(`The subnets of ${vpcId} are all in ${zones[0] ?? 'no Availability Zone'}.`, {
      why: 'An Application Load Balancer needs subnets in at least two Availability Zones.',
      fix: 'Add a subnet in a second Availability Zone to the VPC, or list subnets in two zones in the environment file’s "network.subnets".',
    });
  }
  // One subnet per zone is enough for the load balancer; tasks may use them all.
  const ids = subnets.map((s) => s.SubnetId ?? '').filter(Boolean).sort();
  c.report.log(`${vpcId}: ${ids.length} subnets in ${zones.join(', ')}`);
  return { vpcId, subnets: ids, zones };
}
