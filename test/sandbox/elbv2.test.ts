import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecurityGroupCommand, DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { LOAD_BALANCER_PROVISIONING_MS } from '../../src/sandbox/elbv2.js';
import type { Sandbox } from '../../src/sandbox/store.js';
import { adminClients, bootstrapAccount, caught, frozenSandbox, T0 } from './support.js';

function elbFor(sandbox: Sandbox, credentials: AwsCredentialIdentity = sandbox.adminCredentials(), region = 'us-east-1'): ElasticLoadBalancingV2Client {
  return attachSandbox(new ElasticLoadBalancingV2Client(clientConfig({ region }, async () => credentials)), sandbox);
}

/** The default network of the account, as the rollout flow discovers it (reference §4). */
async function world(region = 'us-east-1') {
  const sandbox = frozenSandbox();
  const { ec2 } = adminClients(sandbox, region);
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!.map((s) => s.SubnetId!);
  const lbGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web-lb', Description: 'load balancer' }))).GroupId!;
  return { sandbox, ec2, elb: elbFor(sandbox, undefined, region), vpcId, subnets, lbGroup, account: sandbox.accountId };
}

type World = Awaited<ReturnType<typeof world>>;

const createLb = (w: World, name = 'web') => w.elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: w.subnets.slice(0, 2), SecurityGroups: [w.lbGroup], Scheme: 'internet-facing', Type: 'application' }));
const createTg = (w: World, name = 'web-tg', extra: object = {}) =>
  w.elb.send(new CreateTargetGroupCommand({ Name: name, TargetType: 'ip', Protocol: 'HTTP', Port: 8000, VpcId: w.vpcId, HealthCheckPath: '/health', Matcher: { HttpCode: '200-299' }, ...extra }));

async function wired(w: World) {
  const lbArn = (await createLb(w)).LoadBalancers![0]!.LoadBalancerArn!;
  const tgArn = (await createTg(w)).TargetGroups![0]!.TargetGroupArn!;
  const listener = await w.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  return { lbArn, tgArn, listenerArn: listener.Listeners![0]!.ListenerArn! };
}

