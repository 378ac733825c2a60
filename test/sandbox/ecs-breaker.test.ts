import { DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { breakerThreshold } from '../../src/sandbox/ecs/scheduler.js';
import { CLUSTER, createService, describeService, ecsWorld, register, serviceTasks, setScenario } from './ecs-world.js';

const messages = (service: { events?: { message?: string }[] }) => (service.events ?? []).map((e) => e.message ?? '');

describe('ECS deployment circuit breaker', () => {
  it('threshold: half the desired count, at least 3, at most 200', () => {
    expect([1, 2, 6, 7, 10, 399, 400, 1000].map(breakerThreshold)).toEqual([3, 3, 3, 4, 5, 200, 200, 200]);
  });

  it('trips after 3 failed tasks and rolls back to the last COMPLETED revision', async () => {
    const world = await ecsWorld();
    const good = await register(world);
    await createService(world, good);
    world.advance(3);
    const completed = (await describeService(world)).deployments![0]!;
    expect(completed.rolloutState).toBe('COMPLETED');

    setScenario(world, 'crash-loop');
    const bad = await register(world, { memory: '1024' });
    const update = (await world.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'app-dev-service', taskDefinition: bad }))).service!;
    const ours = update.deployments![0]!.id!;
    world.advance(60);

    const service = await describeService(world);
    // Ours is gone (drained); a new PRIMARY runs the last completed revision.
    expect(service.deployments!.map((d) => [d.status, d.taskDefinition, d.rolloutState])).toEqual([['PRIMARY', good, 'COMPLETED']]);
    expect(service.deployments![0]!.id).not.toBe(completed.id);
    expect(service.taskDefinition).toBe(good);
    expect(service.runningCount).toBe(1);
    const log = messages(service);
    expect(log).toContain(`(service app-dev-service) (deployment ${ours}) deployment failed: tasks failed to start.`);
    expect(log).toContain(`(service app-dev-service) rolling back to deployment ${completed.id}.`);
    expect(log[0]).toBe('(service app-dev-service) has reached a steady state.');
    const failed = (await serviceTasks(world, 'STOPPED')).filter((t) => t.taskDefinitionArn === bad);
    expect(failed.length).toBe(3);
    expect(failed.every((t) => t.stopCode === 'EssentialContainerExited' && t.containers![0]!.exitCode === 1)).toBe(true);

    // The newer API: our deployment went ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL.
    const listed = (await world.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'app-dev-service' }))).serviceDeployments!;
    expect(listed.map((d) => d.status)).toEqual(['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    const [detail] = (await world.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [listed[0]!.serviceDeploymentArn!] }))).serviceDeployments!;
    expect(detail).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 }, rollback: { reason: expect.stringContaining('circuit breaker') } });
  });

  it('while the failing deployment runs, the old tasks keep serving (minimumHealthyPercent 100)', async () => {
    const world = await ecsWorld();
    await createService(world, await register(world));
    world.advance(3);
    const [old] = await serviceTasks(world, 'RUNNING');
    setScenario(world, 'crash-loop');
    await world.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'app-dev-service', taskDefinition: await register(world) }));
    world.advance(5);
    const service = await describeService(world);
    expect(service.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(service.deployments![0]!.failedTasks).toBeGreaterThanOrEqual(1);
    expect((await serviceTasks(world, 'RUNNING')).map((t) => t.taskArn)).toContain(old!.taskArn);
  });

  it('a first deployment has nothing to roll back to: it stops at FAILED and launches no more', async () => {
    const world = await ecsWorld();
    setScenario(world, 'crash-loop');
    const created = await createService(world, await register(world));
    world.advance(60);
    let service = await describeService(world);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({
      id: created.deployments![0]!.id,
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      failedTasks: 3,
      runningCount: 0,
    });
    world.advance(3600);
    service = await describeService(world);
    expect(service.deployments![0]!.failedTasks).toBe(3);
    expect(await serviceTasks(world, 'RUNNING')).toEqual([]);
    expect(messages(service)).not.toContain('(service app-dev-service) has reached a steady state.');
  });

  it('without the breaker ECS retries forever, throttled, and says it cannot start tasks consistently', async () => {
    const world = await ecsWorld();
    setScenario(world, 'crash-loop');
    await createService(world, await register(world), { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 } });
    world.advance(600);
    const service = await describeService(world);
    const deployment = service.deployments![0]!;
    expect(deployment.rolloutState).toBe('IN_PROGRESS');
    // Launches back off (1 s doubling, at most 5 minutes): a bounded number of attempts in 10 minutes.
    expect(deployment.failedTasks).toBeGreaterThan(5);
    expect(deployment.failedTasks).toBeLessThan(20);
    expect(messages(service)).toContain('(service app-dev-service) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.');
  });
});
