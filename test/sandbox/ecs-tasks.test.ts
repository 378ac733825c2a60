import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ListTasksCommand, RunTaskCommand, StopTaskCommand, type RunTaskRequest, type Task } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { scriptedExitCode } from '../../src/sandbox/ecs/outcome.js';
import { caught } from './support.js';
import { CLUSTER, ecsWorld, LOG_GROUP, NETWORK, REGION, register, setScenario, type EcsWorld } from './ecs-world.js';

async function run(world: EcsWorld, command: string[] | undefined, changes: Partial<RunTaskRequest> = {}): Promise<Task> {
  const out = await world.ecs.send(
    new RunTaskCommand({
      cluster: CLUSTER,
      taskDefinition: await register(world),
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      startedBy: 'slipway-migrate',
      overrides: command ? { containerOverrides: [{ name: 'app', command, environment: [{ name: 'MODE', value: 'migrate' }] }] } : undefined,
      ...changes,
    }),
  );
  expect(out.failures).toEqual([]);
  return out.tasks![0]!;
}

async function describeTask(world: EcsWorld, arn: string): Promise<Task> {
  return (await world.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks![0]!;
}

describe('ECS one-off tasks (RunTask)', () => {
  it('the exit code is scripted by the command: 0 by default, n for `exit n`', () => {
    expect(scriptedExitCode(['python3', 'manage.py', 'migrate', '--no-input'])).toBe(0);
    expect(scriptedExitCode(['sh', '-c', './migrate && exit 3'])).toBe(3);
    expect(scriptedExitCode(['sh', '-c', 'exit 300'])).toBe(44);
  });

  it('runs the overridden command once and stops with its exit code; the command is logged', async () => {
    const world = await ecsWorld();
    const started = await run(world, ['sh', '-c', 'python3 manage.py migrate && exit 3']);
    expect(started).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', startedBy: 'slipway-migrate', group: 'family:app-dev' });
    expect(started.taskArn).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:\\d{12}:task/${CLUSTER}/[0-9a-f]{32}$`));
    expect(started.overrides!.containerOverrides![0]!.command).toEqual(['sh', '-c', 'python3 manage.py migrate && exit 3']);

    world.advance(3);
    expect((await describeTask(world, started.taskArn!)).lastStatus).toBe('RUNNING');
    world.advance(10);
    const done = await describeTask(world, started.taskArn!);
    expect(done).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(done.containers![0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 3 });
    expect(done.stoppedAt!.getTime()).toBeGreaterThan(done.startedAt!.getTime());
    const log = await world.logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: `ecs/app/${started.taskArn!.split('/').pop()}` }));
    expect(log.events!.map((e) => e.message)).toEqual(['sh -c python3 manage.py migrate && exit 3']);

    const zero = await run(world, ['python3', 'manage.py', 'migrate']);
    world.advance(20);
    expect((await describeTask(world, zero.taskArn!)).containers![0]!.exitCode).toBe(0);
  });

  it('ListTasks filters by desired status, startedBy and family; the same client token starts nothing new', async () => {
    const world = await ecsWorld();
    const job = await run(world, ['true'], { clientToken: 'migrate-1' });
    const again = await run(world, ['true'], { clientToken: 'migrate-1' });
    expect(again.taskArn).toBe(job.taskArn);
    const list = (input: object) => world.ecs.send(new ListTasksCommand({ cluster: CLUSTER, ...input })).then((o) => o.taskArns);
    expect(await list({ startedBy: 'slipway-migrate' })).toEqual([job.taskArn]);
    expect(await list({ family: 'other' })).toEqual([]);
    world.advance(20);
    expect(await list({})).toEqual([]);
    expect(await list({ desiredStatus: 'STOPPED', family: 'app-dev' })).toEqual([job.taskArn]);
  });

  it('without a command override the container keeps running until StopTask; stopped tasks vanish after an hour', async () => {
    const world = await ecsWorld();
    const task = await run(world, undefined);
    world.advance(600);
    expect((await describeTask(world, task.taskArn!)).lastStatus).toBe('RUNNING');
    const stopping = (await world.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: task.taskArn, reason: 'done for today' }))).task!;
    expect(stopping).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'done for today', lastStatus: 'STOPPING' });
    world.advance(10);
    const stopped = await describeTask(world, task.taskArn!);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(stopped.containers![0]!.exitCode).toBe(143);
    world.advance(3600);
    const later = await world.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [task.taskArn!] }));
    expect(later.tasks).toEqual([]);
    expect(later.failures).toEqual([{ arn: task.taskArn, reason: 'MISSING' }]);
    const missing = await caught(world.ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: task.taskArn })));
    expect([missing.name, missing.message]).toEqual(['InvalidParameterException', 'The referenced task was not found.']);
  });

  it('a one-off task fails to start for the same account reasons as a service task', async () => {
    const world = await ecsWorld();
    const task = await run(world, ['true'], { networkConfiguration: { awsvpcConfiguration: { ...NETWORK.awsvpcConfiguration, assignPublicIp: 'DISABLED' } } });
    world.advance(5);
    const stopped = await describeTask(world, task.taskArn!);
    expect(stopped.stopCode).toBe('TaskFailedToStart');
    expect(stopped.stoppedReason).toMatch(/i\/o timeout/);
  });

  it('no capacity: RunTask answers with failures[]; the EC2 launch type has no container instances', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    setScenario(world, 'no-capacity');
    const out = await world.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: definition, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    expect(out.tasks).toEqual([]);
    expect(out.failures).toEqual([{ arn: definition, reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone' }]);
    const ec2 = await caught(world.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: definition, launchType: 'EC2', networkConfiguration: NETWORK })));
    expect([ec2.name, ec2.message]).toEqual(['InvalidParameterException', 'No Container Instances were found in your cluster.']);
    const override = await caught(world.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: definition, launchType: 'FARGATE', networkConfiguration: NETWORK, overrides: { containerOverrides: [{ name: 'web' }] } })));
    expect(override.message).toBe('Override for container named web is not a container in the TaskDefinition.');
  });
});