describe('ELBv2 load balancers', () => {
  it('CreateLoadBalancer: AWS-shaped ARN and DNS name, provisioning then active in sandbox time', async () => {
    const w = await world();
    const created = (await w.elb.send(new CreateLoadBalancerCommand({ Name: 'todobackend-dev', Subnets: w.subnets.slice(0, 2), SecurityGroups: [w.lbGroup], Tags: [{ Key: 'slipway:app', Value: 'todobackend' }] }))).LoadBalancers![0]!;
    expect(created.LoadBalancerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${w.account}:loadbalancer/app/todobackend-dev/[0-9a-f]{16}$`));
    expect(created.DNSName).toMatch(/^todobackend-dev-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(created).toMatchObject({
      LoadBalancerName: 'todobackend-dev',
      Scheme: 'internet-facing',
      Type: 'application',
      VpcId: w.vpcId,
      State: { Code: 'provisioning' },
      SecurityGroups: [w.lbGroup],
      IpAddressType: 'ipv4',
      CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      CreatedTime: new Date(T0),
    });
    expect(created.AvailabilityZones?.map((z) => [z.ZoneName, z.SubnetId])).toEqual([
      ['us-east-1a', w.subnets[0]],
      ['us-east-1b', w.subnets[1]],
    ]);
    w.sandbox.clock.advance(LOAD_BALANCER_PROVISIONING_MS);
    const described = await w.elb.send(new DescribeLoadBalancersCommand({ Names: ['todobackend-dev'] }));
    expect(described.LoadBalancers?.[0]?.State).toEqual({ Code: 'active' });
    const tags = await w.elb.send(new DescribeTagsCommand({ ResourceArns: [created.LoadBalancerArn!] }));
    expect(tags.TagDescriptions).toEqual([{ ResourceArn: created.LoadBalancerArn, Tags: [{ Key: 'slipway:app', Value: 'todobackend' }] }]);
  });

  it('without security groups it takes the VPC’s default group', async () => {
    const w = await world();
    const lb = (await w.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: w.subnets }))).LoadBalancers![0]!;
    const defaultGroup = (await w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!.GroupId;
    expect(lb.SecurityGroups).toEqual([defaultGroup]);
    expect(lb.AvailabilityZones).toHaveLength(3);
  });

  it('CreateLoadBalancer needs two subnets in two zones, subnets that exist and groups of the VPC', async () => {
    const w = await world();
    const one = await caught(w.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [w.subnets[0]!] })));
    expect(one.name).toBe('ValidationError');
    expect(one.message).toBe('At least two subnets in two different Availability Zones must be specified');
    expect(classifyAwsError(one)).toBe('validation');
    const sameZone = await caught(w.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [w.subnets[0]!, w.subnets[0]!] })));
    expect(sameZone.name).toBe('InvalidConfigurationRequestException');
    const unknown = await caught(w.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [w.subnets[0]!, 'subnet-0123456789abcdef0'] })));
    expect(unknown.name).toBe('SubnetNotFoundException');
    const group = await caught(w.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: w.subnets, SecurityGroups: ['sg-0123456789abcdef0'] })));
    expect(group.name).toBe('InvalidSecurityGroupException');
    const badName = await caught(w.elb.send(new CreateLoadBalancerCommand({ Name: '-web', Subnets: w.subnets })));
    expect(badName.name).toBe('ValidationError');
    expect((await w.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual([]);
  });

  it('the same CreateLoadBalancer again returns the same one; another config under that name → DuplicateLoadBalancerName', async () => {
    const w = await world();
    const first = (await createLb(w)).LoadBalancers![0]!;
    const again = (await createLb(w)).LoadBalancers![0]!;
    expect(again.LoadBalancerArn).toBe(first.LoadBalancerArn);
    expect((await w.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toHaveLength(1);
    const other = await caught(w.elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: w.subnets, SecurityGroups: [w.lbGroup] })));
    expect(other.name).toBe('DuplicateLoadBalancerNameException');
    expect(other.message).toBe("A load balancer with the same name 'web' exists, but with different settings");
    expect(classifyAwsError(other)).toBe('already-exists');
  });

  it('DescribeLoadBalancers by name and ARN → LoadBalancerNotFound for one it does not know', async () => {
    const w = await world();
    const arn = (await createLb(w)).LoadBalancers![0]!.LoadBalancerArn!;
    expect((await w.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers?.[0]?.LoadBalancerName).toBe('web');
    const byName = await caught(w.elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })));
    expect(byName).toBeInstanceOf(LoadBalancerNotFoundException);
    expect(byName.message).toBe("Load balancers '[nope]' not found");
    expect(classifyAwsError(byName)).toBe('not-found');
    const byArn = await caught(w.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [`${arn}0`] })));
    expect(byArn.message).toBe('One or more load balancers not found');
    // Regional.
    expect((await elbFor(w.sandbox, undefined, 'eu-west-1').send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual([]);
  });

  it('DeleteLoadBalancer removes it and its listeners; deleting again succeeds; the security group is free again', async () => {
    const w = await world();
    const { lbArn, listenerArn } = await wired(w);
    expect((await caught(w.ec2.send(new DeleteSecurityGroupCommand({ GroupId: w.lbGroup })))).name).toBe('DependencyViolation');
    await w.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    await w.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    expect((await caught(w.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] })))).name).toBe('LoadBalancerNotFoundException');
    expect((await caught(w.elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })))).name).toBe('ListenerNotFoundException');
    await w.ec2.send(new DeleteSecurityGroupCommand({ GroupId: w.lbGroup }));
  });
});

describe('ELBv2 target groups', () => {
  it('CreateTargetGroup for Fargate tasks (ip, HTTP, health check); the same again returns it; other settings → DuplicateTargetGroupName', async () => {
    const w = await world();
    const tg = (await createTg(w, 'web-tg', { HealthyThresholdCount: 3, UnhealthyThresholdCount: 3, HealthCheckIntervalSeconds: 10, Tags: [{ Key: 'slipway:env', Value: 'dev' }] })).TargetGroups![0]!;
    expect(tg.TargetGroupArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${w.account}:targetgroup/web-tg/[0-9a-f]{16}$`));
    expect(tg).toMatchObject({
      TargetGroupName: 'web-tg',
      Protocol: 'HTTP',
      Port: 8000,
      VpcId: w.vpcId,
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-299' },
      LoadBalancerArns: [],
    });
    const again = (await createTg(w, 'web-tg', { HealthyThresholdCount: 3, UnhealthyThresholdCount: 3, HealthCheckIntervalSeconds: 10 })).TargetGroups![0]!;
    expect(again.TargetGroupArn).toBe(tg.TargetGroupArn);
    const other = await caught(createTg(w, 'web-tg', { Port: 9000 }));
    expect(other.name).toBe('DuplicateTargetGroupNameException');
    expect(other.message).toBe("A target group with the same name 'web-tg' exists, but with different settings");
    expect(classifyAwsError(other)).toBe('already-exists');
  });

  it('CreateTargetGroup checks VPC, port and health check settings', async () => {
    const w = await world();
    expect((await caught(createTg(w, 'a', { VpcId: undefined }))).message).toBe('A VPC ID must be specified');
    expect((await caught(createTg(w, 'a', { VpcId: 'vpc-00000000000000000' }))).message).toBe("The VPC ID 'vpc-00000000000000000' is not found");
    expect((await caught(createTg(w, 'a', { Port: 70000 }))).name).toBe('ValidationError');
    expect((await caught(createTg(w, 'a', { HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 }))).message).toBe("Health check timeout '5' must be smaller than the interval '5'");
    expect((await caught(createTg(w, 'a', { HealthCheckPath: 'health' }))).name).toBe('ValidationError');
    expect((await caught(createTg(w, 'a', { Matcher: { HttpCode: 'ok' } }))).name).toBe('ValidationError');
  });

  it('DescribeTargetGroups by name, ARN and load balancer → TargetGroupNotFound', async () => {
    const w = await world();
    const { lbArn, tgArn } = await wired(w);
    await createTg(w, 'spare');
    expect((await w.elb.send(new DescribeTargetGroupsCommand({ Names: ['web-tg'] }))).TargetGroups?.[0]?.LoadBalancerArns).toEqual([lbArn]);
    expect((await w.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups).toHaveLength(1);
    expect((await w.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }))).TargetGroups?.map((t) => t.TargetGroupName)).toEqual(['web-tg']);
    expect((await w.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups).toHaveLength(2);
    const missing = await caught(w.elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })));
    expect(missing.name).toBe('TargetGroupNotFoundException');
    expect(missing.message).toBe("Target groups '[nope]' not found");
    expect(classifyAwsError(missing)).toBe('not-found');
    expect((await caught(w.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [`${tgArn}0`] })))).message).toBe('One or more target groups not found');
    expect((await caught(w.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: `${lbArn}0` })))).name).toBe('LoadBalancerNotFoundException');
  });

  it('ModifyTargetGroup changes the health check', async () => {
    const w = await world();
    const arn = (await createTg(w)).TargetGroups![0]!.TargetGroupArn!;
    const modified = (await w.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckPath: '/ready', HealthCheckIntervalSeconds: 15, Matcher: { HttpCode: '200' } }))).TargetGroups![0]!;
    expect(modified).toMatchObject({ HealthCheckPath: '/ready', HealthCheckIntervalSeconds: 15, Matcher: { HttpCode: '200' }, HealthCheckTimeoutSeconds: 5 });
    expect((await w.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups?.[0]?.HealthCheckPath).toBe('/ready');
    expect((await caught(w.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: `${arn}0`, HealthCheckPath: '/x' })))).name).toBe('TargetGroupNotFoundException');
  });

  it('DeleteTargetGroup → ResourceInUse while a listener forwards to it; then deletes (and again succeeds)', async () => {
    const w = await world();
    const { tgArn, listenerArn } = await wired(w);
    const inUse = await caught(w.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn })));
    expect(inUse.name).toBe('ResourceInUseException');
    expect(inUse.message).toBe(`Target group '${tgArn}' is currently in use by a listener or a rule`);
    await w.elb.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await w.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    await w.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    expect((await caught(w.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] })))).name).toBe('TargetGroupNotFoundException');
  });
});

