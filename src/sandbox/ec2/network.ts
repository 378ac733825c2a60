import type { AvailabilityZone, Subnet, Vpc } from '@aws-sdk/client-ec2';
import { fault } from '../errors.js';
import { stableEc2Id } from '../ids.js';
import type { CallContext } from '../operation.js';

/**
 * The network a new account finds in each region — a default VPC (172.31.0.0/16) with one default
 * subnet per availability zone — derived from the account and region rather than stored, so older
 * sandbox files have it too. A region listed in `state.ec2.noDefaultVpc` has neither (someone deleted
 * the default VPC), which lets flows be tested asking for a network.
 */

const ZONE_LETTERS = ['a', 'b', 'c'];
const SUBNET_CIDRS = ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20'];
/** A /20 has 4096 addresses; AWS reserves 5 in every subnet. */
const ADDRESSES_PER_SUBNET = 4091;

const REGION_WORDS: Record<string, string> = { north: 'n', south: 's', east: 'e', west: 'w', central: 'c', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw' };

/** Zone ids as AWS names them: us-east-1 → use1-az1, ap-southeast-2 → apse2-az1. */
function zoneIdPrefix(region: string): string {
  const [area = '', direction = '', number = ''] = region.split('-');
  return `${area}${REGION_WORDS[direction] ?? direction.slice(0, 1)}${number}`;
}

export function hasDefaultVpc(ctx: CallContext): boolean {
  return !(ctx.state.ec2.noDefaultVpc ?? []).includes(ctx.region);
}

export function availabilityZones(ctx: CallContext): AvailabilityZone[] {
  return ZONE_LETTERS.map((letter, i) => ({
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: ctx.region,
    ZoneName: `${ctx.region}${letter}`,
    ZoneId: `${zoneIdPrefix(ctx.region)}-az${i + 1}`,
    GroupName: ctx.region,
    NetworkBorderGroup: ctx.region,
    ZoneType: 'availability-zone',
  }));
}

export function defaultVpcId(ctx: CallContext): string {
  return stableEc2Id('vpc', ctx.state.accountId, ctx.region);
}

/** The region's VPCs: the default one, unless the region has none. */
export function vpcsIn(ctx: CallContext): Vpc[] {
  if (!hasDefaultVpc(ctx)) return [];
  const { accountId } = ctx.state;
  return [
    {
      VpcId: defaultVpcId(ctx),
      OwnerId: accountId,
      CidrBlock: '172.31.0.0/16',
      CidrBlockAssociationSet: [{ AssociationId: stableEc2Id('vpc-cidr-assoc', accountId, ctx.region), CidrBlock: '172.31.0.0/16', CidrBlockState: { State: 'associated' } }],
      DhcpOptionsId: stableEc2Id('dopt', accountId, ctx.region),
      State: 'available',
      InstanceTenancy: 'default',
      IsDefault: true,
      Tags: [],
    },
  ];
}

export function subnetsIn(ctx: CallContext): Subnet[] {
  if (!hasDefaultVpc(ctx)) return [];
  const { accountId } = ctx.state;
  const vpcId = defaultVpcId(ctx);
  return availabilityZones(ctx).map((zone, i) => {
    const id = stableEc2Id('subnet', accountId, ctx.region, zone.ZoneName ?? '');
    return {
      AvailabilityZone: zone.ZoneName,
      AvailabilityZoneId: zone.ZoneId,
      AvailableIpAddressCount: ADDRESSES_PER_SUBNET,
      CidrBlock: SUBNET_CIDRS[i],
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      MapCustomerOwnedIpOnLaunch: false,
      State: 'available',
      SubnetId: id,
      VpcId: vpcId,
      OwnerId: accountId,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      Tags: [],
      SubnetArn: `arn:aws:ec2:${ctx.region}:${accountId}:subnet/${id}`,
      EnableDns64: false,
      Ipv6Native: false,
      PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    };
  });
}

export function findSubnet(ctx: CallContext, id: string): Subnet | undefined {
  return subnetsIn(ctx).find((s) => s.SubnetId === id);
}

export function vpcExists(ctx: CallContext, id: string | undefined): boolean {
  return vpcsIn(ctx).some((v) => v.VpcId === id);
}

export const vpcNotFound = (id: string) => fault('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`, 400);
export const subnetNotFound = (id: string) => fault('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`, 400);
