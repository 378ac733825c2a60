import { describe, expect, it } from 'vitest';
import { runExitCode } from '../../../src/cli/exit-code.js';
import { runFlow as runOneOff } from '../../../flows/run/index.js';
import { readdirSync } from 'node:fs';
import { UsageError } from '../../../src/engine/errors.js';
import { journalsDir } from '../../../src/engine/paths.js';
import { DEV, runRollout, useRolloutWorlds, writeEnvironmentFile } from '../rollout/harness.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { runDay2 } from './day2-harness.js';

const world = useRolloutWorlds();
const command = (...words: string[]) => ({ ...DEV, command: JSON.stringify(words) });

function oneOffTasks(w: { sandbox: { snapshot(): any } }) {
  return Object.values(w.sandbox.snapshot().ecs?.tasks?.['us-east-1'] ?? {}).filter((t: any) => t.startedBy === 'slipway-run') as any[];
}

describe('slipway run', () => {
  it('runs the command in a one-off task with the service’s revision and network, streams its log, and hands on exit code 0', async () => {
    const w = await world();
    const rollout = await runRollout(w, new NonInteractivePrompter());
    expect(rollout.result.status).toBe('done');
    const { result, logs } = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', 'echo migrating; exit 0'));
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    expect(result.outputs.wait?.exitCode).toBe(0);
    expect(runExitCode(result)).toBe(0);
    // The sandbox's container logs its command line: streamed from ecs/app/<task id>.
    expect(logs).toContain('│ sh -c echo migrating; exit 0');
    const [task] = oneOffTasks(w);
    expect(task.taskDefinitionArn).toBe(rollout.result.outputs['task-definition']?.arn);
    expect(task.overrides.containerOverrides).toEqual([{ name: 'app', command: ['sh', '-c', 'echo migrating; exit 0'] }]);
    expect(rollout.result.outputs.network?.subnets).toContain(task.eni.subnetId);
    expect(result.outputs.prepare).toMatchObject({ securityGroups: [rollout.result.outputs['task-security-group']?.groupId], assignPublicIp: 'ENABLED', logGroup: '/slipway/todo/dev' });
    expect(result.summary[0]).toMatch(/exit code 0/);
  });

  it('a non-zero exit code is the run’s exit code', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const { result, logs } = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', './migrate && exit 3'));
    expect(result.status).toBe('done');
    expect(result.outputs.wait?.exitCode).toBe(3);
    expect(runExitCode(result)).toBe(3);
    expect(logs.some((l) => /exited with code 3/.test(l))).toBe(true);
    expect(result.summary[0]).toMatch(/exited with code 3; slipway exits with the same code/);
  });

  it('the same command again starts a new task; a finished run is never re-adopted', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const first = await runDay2(runOneOff(w.runtime), w, command('true'));
    const second = await runDay2(runOneOff(w.runtime), w, command('true'));
    expect(second.result.outputs.task?.taskArn).not.toBe(first.result.outputs.task?.taskArn);
    expect(oneOffTasks(w)).toHaveLength(2);
  });

  it('a run stopped while following re-attaches to its task when run again: one task, its exit code', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const cancel = new AbortController();
    const first = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', 'exit 4'), { cancel: cancel.signal, onEvent: (e) => e.type === 'step-done' && e.stepId === 'task' && cancel.abort() });
    expect(first.result.status).toBe('cancelled');
    const again = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', 'exit 4'));
    expect(again.how).toMatchObject({ prepare: 'confirmed', task: 'confirmed' });
    expect(again.result.outputs.wait?.exitCode).toBe(4);
    expect(oneOffTasks(w)).toHaveLength(1);
  });

  it('a run that died right after RunTask finds the task it started instead of starting another', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const run = w.sandbox.run.bind(w.sandbox);
    let crashed = false;
    w.sandbox.run = (async (...args: Parameters<typeof run>) => {
      const out = await run(...args);
      if (!crashed && oneOffTasks(w).length === 1) {
        crashed = true;
        throw new Error('killed right after RunTask');
      }
      return out;
    }) as typeof w.sandbox.run;
    const first = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', 'exit 5'));
    expect(first.result.failures[0]?.stepId).toBe('task');
    const again = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', 'exit 5'));
    expect(again.how.task).toBe('adopted');
    expect(again.result.outputs.wait?.exitCode).toBe(5);
    expect(oneOffTasks(w)).toHaveLength(1);
  });

  it('another command after an unfinished run is a new task, not the old one', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const cancel = new AbortController();
    await runDay2(runOneOff(w.runtime), w, command('sleep-a-while'), { cancel: cancel.signal, onEvent: (e) => e.type === 'step-done' && e.stepId === 'task' && cancel.abort() });
    const other = await runDay2(runOneOff(w.runtime), w, command('sh', '-c', 'exit 6'));
    expect(other.how.prepare).toBe('applied');
    expect(other.result.outputs.wait?.exitCode).toBe(6);
    expect(oneOffTasks(w)).toHaveLength(2);
  });

  it('RunTask failures are explained, exit 1, and the service is left alone', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    w.sandbox.update((s) => {
      s.scenario = 'no-capacity';
    });
    const { result } = await runDay2(runOneOff(w.runtime), w, command('migrate'));
    expect(result.status).toBe('failed');
    expect(runExitCode(result)).toBe(1);
    expect(result.failures[0]?.stepId).toBe('task');
    expect(result.failures[0]?.error.message).toMatch(/^ECS did not start the task: Capacity is unavailable/);
    expect(result.failures[0]?.error.why).toMatch(/Fargate has no capacity/);
    expect(result.failures[0]?.error.fix).toMatch(/Nothing ran/);
    expect(oneOffTasks(w)).toHaveLength(0);
  });

  it('an environment with nothing deployed says how to deploy it first', async () => {
    const w = await world();
    writeEnvironmentFile(w, { env: 'prod', protected: true }); // committed, nothing deployed
    const { result } = await runDay2(runOneOff(w.runtime), w, { ...command('migrate'), env: 'prod' });
    expect(result.status).toBe('failed');
    expect(result.failures[0]?.error.message).toBe('Nothing is deployed in prod yet.');
    expect(result.failures[0]?.error.fix).toContain('slipway rollout --env prod');
  });

  it('an environment without its file is bad input, naming the file: exit 2, no journal', async () => {
    const w = await world();
    const refused = await runDay2(runOneOff(w.runtime), w, { ...command('migrate'), env: 'staging' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toBe('There is no environment "staging" here.');
    expect(readdirSync(journalsDir(w.env)).filter((name) => name.startsWith('run__'))).toEqual([]);
  });
});