describe('ELBv2 targets', () => {
  it('RegisterTargets, DescribeTargetHealth (initial behind a listener, unused without one), DeregisterTargets', async () => {
    const w = await world();
    const spare = (await createTg(w, 'spare')).TargetGroups![0]!.TargetGroupArn!;
    await w.elb.send(new RegisterTargetsCommand({ TargetGroupArn: spare, Targets: [{ Id: '172.31.5.9' }] }));
    expect((await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: spare }))).TargetHealthDescriptions).toEqual([
      {
        Target: { Id: '172.31.5.9', Port: 8000 },
        HealthCheckPort: '8000',
        TargetHealth: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' },
      },
    ]);

    const { tgArn } = await wired(w);
    await w.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '172.31.5.9', Port: 8000 }] }));
    await w.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '172.31.5.9', Port: 8000 }] }));
    const health = (await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
    expect(health).toEqual([
      { Target: { Id: '172.31.5.9', Port: 8000 }, HealthCheckPort: '8000', TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' } },
    ]);
    const unknown = (await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '172.31.9.9' }] }))).TargetHealthDescriptions!;
    expect(unknown[0]?.TargetHealth).toEqual({ State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });

    await w.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '172.31.5.9' }] }));
    expect((await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions).toEqual([]);
    expect((await caught(w.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '172.31.5.9' }] })))).name).toBe('InvalidTargetException');
    expect((await caught(w.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-0123456789abcdef0' }] })))).name).toBe('InvalidTargetException');
    expect((await caught(w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${tgArn}0` })))).name).toBe('TargetGroupNotFoundException');
  });

  it('DescribeTargetHealth reads the targets ECS registers, with their states and reasons', async () => {
    const w = await world();
    const { tgArn } = await wired(w);
    w.sandbox.update((s) => {
      s.elbv2!.targetGroups['us-east-1']![tgArn]!.targets = [
        { id: '172.31.1.10', port: 8000, state: 'healthy' },
        { id: '172.31.17.4', port: 8000, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' },
        { id: '172.31.33.2', port: 8000, state: 'draining', reason: 'Target.DeregistrationInProgress' },
      ];
    });
    const health = (await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
    expect(health.map((h) => [h.Target?.Id, h.TargetHealth?.State, h.TargetHealth?.Reason, h.TargetHealth?.Description])).toEqual([
      ['172.31.1.10', 'healthy', undefined, undefined],
      ['172.31.17.4', 'unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [404]'],
      ['172.31.33.2', 'draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress'],
    ]);
  });
});

describe('ELBv2 listeners', () => {
  it('CreateListener forwards HTTP 80 to the target group; the same again returns it; another on that port → DuplicateListener', async () => {
    const w = await world();
    const { lbArn, tgArn, listenerArn } = await wired(w);
    expect(listenerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${w.account}:listener/app/web/[0-9a-f]{16}/[0-9a-f]{16}$`));
    const [listener] = (await w.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners!;
    expect(listener).toEqual({
      ListenerArn: listenerArn,
      LoadBalancerArn: lbArn,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }],
    });
    const again = await w.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    expect(again.Listeners?.[0]?.ListenerArn).toBe(listenerArn);
    const other = (await createTg(w, 'other')).TargetGroups![0]!.TargetGroupArn!;
    const duplicate = await caught(w.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: other }] })));
    expect(duplicate.name).toBe('DuplicateListenerException');
    expect(duplicate.message).toBe(`A listener already exists on this port for this load balancer '${lbArn}'`);
  });

  it('CreateListener checks the load balancer, target group and protocol', async () => {
    const w = await world();
    const { lbArn, tgArn } = await wired(w);
    const forward = [{ Type: 'forward' as const, TargetGroupArn: tgArn }];
    expect((await caught(w.elb.send(new CreateListenerCommand({ LoadBalancerArn: `${lbArn}0`, Protocol: 'HTTP', Port: 81, DefaultActions: forward })))).name).toBe('LoadBalancerNotFoundException');
    expect((await caught(w.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 81, DefaultActions: [{ Type: 'forward', TargetGroupArn: `${tgArn}0` }] })))).name).toBe('TargetGroupNotFoundException');
    expect((await caught(w.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 81, DefaultActions: forward })))).name).toBe('UnsupportedProtocolException');
    // A target group serves one load balancer.
    const second = (await createLb(w, 'second')).LoadBalancers![0]!.LoadBalancerArn!;
    const shared = await caught(w.elb.send(new CreateListenerCommand({ LoadBalancerArn: second, Protocol: 'HTTP', Port: 80, DefaultActions: forward })));
    expect(shared.name).toBe('TargetGroupAssociationLimitException');
  });

  it('DescribeListeners by ARN → ListenerNotFound; needs an ARN of some kind', async () => {
    const w = await world();
    const { listenerArn } = await wired(w);
    expect((await w.elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners).toHaveLength(1);
    const missing = await caught(w.elb.send(new DescribeListenersCommand({ ListenerArns: [`${listenerArn}0`] })));
    expect(missing.name).toBe('ListenerNotFoundException');
    expect(classifyAwsError(missing)).toBe('not-found');
    expect((await caught(w.elb.send(new DescribeListenersCommand({})))).name).toBe('ValidationError');
  });

  it('ModifyListener moves the port and switches the target group; DeleteListener; again → ListenerNotFound', async () => {
    const w = await world();
    const { lbArn, listenerArn } = await wired(w);
    const green = (await createTg(w, 'green')).TargetGroups![0]!.TargetGroupArn!;
    const modified = (await w.elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, Port: 8080, DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: green }] } }] }))).Listeners![0]!;
    expect(modified).toMatchObject({ Port: 8080, DefaultActions: [{ Type: 'forward', TargetGroupArn: green }] });
    expect((await w.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }))).TargetGroups?.map((t) => t.TargetGroupName)).toEqual(['green']);
    await w.elb.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    expect((await caught(w.elb.send(new DeleteListenerCommand({ ListenerArn: listenerArn })))).name).toBe('ListenerNotFoundException');
    expect((await caught(w.elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, Port: 80 })))).name).toBe('ListenerNotFoundException');
  });
});

