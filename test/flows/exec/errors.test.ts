import { describe, expect, it } from 'vitest';
import { DeleteRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { AccessDeniedException, ECSClient, ExecuteCommandCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { execFlow } from '../../../flows/exec/index.js';
import { explainExecError } from '../../../flows/exec/steps/session.js';
import { platformTooOld } from '../../../flows/exec/steps/state.js';
import { rolloutNames } from '../../../flows/rollout/names.js';
import type { RolloutContext } from '../../../flows/rollout/context.js';
import { DEV, runRollout, useRolloutWorlds } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';

const world = useRolloutWorlds();

const context = { settings: { region: 'us-east-1', env: 'dev', app: 'todo' }, names: rolloutNames('todo', 'dev'), account: () => '123456789012' } as unknown as RolloutContext;

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('ExecuteCommand refused, explained', () => {
  it('the sandbox answers as ECS does — exec off: InvalidParameterException; the task role without ssmmessages: TargetNotConnectedException — and each gets its fix', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const ecs = attachSandbox(new ECSClient({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    const [task] = (await ecs.send(new ListTasksCommand({ cluster: 'todo-dev', serviceName: 'todo-dev' }))).taskArns ?? [];
    const off = await caught(ecs.send(new ExecuteCommandCommand({ cluster: 'todo-dev', task, container: 'app', command: '/bin/sh', interactive: true })));
    expect(off.name).toBe('InvalidParameterException');
    expect(off.message).toMatch(/execute command was not enabled when the task was run or the execute command agent isn.t running/);
    const explained = explainExecError(context, off) as SlipwayError;
    expect(explained.message).toMatch(/^ECS refused the session/);
    expect(explained.fix).toMatch(/slipway exec --env dev again/);
    const notInteractive = await caught(ecs.send(new ExecuteCommandCommand({ cluster: 'todo-dev', task, container: 'app', command: '/bin/sh', interactive: false })));
    expect(notInteractive.message).toBe('Interactive is the only mode supported currently.');

    // ECS Exec on, then the role's permissions taken away by hand: the agent cannot connect.
    await runDay2(execFlow(w.runtime), w, { ...DEV, enable: true, command: '["true"]' });
    const iam = attachSandbox(new IAMClient({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'todo-dev-ecs-task', PolicyName: 'slipway-ecs-exec' }));
    const session = w.sandbox.snapshot().ecs!.execSessions!.at(-1)!;
    const unreachable = await caught(ecs.send(new ExecuteCommandCommand({ cluster: 'todo-dev', task: session.taskArn, container: 'app', command: '/bin/sh', interactive: true })));
    expect(unreachable.name).toBe('TargetNotConnectedException');
    const why = explainExecError(context, unreachable) as SlipwayError;
    expect(why.message).toMatch(/TargetNotConnectedException/);
    expect(why.why).toMatch(/ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel/);
    expect(why.fix).toMatch(/--enable adds the permissions/);
    // Run again, slipway finds the permissions missing and puts them back (a plan says so first).
    const again = await runDay2(execFlow(w.runtime), w, { ...DEV, enable: true, command: '["true"]' });
    expect(again.how['task-role']).toBe('applied');
    expect(w.sandbox.snapshot().iam.roles['todo-dev-ecs-task']!.inlinePolicies['slipway-ecs-exec']).toBeDefined();
  });

  it('exec on for the service but every running task older than that: a new deployment is still asked for, never made silently', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    await runDay2(execFlow(w.runtime), w, { ...DEV, enable: true, command: '["true"]' });
    const ecs = attachSandbox(new ECSClient({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    // Off with a new deployment (its tasks have no agent), then on again without one.
    await ecs.send(new UpdateServiceCommand({ cluster: 'todo-dev', service: 'todo-dev', enableExecuteCommand: false, forceNewDeployment: true }));
    for (let i = 0; i < 200; i++) {
      const tasks = Object.values(w.sandbox.snapshot().ecs!.tasks!['us-east-1']!).filter((t) => t.service === 'todo-dev' && t.desiredStatus === 'RUNNING');
      if (tasks.length > 0 && tasks.every((t) => !t.enableExecuteCommand && t.lastStatus === 'RUNNING')) break;
      await ecs.send(new ListTasksCommand({ cluster: 'todo-dev' }));
      await new Promise((r) => setTimeout(r, 25));
    }
    await ecs.send(new UpdateServiceCommand({ cluster: 'todo-dev', service: 'todo-dev', enableExecuteCommand: true }));
    const deployments = Object.values(w.sandbox.snapshot().ecs!.services!['us-east-1']!)[0]!.deployments.length;
    // (Another command: a new run, not the resumption of the one above, whose answers had --enable.)
    await expect(runDay2(execFlow(w.runtime), w, { ...DEV, command: '["id"]' })).rejects.toThrow(/ECS Exec is on for dev but none of its running tasks was started with it: turning it on starts a new deployment/);
    expect(Object.values(w.sandbox.snapshot().ecs!.services!['us-east-1']!)[0]!.deployments.length).toBe(deployments);
  });

  it('ecs:ExecuteCommand denied names the permission and the ARN; an old Fargate platform is told apart', () => {
    const denied = new AccessDeniedException({ message: 'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: ecs:ExecuteCommand', $metadata: {} });
    const explained = explainExecError(context, denied) as SlipwayError;
    expect(explained.message).toBe('You may not open ECS Exec sessions here (ecs:ExecuteCommand was denied).');
    expect(explained.why).toContain('arn:aws:ecs:us-east-1:123456789012:task/todo-dev/*');
    expect([platformTooOld('1.3.0'), platformTooOld('1.4.0'), platformTooOld('LATEST'), platformTooOld(undefined)]).toEqual([true, false, false, false]);
  });
});
