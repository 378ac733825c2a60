import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import type { PlanResult } from '../../../src/engine/plan.js';
import { runRollout } from '../rollout/harness.js';
import { slipway, useBinaryWorlds } from '../run/binary-world.js';

/**
 * `slipway exec` through the built binary, in the sandbox: turning ECS Exec on is planned (and the plan
 * writes nothing), applied as steps, and ExecuteCommand reaches the service's task and container.
 */
const world = useBinaryWorlds();
type World = Awaited<ReturnType<typeof world>>;

const REGION = 'us-east-1';

function service(w: World) {
  return Object.values(w.sandbox.snapshot().ecs?.services?.[REGION] ?? {})[0]!;
}

function journals(w: World): string[] {
  const dir = join(String(w.binaryEnv.XDG_STATE_HOME), 'slipway', 'journals');
  return existsSync(dir) ? readdirSync(dir) : [];
}

function execState(w: World) {
  const s = w.sandbox.snapshot();
  return {
    roles: Object.keys(s.iam.roles).sort(),
    enabled: service(w).enableExecuteCommand,
    taskDefinition: service(w).taskDefinition,
    revisions: s.ecs?.taskDefinitions?.[REGION]?.['todo-dev']?.length,
    deployments: service(w).deployments.length,
    sessions: s.ecs?.execSessions?.length ?? 0,
  };
}

describe('slipway exec, the built binary in the sandbox', () => {
  it('--plan lists the enabling steps and writes nothing; then --enable applies them and ExecuteCommand reaches the task and container', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter())).result.status).toBe('done');
    const before = execState(w);
    expect(before.enabled).toBe(false);

    const text = await slipway(w, ['exec', '--env', 'dev', '--plan']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\+ Task role with the ECS Exec permissions: iam:CreateRole todo-dev-ecs-task \(trust: ecs-tasks\) \+ inline policy slipway-ecs-exec: ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel/);
    expect(text.stdout).toMatch(/\+ Task definition naming the task role: create: a new revision of todo-dev:1/);
    expect(text.stdout).toMatch(/~ Service with ECS Exec on .*enableExecuteCommand: false → true/s);
    expect(text.stdout).toMatch(/> A task with the ECS Exec agent running/);
    expect(text.stdout).toMatch(/> The session .*ecs:ExecuteCommand \(interactive\) in container app: \/bin\/sh/);
    const json = await slipway(w, ['exec', '--env', 'dev', '--plan', '--json', '--detailed-exitcode']);
    expect(json.code).toBe(3);
    const plan = JSON.parse(json.stdout) as PlanResult;
    expect(plan.steps.map((s) => [s.id, s.action])).toEqual([
      ['identity', 'check'],
      ['environment', 'check'],
      ['plugin', 'check'],
      ['exec-state', 'check'],
      ['consent', 'run'],
      ['task-role', 'create'],
      ['exec-task-definition', 'create'],
      ['enable-exec', 'update'],
      ['exec-agent', 'run'],
      ['pick-task', 'run'],
      ['session', 'run'],
    ]);
    expect(execState(w)).toEqual(before);
    expect(journals(w)).toEqual([]);

    // Nobody to ask and no --enable: bad input, nothing written.
    const refused = await slipway(w, ['exec', '--env', 'dev']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/ECS Exec is off for dev: turning it on starts a new deployment[\s\S]*--enable/);
    expect(execState(w)).toEqual(before);
    expect(journals(w)).toEqual([]);

    const run = await slipway(w, ['exec', '--env', 'dev', '--enable', '--', 'sh', '-c', 'echo hi']);
    const after = execState(w);
    expect(after.roles).toContain('todo-dev-ecs-task');
    expect(after).toMatchObject({ enabled: true, revisions: 2, deployments: expect.any(Number), sessions: 1 });
    expect(after.taskDefinition).toMatch(/task-definition\/todo-dev:2$/);
    const s = w.sandbox.snapshot();
    const role = s.iam.roles['todo-dev-ecs-task']!;
    expect(role.tags).toEqual(expect.arrayContaining([{ Key: 'slipway:app', Value: 'todo' }, { Key: 'slipway:env', Value: 'dev' }, { Key: 'slipway:managed', Value: 'true' }]));
    expect(JSON.parse(decodeURIComponent(role.inlinePolicies['slipway-ecs-exec']!))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'EcsExecSessionChannels', Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' }],
    });
    const sessions = s.ecs!.execSessions!;
    const task = s.ecs!.tasks![REGION]![sessions[0]!.taskArn.split('/').pop()!]!;
    expect(sessions[0]).toMatchObject({ cluster: 'todo-dev', container: 'app', command: "sh -c 'echo hi'", interactive: true });
    expect(task).toMatchObject({ service: 'todo-dev', desiredStatus: 'RUNNING', lastStatus: 'RUNNING', enableExecuteCommand: true });
    expect(task.taskDefinitionArn).toBe(after.taskDefinition);
    expect(run.stdout + run.stderr).toMatch(/SANDBOX: ECS Exec reached the task/);
  });
});
