import type {
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  Filter,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import { fault } from '../errors.js';
import type { Operation, Out } from '../operation.js';
import { anyMatch, ec2op, invalidFilter, tagFilter } from './common.js';
import { availabilityZones, subnetNotFound, subnetsIn, vpcNotFound, vpcsIn } from './network.js';

function vpcMatches(vpc: Vpc, filter: Filter): boolean {
  switch (filter.Name) {
    case 'is-default':
    case 'isDefault':
      return anyMatch(filter, [String(vpc.IsDefault)]);
    case 'vpc-id':
      return anyMatch(filter, [vpc.VpcId]);
    case 'state':
      return anyMatch(filter, [vpc.State]);
    case 'cidr':
    case 'cidr-block-association.cidr-block':
      return anyMatch(filter, [vpc.CidrBlock]);
    case 'owner-id':
      return anyMatch(filter, [vpc.OwnerId]);
    default:
      return tagFilter([], filter) ?? fail(filter);
  }
}

function subnetMatches(subnet: Subnet, filter: Filter): boolean {
  switch (filter.Name) {
    case 'vpc-id':
      return anyMatch(filter, [subnet.VpcId]);
    case 'subnet-id':
      return anyMatch(filter, [subnet.SubnetId]);
    case 'default-for-az':
    case 'defaultForAz':
      return anyMatch(filter, [String(subnet.DefaultForAz)]);
    case 'availability-zone':
    case 'availabilityZone':
      return anyMatch(filter, [subnet.AvailabilityZone]);
    case 'availability-zone-id':
      return anyMatch(filter, [subnet.AvailabilityZoneId]);
    case 'map-public-ip-on-launch':
      return anyMatch(filter, [String(subnet.MapPublicIpOnLaunch)]);
    case 'state':
      return anyMatch(filter, [subnet.State]);
    case 'cidr-block':
    case 'cidr':
    case 'cidrBlock':
      return anyMatch(filter, [subnet.CidrBlock]);
    case 'owner-id':
      return anyMatch(filter, [subnet.OwnerId]);
    default:
      return tagFilter([], filter) ?? fail(filter);
  }
}

const invalidZone = (name: string) => fault('InvalidParameterValue', `Invalid availability zone: [${name}]`, 400);

function fail(filter: Filter): never {
  throw invalidFilter(filter.Name);
}

export const networkOperations: Record<string, Operation> = {
  DescribeVpcs: ec2op<DescribeVpcsRequest, Out<DescribeVpcsResult>>((input, ctx) => {
    const vpcs = vpcsIn(ctx);
    for (const id of input.VpcIds ?? []) if (!vpcs.some((v) => v.VpcId === id)) throw vpcNotFound(id);
    const selected = vpcs.filter((v) => (!input.VpcIds?.length || input.VpcIds.includes(v.VpcId ?? '')) && (input.Filters ?? []).every((f) => vpcMatches(v, f)));
    return { Vpcs: selected };
  }),

  DescribeSubnets: ec2op<DescribeSubnetsRequest, Out<DescribeSubnetsResult>>((input, ctx) => {
    const subnets = subnetsIn(ctx);
    for (const id of input.SubnetIds ?? []) if (!subnets.some((s) => s.SubnetId === id)) throw subnetNotFound(id);
    const selected = subnets.filter((s) => (!input.SubnetIds?.length || input.SubnetIds.includes(s.SubnetId ?? '')) && (input.Filters ?? []).every((f) => subnetMatches(s, f)));
    return { Subnets: selected };
  }),

  DescribeAvailabilityZones: ec2op<DescribeAvailabilityZonesRequest, Out<DescribeAvailabilityZonesResult>>((input, ctx) => {
    const zones = availabilityZones(ctx);
    for (const name of input.ZoneNames ?? []) {
      if (!zones.some((z) => z.ZoneName === name)) throw invalidZone(name);
    }
    const selected = zones.filter(
      (z) =>
        (!input.ZoneNames?.length || input.ZoneNames.includes(z.ZoneName ?? '')) &&
        (!input.ZoneIds?.length || input.ZoneIds.includes(z.ZoneId ?? '')) &&
        (input.Filters ?? []).every((f) => {
          if (f.Name === 'zone-name') return anyMatch(f, [z.ZoneName]);
          if (f.Name === 'zone-id') return anyMatch(f, [z.ZoneId]);
          if (f.Name === 'state') return anyMatch(f, [z.State]);
          if (f.Name === 'region-name') return anyMatch(f, [z.RegionName]);
          if (f.Name === 'zone-type') return anyMatch(f, [z.ZoneType]);
          if (f.Name === 'opt-in-status') return anyMatch(f, [z.OptInStatus]);
          return fail(f);
        }),
    );
    return { AvailabilityZones: selected };
  }),
};
