import {
  ClientException,
  ClusterContainsServicesException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { caught, T0 } from './support.js';
import { CLUSTER, createService, ecsWorld, fargateDefinition, NETWORK, REGION, register } from './ecs-world.js';

describe('ECS clusters', () => {
  it('CreateCluster is idempotent on the name; DescribeClusters reports unknown names as MISSING', async () => {
    const world = await ecsWorld();
    const first = (await world.ecs.send(new CreateClusterCommand({ clusterName: 'demo', tags: [{ key: 'slipway:app', value: 'app' }] }))).cluster!;
    expect(first).toMatchObject({ clusterArn: `arn:aws:ecs:${REGION}:${world.account}:cluster/demo`, clusterName: 'demo', status: 'ACTIVE', runningTasksCount: 0, activeServicesCount: 0, tags: [{ key: 'slipway:app', value: 'app' }] });
    const again = (await world.ecs.send(new CreateClusterCommand({ clusterName: 'demo' }))).cluster!;
    expect(again.clusterArn).toBe(first.clusterArn);
    expect(again.tags).toEqual(first.tags);
    const described = await world.ecs.send(new DescribeClustersCommand({ clusters: ['demo', 'nope'] }));
    expect(described.clusters!.map((c) => c.clusterName)).toEqual(['demo']);
    expect(described.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:${world.account}:cluster/nope`, reason: 'MISSING' }]);
    expect((await world.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([`arn:aws:ecs:${REGION}:${world.account}:cluster/${CLUSTER}`, first.clusterArn]);
  });

  it('DeleteCluster refuses while services or tasks remain, then leaves the cluster INACTIVE', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    await createService(world, definition);
    const withService = await caught(world.ecs.send(new DeleteClusterCommand({ cluster: CLUSTER })));
    expect(withService).toBeInstanceOf(ClusterContainsServicesException);
    expect(withService.message).toBe('The Cluster cannot be deleted while Services are active.');

    await world.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'app-dev-service', force: true }));
    const task = (await world.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: definition, launchType: 'FARGATE', networkConfiguration: NETWORK }))).tasks![0]!;
    world.advance(10);
    const withTask = await caught(world.ecs.send(new DeleteClusterCommand({ cluster: CLUSTER })));
    expect(withTask).toBeInstanceOf(ClusterContainsTasksException);

    await world.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: task.taskArn }));
    world.advance(5);
    const deleted = (await world.ecs.send(new DeleteClusterCommand({ cluster: CLUSTER }))).cluster!;
    expect(deleted.status).toBe('INACTIVE');
    expect((await world.ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters![0]!.status).toBe('INACTIVE');
    const gone = await caught(world.ecs.send(new DeleteClusterCommand({ cluster: CLUSTER })));
    expect(gone).toBeInstanceOf(ClusterNotFoundException);
    expect(gone.message).toBe('Cluster not found.');
    expect(classifyAwsError(gone)).toBe('not-found');
  });
});

describe('ECS task definitions', () => {
  it('every registration is a new revision; a bare family describes the latest ACTIVE one', async () => {
    const world = await ecsWorld();
    const out = await world.ecs.send(new RegisterTaskDefinitionCommand({ ...fargateDefinition(world), tags: [{ key: 'slipway:env', value: 'dev' }] }));
    const def = out.taskDefinition!;
    expect(def).toMatchObject({
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${world.account}:task-definition/app-dev:1`,
      family: 'app-dev',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
      registeredAt: new Date(T0),
      registeredBy: `arn:aws:iam::${world.account}:user/sandbox-admin`,
    });
    expect(def.requiresAttributes).toContainEqual({ name: 'ecs.capability.execution-role-ecr-pull' });
    expect(def.containerDefinitions![0]).toMatchObject({ cpu: 0, essential: true, portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] });
    expect(out.tags).toEqual([{ key: 'slipway:env', value: 'dev' }]);

    const second = await register(world, { memory: '1 GB', cpu: '0.25 vCPU' });
    expect(second).toMatch(/task-definition\/app-dev:2$/);
    const latest = (await world.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app-dev' }))).taskDefinition!;
    expect(latest).toMatchObject({ revision: 2, cpu: '256', memory: '1024' });
    expect((await world.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app-dev:1', include: ['TAGS'] }))).tags).toEqual([{ key: 'slipway:env', value: 'dev' }]);

    await world.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: second }));
    expect((await world.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app-dev' }))).taskDefinition!.revision).toBe(1);
    expect((await world.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: second }))).taskDefinition).toMatchObject({ status: 'INACTIVE', deregisteredAt: new Date(T0) });
    expect((await world.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'app-dev' }))).taskDefinitionArns).toEqual([def.taskDefinitionArn]);
    expect((await world.ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }))).taskDefinitionArns).toEqual([second]);
    // Deregistered revisions still count: the next one is 3.
    expect(await register(world)).toMatch(/:3$/);

    const missing = await caught(world.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })));
    expect(missing).toBeInstanceOf(ClientException);
    expect(missing.message).toBe('Unable to describe task definition.');
  });

  it.each([
    ['400', '600', 'No Fargate configuration exists for given values: 400 CPU, 600 memory. See the Amazon ECS documentation for the valid values.'],
    ['256', '4096', 'No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.'],
    ['1024', '1024', 'No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.'],
    ['8192', '18432', 'No Fargate configuration exists for given values: 8192 CPU, 18432 memory. See the Amazon ECS documentation for the valid values.'],
  ])('Fargate refuses %s CPU with %s MiB', async (cpu, memory, message) => {
    const world = await ecsWorld();
    const error = await caught(world.ecs.send(new RegisterTaskDefinitionCommand(fargateDefinition(world, { cpu, memory }))));
    expect(error).toBeInstanceOf(ClientException);
    expect(error.message).toBe(message);
  });

  it('accepts the Fargate table\'s edges, 8192 CPU in 4 GB steps, 16384 CPU in 8 GB steps', async () => {
    const world = await ecsWorld();
    for (const [cpu, memory] of [['256', '2048'], ['512', '4096'], ['2048', '16384'], ['4096', '30720'], ['8192', '20480'], ['8192', '61440'], ['16384', '40960'], ['16384', '122880']]) {
      await expect(register(world, { cpu, memory })).resolves.toMatch(/app-dev:\d+$/);
    }
  });

  it('Fargate needs awsvpc, task-level cpu/memory, and an execution role for awslogs', async () => {
    const world = await ecsWorld();
    const cases: [Parameters<typeof fargateDefinition>[1], string][] = [
      [{ networkMode: 'bridge' }, "Fargate only supports network mode 'awsvpc'."],
      [{ cpu: undefined }, "Fargate requires that 'cpu' be defined at the task level."],
      [{ executionRoleArn: undefined }, 'Fargate requires task definition to have execution role ARN to support log driver awslogs.'],
    ];
    for (const [changes, message] of cases) {
      const error = await caught(world.ecs.send(new RegisterTaskDefinitionCommand(fargateDefinition(world, changes))));
      expect([error.name, error.message]).toEqual(['ClientException', message]);
    }
  });

  it('tags on clusters, services and task definitions', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    const service = await createService(world, definition, { tags: [{ key: 'slipway:app', value: 'app' }] });
    await world.ecs.send(new TagResourceCommand({ resourceArn: service.serviceArn, tags: [{ key: 'slipway:env', value: 'dev' }] }));
    await world.ecs.send(new UntagResourceCommand({ resourceArn: service.serviceArn, tagKeys: ['slipway:app'] }));
    expect((await world.ecs.send(new ListTagsForResourceCommand({ resourceArn: service.serviceArn }))).tags).toEqual([{ key: 'slipway:env', value: 'dev' }]);
    await world.ecs.send(new TagResourceCommand({ resourceArn: definition, tags: [{ key: 'k', value: 'v' }] }));
    expect((await world.ecs.send(new ListTagsForResourceCommand({ resourceArn: definition }))).tags).toEqual([{ key: 'k', value: 'v' }]);
  });
});
