import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { adminClients, caught, frozenSandbox } from './support.js';

const EC2_ID = /^(vpc|subnet|sg)-[0-9a-f]{17}$/;

async function defaultVpcId(ec2: EC2Client): Promise<string> {
  return (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
}

async function newGroup(ec2: EC2Client, name: string): Promise<string> {
  return (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group` }))).GroupId!;
}

describe('EC2 default network', () => {
  it('DescribeAvailabilityZones lists a, b and c of the region with their zone ids', async () => {
    const { ec2 } = adminClients(frozenSandbox(), 'eu-west-2');
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    expect(zones.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ['eu-west-2a', 'euw2-az1', 'available'],
      ['eu-west-2b', 'euw2-az2', 'available'],
      ['eu-west-2c', 'euw2-az3', 'available'],
    ]);
    expect((await ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['eu-west-2b'] }))).AvailabilityZones).toHaveLength(1);
    expect((await caught(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['eu-west-2z'] })))).name).toBe('InvalidParameterValue');
  });

  it('DescribeSubnets: one default subnet per zone in the default VPC, the same on every call', async () => {
    const sandbox = frozenSandbox();
    const { ec2 } = adminClients(sandbox);
    const vpcId = await defaultVpcId(ec2);
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    expect(subnets.map((s) => [s.AvailabilityZone, s.CidrBlock])).toEqual([
      ['us-east-1a', '172.31.0.0/20'],
      ['us-east-1b', '172.31.16.0/20'],
      ['us-east-1c', '172.31.32.0/20'],
    ]);
    for (const s of subnets) {
      expect(s).toMatchObject({ VpcId: vpcId, DefaultForAz: true, MapPublicIpOnLaunch: true, State: 'available', OwnerId: sandbox.accountId, AvailableIpAddressCount: 4091 });
      expect(s.SubnetId).toMatch(EC2_ID);
    }
    expect((await ec2.send(new DescribeSubnetsCommand({}))).Subnets).toEqual(subnets);
  });

  it('DescribeSubnets filters by vpc-id, default-for-az, availability-zone and subnet-id', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const vpcId = await defaultVpcId(ec2);
    const all = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    const by = async (Name: string, Values: string[]) => (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name, Values }] }))).Subnets!.map((s) => s.SubnetId);
    expect(await by('vpc-id', [vpcId])).toHaveLength(3);
    expect(await by('vpc-id', ['vpc-00000000000000000'])).toEqual([]);
    expect(await by('default-for-az', ['true'])).toHaveLength(3);
    expect(await by('availability-zone', ['us-east-1b'])).toEqual([all[1]!.SubnetId]);
    expect(await by('subnet-id', [all[2]!.SubnetId!])).toEqual([all[2]!.SubnetId]);
    const two = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [all[0]!.SubnetId!, all[1]!.SubnetId!] }));
    expect(two.Subnets).toHaveLength(2);
    expect((await caught(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('DescribeSubnets → InvalidSubnetID.NotFound for an id it does not know', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const error = await caught(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })));
    expect(error.name).toBe('InvalidSubnetID.NotFound');
    expect(error.message).toBe("The subnet ID 'subnet-0123456789abcdef0' does not exist");
    expect(classifyAwsError(error)).toBe('not-found');
  });

  it('a region without a default VPC has no VPC, subnets or default group', async () => {
    const sandbox = frozenSandbox();
    sandbox.update((s) => void (s.ec2.noDefaultVpc = ['eu-central-1']));
    const { ec2 } = adminClients(sandbox, 'eu-central-1');
    expect((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs).toEqual([]);
    expect((await ec2.send(new DescribeSubnetsCommand({}))).Subnets).toEqual([]);
    expect((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toEqual([]);
    const error = await caught(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' })));
    expect(error.name).toBe('VPCIdNotSpecified');
    // Other regions keep theirs.
    expect((await adminClients(sandbox, 'us-east-1').ec2.send(new DescribeSubnetsCommand({}))).Subnets).toHaveLength(3);
  });
});

describe('EC2 security groups', () => {
  it('every VPC has a "default" group (members in, anything out) that cannot be deleted', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const vpcId = await defaultVpcId(ec2);
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups!;
    expect(groups).toHaveLength(1);
    const group = groups[0]!;
    expect(group).toMatchObject({ GroupName: 'default', VpcId: vpcId, Description: 'default VPC security group' });
    expect(group.GroupId).toMatch(EC2_ID);
    expect(group.IpPermissions).toEqual([{ IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: group.GroupId, UserId: group.OwnerId }] }]);
    expect(group.IpPermissionsEgress?.[0]).toMatchObject({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    const error = await caught(ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId })));
    expect(error.name).toBe('CannotDelete');
  });

  it('CreateSecurityGroup in the default VPC with tags and an allow-all egress rule; again → InvalidGroup.Duplicate', async () => {
    const sandbox = frozenSandbox();
    const { ec2 } = adminClients(sandbox);
    const vpcId = await defaultVpcId(ec2);
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'todobackend-dev-app',
        Description: 'todobackend dev tasks',
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'slipway:app', Value: 'todobackend' }, { Key: 'slipway:env', Value: 'dev' }] }],
      }),
    );
    expect(created.GroupId).toMatch(EC2_ID);
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:${sandbox.accountId}:security-group/${created.GroupId}`);
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId!] }))).SecurityGroups!;
    expect(group).toMatchObject({ GroupName: 'todobackend-dev-app', Description: 'todobackend dev tasks', VpcId: vpcId, IpPermissions: [] });
    expect(group?.Tags).toEqual([{ Key: 'slipway:app', Value: 'todobackend' }, { Key: 'slipway:env', Value: 'dev' }]);
    expect(group?.IpPermissionsEgress).toEqual([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);

    const duplicate = await caught(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'todobackend-dev-app', Description: 'again' })));
    expect(duplicate.name).toBe('InvalidGroup.Duplicate');
    expect(duplicate.message).toBe(`The security group 'todobackend-dev-app' already exists for VPC '${vpcId}'`);
    expect(classifyAwsError(duplicate)).toBe('already-exists');
  });

  it('CreateSecurityGroup checks its input: names, description, VPC; DryRun', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    expect((await caught(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'sg-web', Description: 'x' })))).name).toBe('InvalidParameterValue');
    expect((await caught(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: undefined as unknown as string })))).name).toBe('MissingParameter');
    const vpc = await caught(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'x', VpcId: 'vpc-00000000000000000' })));
    expect(vpc.name).toBe('InvalidVpcID.NotFound');
    expect((await caught(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'x', DryRun: true })))).name).toBe('DryRunOperation');
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['web'] }] }))).SecurityGroups).toEqual([]);
  });

  it('DescribeSecurityGroups → InvalidGroup.NotFound for an unknown id; filters by name, VPC and tags', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const vpcId = await defaultVpcId(ec2);
    const missing = await caught(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })));
    expect(missing.name).toBe('InvalidGroup.NotFound');
    expect(missing.message).toBe("The security group 'sg-0123456789abcdef0' does not exist");
    expect(classifyAwsError(missing)).toBe('not-found');
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'slipway:env', Value: 'dev' }] }] }));
    await newGroup(ec2, 'lb');
    const names = async (Name: string, Values: string[]) => (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name, Values }] }))).SecurityGroups!.map((g) => g.GroupName).sort();
    expect(await names('vpc-id', [vpcId])).toEqual(['app', 'default', 'lb']);
    expect(await names('group-name', ['app', 'lb'])).toEqual(['app', 'lb']);
    expect(await names('tag:slipway:env', ['dev'])).toEqual(['app']);
    expect(await names('tag:slipway:env', ['prod'])).toEqual([]);
    expect(await names('tag-key', ['slipway:env'])).toEqual(['app']);
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['lb'] }))).SecurityGroups?.[0]?.GroupName).toBe('lb');
    expect((await caught(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['nope'] })))).name).toBe('InvalidGroup.NotFound');
    expect((await caught(ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('AuthorizeSecurityGroupIngress from a CIDR and from another group; the same rule again → InvalidPermission.Duplicate', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const lb = await newGroup(ec2, 'lb');
    const app = await newGroup(ec2, 'app');
    const http = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lb, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] }] }));
    expect(http.Return).toBe(true);
    expect(http.SecurityGroupRules).toEqual([expect.objectContaining({ GroupId: lb, IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '0.0.0.0/0', Description: 'web' })]);
    expect(http.SecurityGroupRules?.[0]?.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, UserIdGroupPairs: [{ GroupId: lb }] }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));

    const [described] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [app] }))).SecurityGroups!;
    expect(described?.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: lb, UserId: described?.OwnerId }] },
    ]);

    const duplicate = await caught(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lb, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })));
    expect(duplicate.name).toBe('InvalidPermission.Duplicate');
    expect(duplicate.message).toBe('the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists');
    const fromGroup = await caught(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, UserIdGroupPairs: [{ GroupId: lb }] }] })));
    expect(fromGroup.message).toBe(`the specified rule "peer: ${lb}, TCP, from port: 8000, to port: 8000, ALLOW" already exists`);
  });

  it('Authorize checks protocols, ports, CIDRs and source groups', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const sg = await newGroup(ec2, 'app');
    const send = (IpPermissions: object[]) => caught(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions })));
    expect((await send([{ IpProtocol: 'gre', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }])).name).toBe('InvalidParameterValue');
    expect((await send([{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }])).name).toBe('InvalidParameterValue');
    expect((await send([{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '300.0.0.0/0' }] }])).message).toBe('CIDR block 300.0.0.0/0 is malformed');
    expect((await send([{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0' }] }])).name).toBe('InvalidGroup.NotFound');
    expect((await caught(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-0123456789abcdef0', IpPermissions: [] })))).name).toBe('InvalidGroup.NotFound');
  });

  it('DescribeSecurityGroupRules lists one rule per source; Revoke by permission or rule id; unknown → InvalidPermission.NotFound', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const sg = await newGroup(ec2, 'web');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.7/32' }, { CidrIp: '198.51.100.0/24' }] }] }));
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sg] }] }))).SecurityGroupRules!;
    expect(rules.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.CidrIpv4])).toEqual([
      [false, 'tcp', 22, '203.0.113.7/32'],
      [false, 'tcp', 22, '198.51.100.0/24'],
      [true, '-1', -1, '0.0.0.0/0'],
    ]);

    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.7/32' }] }] }));
    expect(revoked.Return).toBe(true);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, SecurityGroupRuleIds: [rules[1]!.SecurityGroupRuleId!] }));
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups?.[0]?.IpPermissions).toEqual([]);

    const gone = await caught(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.7/32' }] }] })));
    expect(gone.name).toBe('InvalidPermission.NotFound');
    expect(gone.message).toBe('The specified rule does not exist in this security group.');
    expect((await caught(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, SecurityGroupRuleIds: ['sgr-0123456789abcdef0'] })))).name).toBe('InvalidSecurityGroupRuleId.NotFound');
  });

  it('AuthorizeSecurityGroupEgress / RevokeSecurityGroupEgress', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const sg = await newGroup(ec2, 'locked');
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups!;
    expect(group?.IpPermissionsEgress).toEqual([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
    const duplicate = await caught(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })));
    expect(duplicate.name).toBe('InvalidPermission.Duplicate');
  });

  it('the default group can be changed like any other, and keeps its id', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const [before] = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'default', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const [after] = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups!;
    expect(after?.GroupId).toBe(before?.GroupId);
    expect(after?.IpPermissions).toHaveLength(2);
  });

  it('DeleteSecurityGroup → DependencyViolation while another group or a load balancer uses it, then deletes', async () => {
    const sandbox = frozenSandbox();
    const { ec2 } = adminClients(sandbox);
    const lb = await newGroup(ec2, 'lb');
    const app = await newGroup(ec2, 'app');
    const rule = { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, UserIdGroupPairs: [{ GroupId: lb }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [rule] }));
    const blocked = await caught(ec2.send(new DeleteSecurityGroupCommand({ GroupId: lb })));
    expect(blocked.name).toBe('DependencyViolation');
    expect(blocked.message).toBe(`resource ${lb} has a dependent object`);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [rule] }));

    sandbox.update((s) => {
      s.elbv2 = { loadBalancers: { 'us-east-1': { arn: { arn: 'arn', name: 'web', dnsName: 'x', scheme: 'internet-facing', type: 'application', vpcId: 'v', subnets: [], securityGroups: [lb], createdAt: 0, tags: [] } } }, targetGroups: {}, listeners: {} };
    });
    expect((await caught(ec2.send(new DeleteSecurityGroupCommand({ GroupId: lb })))).name).toBe('DependencyViolation');
    sandbox.update((s) => void (s.elbv2!.loadBalancers['us-east-1'] = {}));

    expect(await ec2.send(new DeleteSecurityGroupCommand({ GroupId: lb }))).toMatchObject({ Return: true, GroupId: lb });
    await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'app' }));
    expect((await caught(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [lb] })))).name).toBe('InvalidGroup.NotFound');
    expect((await caught(ec2.send(new DeleteSecurityGroupCommand({ GroupId: lb })))).name).toBe('InvalidGroup.NotFound');
  });

  it('CreateTags / DeleteTags on security groups', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const sg = await newGroup(ec2, 'app');
    await ec2.send(new CreateTagsCommand({ Resources: [sg], Tags: [{ Key: 'slipway:app', Value: 'demo' }, { Key: 'slipway:env', Value: 'dev' }, { Key: 'Name', Value: 'app' }] }));
    await ec2.send(new CreateTagsCommand({ Resources: [sg], Tags: [{ Key: 'Name', Value: 'renamed' }] }));
    const tags = async () => (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups?.[0]?.Tags;
    expect(await tags()).toEqual([{ Key: 'slipway:app', Value: 'demo' }, { Key: 'slipway:env', Value: 'dev' }, { Key: 'Name', Value: 'renamed' }]);
    await ec2.send(new DeleteTagsCommand({ Resources: [sg], Tags: [{ Key: 'Name' }, { Key: 'slipway:env', Value: 'prod' }] }));
    expect(await tags()).toEqual([{ Key: 'slipway:app', Value: 'demo' }, { Key: 'slipway:env', Value: 'dev' }]);
    await ec2.send(new DeleteTagsCommand({ Resources: [sg] }));
    expect(await tags()).toEqual([]);
    expect((await caught(ec2.send(new CreateTagsCommand({ Resources: ['sg-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })))).name).toBe('InvalidGroup.NotFound');
    expect((await caught(ec2.send(new CreateTagsCommand({ Resources: [sg], Tags: [{ Key: 'aws:x', Value: 'b' }] })))).name).toBe('InvalidParameterValue');
  });
});