describe('ELBv2 tags', () => {
  it('AddTags / RemoveTags / DescribeTags on load balancers, target groups and listeners', async () => {
    const w = await world();
    const { lbArn, tgArn, listenerArn } = await wired(w);
    await w.elb.send(new AddTagsCommand({ ResourceArns: [lbArn, tgArn, listenerArn], Tags: [{ Key: 'slipway:app', Value: 'todobackend' }, { Key: 'slipway:env', Value: 'dev' }] }));
    await w.elb.send(new RemoveTagsCommand({ ResourceArns: [tgArn], TagKeys: ['slipway:env'] }));
    const described = await w.elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn, listenerArn] }));
    expect(described.TagDescriptions?.map((d) => d.Tags?.map((t) => t.Key))).toEqual([['slipway:app', 'slipway:env'], ['slipway:app'], ['slipway:app', 'slipway:env']]);
    const twice = await caught(w.elb.send(new AddTagsCommand({ ResourceArns: [lbArn], Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })));
    expect(twice.name).toBe('DuplicateTagKeysException');
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await caught(w.elb.send(new AddTagsCommand({ ResourceArns: [lbArn], Tags: many })))).name).toBe('TooManyTagsException');
    expect((await caught(w.elb.send(new DescribeTagsCommand({ ResourceArns: [`${tgArn}0`] })))).name).toBe('TargetGroupNotFoundException');
    expect((await caught(w.elb.send(new DescribeTagsCommand({ ResourceArns: [`${lbArn}0`] })))).name).toBe('LoadBalancerNotFoundException');
  });
});

