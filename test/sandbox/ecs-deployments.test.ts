import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListServiceDeploymentsCommand, DescribeServiceDeploymentsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { createService, describeService, ecsWorld, LOG_GROUP, register, seedTargetGroup, serviceTasks, targetsOf } from './ecs-world.js';

const messages = (service: { events?: { message?: string }[] }) => (service.events ?? []).map((e) => e.message ?? '');

describe('ECS service deployments over sandbox time', () => {
  it('a first deployment goes PROVISIONING → RUNNING, completes, and says so', async () => {
    const world = await ecsWorld();
    const created = await createService(world, await register(world));
    const first = created.deployments![0]!;
    expect(first).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 1, runningCount: 0, pendingCount: 0, failedTasks: 0 });
    expect(first.id).toMatch(/^ecs-svc\/\d{19}$/);

    // The scheduler starts the task at once.
    let service = await describeService(world);
    expect(service.pendingCount).toBe(1);
    expect(messages(service)[0]).toMatch(/^\(service app-dev-service\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/);
    let [task] = await serviceTasks(world, 'RUNNING');
    expect(task).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', group: 'service:app-dev-service', startedBy: first.id, launchType: 'FARGATE' });

    world.advance(1);
    [task] = await serviceTasks(world, 'RUNNING');
    expect(task!.lastStatus).toBe('PENDING');
    world.advance(2);
    [task] = await serviceTasks(world, 'RUNNING');
    expect(task).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' });
    expect(task!.containers![0]).toMatchObject({ name: 'app', lastStatus: 'RUNNING', image: expect.stringContaining('/app@sha256:') });
    const eni = task!.attachments![0]!;
    expect(eni).toMatchObject({ type: 'ElasticNetworkInterface', status: 'ATTACHED' });
    expect(eni.details).toContainEqual({ name: 'privateIPv4Address', value: expect.stringMatching(/^172\.31\.\d+\.\d+$/) });

    service = await describeService(world);
    expect(service).toMatchObject({ status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({ id: first.id, rolloutState: 'COMPLETED', runningCount: 1 });
    expect(messages(service).slice(0, 2)).toEqual(['(service app-dev-service) has reached a steady state.', `(service app-dev-service) (deployment ${first.id}) deployment completed.`]);

    // The application's startup lines are in its awslogs stream.
    const taskId = task!.taskArn!.split('/').pop();
    const log = await world.logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: `ecs/app/${taskId}` }));
    expect(log.events?.map((e) => e.message)).toEqual(['Starting application (NODE_ENV=production)', 'Listening on 0.0.0.0:8080']);
  });

  it('behind a target group, targets go initial → healthy before the deployment completes', async () => {
    const world = await ecsWorld();
    const targetGroupArn = seedTargetGroup(world);
    await createService(world, await register(world), { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }], healthCheckGracePeriodSeconds: 30 });
    world.advance(3);
    const [task] = await serviceTasks(world, 'RUNNING');
    const ip = task!.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value;
    expect(await targetsOf(world, targetGroupArn)).toEqual([{ id: ip, port: 8080, state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' }]);
    expect((await describeService(world)).deployments![0]!.rolloutState).toBe('IN_PROGRESS');
    world.advance(1);
    expect((await describeService(world)).deployments![0]!.rolloutState).toBe('COMPLETED');
    expect(await targetsOf(world, targetGroupArn)).toEqual([{ id: ip, port: 8080, state: 'healthy' }]);
    expect(messages(await describeService(world))).toContain(`(service app-dev-service) registered 1 targets in (target-group ${targetGroupArn})`);
  });

  it('UpdateService with a new revision starts a PRIMARY deployment; the old one drains to INACTIVE', async () => {
    const world = await ecsWorld();
    await createService(world, await register(world), { desiredCount: 2 });
    world.advance(5);
    const before = await describeService(world);
    const oldTasks = (await serviceTasks(world, 'RUNNING')).map((t) => t.taskArn);
    const revision2 = await register(world, { cpu: '512', memory: '1024' });
    const updated = (await world.ecs.send(new UpdateServiceCommand({ cluster: 'app-dev-cluster', service: 'app-dev-service', taskDefinition: revision2 }))).service!;
    expect(updated.deployments!.map((d) => [d.status, d.taskDefinition])).toEqual([
      ['PRIMARY', revision2],
      ['ACTIVE', before.taskDefinition],
    ]);
    const next = updated.deployments![0]!.id;

    // 100/200: two new tasks start beside the two old ones; the old ones go once the new ones run.
    world.advance(3);
    let service = await describeService(world);
    expect(service.deployments!.map((d) => [d.status, d.runningCount])).toEqual([
      ['PRIMARY', 2],
      ['ACTIVE', 0],
    ]);
    const stopped = await serviceTasks(world, 'STOPPED');
    expect(stopped.map((t) => t.taskArn).sort()).toEqual([...oldTasks].sort());
    expect(stopped[0]).toMatchObject({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${next})`, lastStatus: 'STOPPING' });

    world.advance(3);
    service = await describeService(world);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({ id: next, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 });
    expect(service.taskDefinition).toBe(revision2);
    expect(messages(service)[0]).toBe('(service app-dev-service) has reached a steady state.');
    const [old] = await serviceTasks(world, 'STOPPED');
    expect(old).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' });
    expect(old!.containers![0]!.exitCode).toBe(143);
  });

  it('a desiredCount change is no deployment: the PRIMARY one scales', async () => {
    const world = await ecsWorld();
    await createService(world, await register(world));
    world.advance(3);
    const before = (await describeService(world)).deployments![0]!;
    const scaled = (await world.ecs.send(new UpdateServiceCommand({ cluster: 'app-dev-cluster', service: 'app-dev-service', desiredCount: 3 }))).service!;
    expect(scaled.deployments!.map((d) => d.id)).toEqual([before.id]);
    world.advance(3);
    const service = await describeService(world);
    expect(service).toMatchObject({ desiredCount: 3, runningCount: 3 });
    expect(messages(service)[0]).toBe('(service app-dev-service) has reached a steady state.');
    await world.ecs.send(new UpdateServiceCommand({ cluster: 'app-dev-cluster', service: 'app-dev-service', desiredCount: 1 }));
    expect((await serviceTasks(world, 'RUNNING')).length).toBe(1);
  });

  it('forceNewDeployment redeploys the same revision; the newer API lists both deployments', async () => {
    const world = await ecsWorld();
    const created = await createService(world, await register(world));
    world.advance(3);
    const forced = (await world.ecs.send(new UpdateServiceCommand({ cluster: 'app-dev-cluster', service: 'app-dev-service', forceNewDeployment: true }))).service!;
    expect(forced.deployments).toHaveLength(2);
    world.advance(10);
    const listed = (await world.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'app-dev-cluster', service: 'app-dev-service' }))).serviceDeployments!;
    expect(listed.map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    const [latest] = (await world.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [listed[0]!.serviceDeploymentArn!] }))).serviceDeployments!;
    expect(latest).toMatchObject({ serviceArn: created.serviceArn, status: 'SUCCESSFUL', deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 } });
    expect(latest!.sourceServiceRevisions).toHaveLength(1);
  });
});
