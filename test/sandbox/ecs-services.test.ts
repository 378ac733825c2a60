import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListServicesCommand,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { caught, T0 } from './support.js';
import { CLUSTER, createService, describeService, ecsWorld, NETWORK, REGION, register, seedTargetGroup, serviceRequest, serviceTasks } from './ecs-world.js';

describe('ECS services: create, describe, delete', () => {
  it('CreateService returns the service with its first deployment; a retry with the same client token is idempotent', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    const request = serviceRequest(definition, { clientToken: 'token-1', propagateTags: 'SERVICE', tags: [{ key: 'slipway:app', value: 'app' }] });
    const created = (await world.ecs.send(new CreateServiceCommand(request))).service!;
    expect(created).toMatchObject({
      serviceArn: `arn:aws:ecs:${REGION}:${world.account}:service/${CLUSTER}/app-dev-service`,
      serviceName: 'app-dev-service',
      clusterArn: `arn:aws:ecs:${REGION}:${world.account}:cluster/${CLUSTER}`,
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 0,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: definition,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: NETWORK,
      propagateTags: 'SERVICE',
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      createdAt: new Date(T0),
      events: [],
    });
    const again = (await world.ecs.send(new CreateServiceCommand(request))).service!;
    expect(again.deployments!.map((d) => d.id)).toEqual(created.deployments!.map((d) => d.id));

    // Another token, or the same token with other parameters, is not the same request.
    for (const changed of [{ ...request, clientToken: 'token-2' }, { ...request, desiredCount: 2 }, { ...request, clientToken: undefined }]) {
      const error = await caught(world.ecs.send(new CreateServiceCommand(changed)));
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe('Creation of service was not idempotent.');
    }
    // Tags propagate from the service to its tasks.
    const [task] = await serviceTasks(world, 'RUNNING');
    const tagged = await world.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [task!.taskArn!], include: ['TAGS'] }));
    expect(tagged.tasks![0]!.tags).toEqual([{ key: 'slipway:app', value: 'app' }]);
  });

  it('DescribeServices reports unknown names as MISSING; calls on them fail as ECS fails them', async () => {
    const world = await ecsWorld();
    await createService(world, await register(world));
    const out = await world.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['app-dev-service', 'other'] }));
    expect(out.services!.map((s) => s.serviceName)).toEqual(['app-dev-service']);
    expect(out.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:${world.account}:service/${CLUSTER}/other`, reason: 'MISSING' }]);
    const update = await caught(world.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'other', desiredCount: 2 })));
    expect([update.name, update.message]).toEqual(['ServiceNotFoundException', 'Service not found.']);
    expect(update).toBeInstanceOf(ServiceNotFoundException);
    const cluster = await caught(world.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['app-dev-service'] })));
    expect(cluster.name).toBe('ClusterNotFoundException');
  });

  it('DeleteService: refused while scaled above 0 without force; DRAINING, then INACTIVE once its tasks stopped; then the name is free', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    await createService(world, definition);
    world.advance(3);
    const refused = await caught(world.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'app-dev-service' })));
    expect([refused.name, refused.message]).toEqual(['InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.']);

    const draining = (await world.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'app-dev-service', force: true }))).service!;
    expect(draining).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    expect((await world.ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns).toEqual([draining.serviceArn]);
    const again = await caught(world.ecs.send(new CreateServiceCommand(serviceRequest(definition))));
    expect(again.message).toBe('Unable to Start a service that is still Draining.');
    const update = await caught(world.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'app-dev-service', desiredCount: 1 })));
    expect(update).toBeInstanceOf(ServiceNotActiveException);

    world.advance(4);
    expect((await describeService(world)).status).toBe('INACTIVE');
    expect((await world.ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns).toEqual([]);
    const [stopped] = await serviceTasks(world, 'STOPPED');
    expect(stopped).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' });

    const recreated = await createService(world, definition);
    expect(recreated.status).toBe('ACTIVE');
  });

  it('load balancers must name an existing target group with a listener and a mapped container port', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    const bogus = `arn:aws:elasticloadbalancing:${REGION}:${world.account}:targetgroup/none/0000000000000000`;
    const missing = await caught(createService(world, definition, { loadBalancers: [{ targetGroupArn: bogus, containerName: 'app', containerPort: 8080 }] }));
    expect(missing.message).toBe('Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.');
    const targetGroupArn = seedTargetGroup(world);
    const port = await caught(createService(world, definition, { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 80 }] }));
    expect(port.message).toBe('The container app did not have a container port 80 defined.');
    const grace = await caught(createService(world, definition, { healthCheckGracePeriodSeconds: 60 }));
    expect(grace.name).toBe('InvalidParameterException');
    const network = await caught(createService(world, definition, { networkConfiguration: undefined }));
    expect(network.message).toBe("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    const created = await createService(world, definition, { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }], healthCheckGracePeriodSeconds: 60 });
    expect(created).toMatchObject({ loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }], healthCheckGracePeriodSeconds: 60 });
    expect(created.roleArn).toMatch(/AWSServiceRoleForECS$/);
  });
});