/** A local server plays ELBv2 with its XML error bodies; the real client parses them; the errors compare equal. */
describe('ELBv2 errors are the SDK deserializer’s own', () => {
  let server: Server;
  let endpoint = '';
  let reply = { status: 400, body: '' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'wire-request-id' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const wireClient = () => new ElasticLoadBalancingV2Client({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire' } });
  const xml = (code: string, message: string) =>
    `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>wire-request-id</RequestId></ErrorResponse>`;

  function observable(error: Error & Record<string, unknown>) {
    const meta = error.$metadata as { httpStatusCode?: number; requestId?: string };
    return { class: error.constructor.name, name: error.name, message: error.message, fault: error.$fault, status: meta.httpStatusCode, Code: error.Code, Type: error.Type, Error: error.Error, hasRequestIdField: 'RequestId' in error };
  }

  async function compare(ours: Promise<unknown>, wire: () => Promise<unknown>, status: number, code: string) {
    const mine = observable(await caught(ours));
    reply = { status, body: xml(code, mine.message) };
    expect(mine).toEqual(observable(await caught(wire())));
    return mine;
  }

  it('LoadBalancerNotFound → LoadBalancerNotFoundException (modeled)', async () => {
    const w = await world();
    const command = new DescribeLoadBalancersCommand({ Names: ['nope'] });
    expect((await compare(w.elb.send(command), () => wireClient().send(command), 400, 'LoadBalancerNotFound')).class).toBe('LoadBalancerNotFoundException');
  });

  it('ValidationError → ElasticLoadBalancingV2ServiceException named by the code (unmodeled)', async () => {
    const w = await world();
    const command = new CreateLoadBalancerCommand({ Name: 'web', Subnets: [w.subnets[0]!] });
    expect((await compare(w.elb.send(command), () => wireClient().send(command), 400, 'ValidationError')).name).toBe('ValidationError');
  });

  it('AccessDenied for an identity without elasticloadbalancing permissions', async () => {
    const w = await world();
    const { alice } = await bootstrapAccount(w.sandbox);
    const command = new DescribeLoadBalancersCommand({});
    const mine = await compare(elbFor(w.sandbox, alice).send(command), () => wireClient().send(command), 403, 'AccessDenied');
    expect(mine.message).toMatch(/is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers on resource: \*/);
  });
});
