import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { createService, describeService, ecsWorld, LOG_GROUP, register, seedTargetGroup, serviceTasks, setScenario, targetsOf, type EcsWorld } from './ecs-world.js';

const messages = (service: { events?: { message?: string }[] }) => (service.events ?? []).map((e) => e.message ?? '');

async function logLines(world: EcsWorld, taskArn: string): Promise<string[]> {
  const out = await world.logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: `ecs/app/${taskArn.split('/').pop()}` }));
  return (out.events ?? []).map((e) => e.message ?? '');
}

describe('ECS rollout scenarios (state.scenario)', () => {
  it('crash-loop: RUNNING briefly, then exit 1 with a few log lines ending in the error', async () => {
    const world = await ecsWorld();
    setScenario(world, 'crash-loop');
    await createService(world, await register(world));
    world.advance(3);
    let [task] = await serviceTasks(world, 'RUNNING');
    expect(task!.lastStatus).toBe('RUNNING');
    world.advance(1);
    [task] = await serviceTasks(world, 'STOPPED');
    expect(task).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(task!.containers![0]).toMatchObject({ exitCode: 1, lastStatus: 'STOPPED' });
    const lines = await logLines(world, task!.taskArn!);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toBe('Error: connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('out-of-memory: exit 137 with the OutOfMemoryError reason', async () => {
    const world = await ecsWorld();
    setScenario(world, 'out-of-memory');
    await createService(world, await register(world));
    world.advance(5);
    const [task] = await serviceTasks(world, 'STOPPED');
    expect(task!.stopCode).toBe('EssentialContainerExited');
    expect(task!.containers![0]).toMatchObject({ exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' });
  });

  it('exec-format: exit 255 and the exec format error in the log', async () => {
    const world = await ecsWorld();
    setScenario(world, 'exec-format');
    await createService(world, await register(world));
    world.advance(3);
    const [task] = await serviceTasks(world, 'STOPPED');
    expect(task!.containers![0]!.exitCode).toBe(255);
    expect(await logLines(world, task!.taskArn!)).toEqual(['exec /usr/local/bin/docker-entrypoint.sh: exec format error']);
  });

  it('health-check-failing: the task runs, its target goes initial → unhealthy (404), and ECS stops it', async () => {
    const world = await ecsWorld();
    setScenario(world, 'health-check-failing');
    const targetGroupArn = seedTargetGroup(world);
    await createService(world, await register(world), { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }] });
    world.advance(3);
    expect((await targetsOf(world, targetGroupArn))[0]).toMatchObject({ state: 'initial', reason: 'Elb.RegistrationInProgress' });
    world.advance(1);
    const [running] = await serviceTasks(world, 'RUNNING');
    expect(running!.lastStatus).toBe('RUNNING');
    expect((await targetsOf(world, targetGroupArn))[0]).toMatchObject({ state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' });
    expect(messages(await describeService(world))[0]).toBe(
      `(service app-dev-service) (task ${running!.taskArn!.split('/').pop()}) (port 8080) is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed with these codes: [404]).`,
    );
    world.advance(1);
    const [stopped] = await serviceTasks(world, 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Task failed ELB health checks in (target-group ${targetGroupArn})`, lastStatus: 'DEACTIVATING' });
    expect((await targetsOf(world, targetGroupArn))[0]).toMatchObject({ state: 'draining' });
    world.advance(1);
    expect((await targetsOf(world, targetGroupArn)).filter((t) => t.state !== 'initial')).toEqual([]);
  });

  it('health-check-failing respects the grace period before ECS stops the task', async () => {
    const world = await ecsWorld();
    setScenario(world, 'health-check-failing');
    const targetGroupArn = seedTargetGroup(world);
    await createService(world, await register(world), { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }], healthCheckGracePeriodSeconds: 60 });
    world.advance(30);
    expect(await serviceTasks(world, 'STOPPED')).toEqual([]);
    world.advance(40);
    expect((await serviceTasks(world, 'STOPPED'))[0]!.stoppedReason).toMatch(/^Task failed ELB health checks/);
  });

  it('stuck-pending: tasks stay PROVISIONING, nothing fails', async () => {
    const world = await ecsWorld();
    setScenario(world, 'stuck-pending');
    await createService(world, await register(world));
    world.advance(3600);
    const service = await describeService(world);
    expect(service).toMatchObject({ runningCount: 0, pendingCount: 1 });
    expect(service.deployments![0]).toMatchObject({ rolloutState: 'IN_PROGRESS', failedTasks: 0 });
    expect((await serviceTasks(world, 'RUNNING'))[0]!.lastStatus).toBe('PROVISIONING');
  });

  it('no-capacity: no task starts, "unable to place a task" repeats, the breaker never trips', async () => {
    const world = await ecsWorld();
    setScenario(world, 'no-capacity');
    await createService(world, await register(world));
    world.advance(120);
    const service = await describeService(world);
    expect(service).toMatchObject({ runningCount: 0, pendingCount: 0 });
    expect(service.deployments![0]).toMatchObject({ rolloutState: 'IN_PROGRESS', failedTasks: 0 });
    const placements = messages(service).filter((m) => m.startsWith('(service app-dev-service) was unable to place a task.'));
    expect(placements.length).toBeGreaterThanOrEqual(4);
    expect(placements[0]).toContain('Capacity is unavailable at this time');
    expect(await serviceTasks(world, 'STOPPED')).toEqual([]);
  });

  it('a scenario only touches tasks started after it is set', async () => {
    const world = await ecsWorld();
    await createService(world, await register(world));
    world.advance(3);
    setScenario(world, 'crash-loop');
    world.advance(600);
    expect((await describeService(world)).runningCount).toBe(1);
  });
});
