import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import type { PlanResult } from '../../../src/engine/plan.js';
import { publishImage, runRollout } from '../rollout/harness.js';
import { BIN, SANDBOX, slipway, useBinaryWorlds } from '../run/binary-world.js';

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

/** The built binary, SIGKILLed as soon as its output shows `pattern` (a step's line after its AWS call). */
async function killedAt(w: World, args: string[], pattern: RegExp) {
  const child = spawn(process.execPath, [BIN, args[0]!, '--sandbox-name', SANDBOX, ...args.slice(1)], { cwd: w.runtime.cwd, env: w.binaryEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const watch = (d: Buffer) => {
    out += d.toString();
    if (pattern.test(out)) child.kill('SIGKILL');
  };
  child.stdout.on('data', watch);
  child.stderr.on('data', watch);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, s) => resolve(s)));
  return { signal, out };
}

/** Running tasks of the service with the ECS Exec agent RUNNING (moving the sandbox's ECS on as ECS would). */
async function readyTasks(w: World): Promise<number> {
  const ecs = attachSandbox(new ECSClient({ region: REGION, credentials: w.sandbox.adminCredentials() }), w.sandbox);
  const arns = (await ecs.send(new ListTasksCommand({ cluster: 'todo-dev', serviceName: 'todo-dev' }))).taskArns ?? [];
  if (!arns.length) return 0;
  const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'todo-dev', tasks: arns }))).tasks ?? [];
  return tasks.filter((t) => t.lastStatus === 'RUNNING' && t.containers?.[0]?.managedAgents?.some((a) => a.name === 'ExecuteCommandAgent' && a.lastStatus === 'RUNNING')).length;
}

/** A local image whose /bin/sh is a static busybox (no base image can be pulled here). */
function localShellImage(): string | undefined {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) return undefined;
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-exec-image-'));
  try {
    copyFileSync(busybox, join(dir, 'busybox'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\nCMD ["/bin/sh"]\n');
    const tag = 'slipway-exec-test:busybox';
    return spawnSync('docker', ['build', '-q', '-t', tag, dir], { stdio: 'ignore' }).status === 0 ? tag : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('slipway exec: resuming, choosing the task, the sandbox session', () => {
  it('killed right after each enabling call, then run again: one task role, one new revision, one new deployment', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const args = ['exec', '--env', 'dev', '--enable', '--', 'sh', '-c', 'exit 0'];
    let kills = 0;
    for (const at of [/Created role todo-dev-ecs-task/, /Registered todo-dev:2/, /ECS Exec on for todo-dev; deployment/]) {
      const killed = await killedAt(w, args, at);
      if (killed.signal === 'SIGKILL') kills++;
      // A kill that landed late (a loaded machine) let that run do the next call too: then this run finds it done.
      else expect(killed.out, 'neither killed nor already done').not.toMatch(at);
    }
    expect(kills).toBeGreaterThan(0);
    const resumed = await slipway(w, args);
    expect(resumed.stdout + resumed.stderr).toMatch(/Resum|resum/);
    const s = w.sandbox.snapshot();
    expect(Object.keys(s.iam.roles).filter((r) => r.startsWith('todo-dev-ecs-task'))).toEqual(['todo-dev-ecs-task']);
    expect(s.ecs!.taskDefinitions![REGION]!['todo-dev']!.length).toBe(2);
    expect(service(w).deployments.filter((d) => d.taskDefinition.endsWith('todo-dev:2'))).toHaveLength(1);
    expect(service(w).enableExecuteCommand).toBe(true);
    expect(s.ecs!.execSessions).toHaveLength(1);
    // A rollout of a new image keeps the task role in its new revision: ECS Exec stays on.
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    expect((await runRollout(w, new NonInteractivePrompter())).result.status).toBe('done');
    expect(service(w).taskDefinition).toMatch(/todo-dev:3$/);
    expect(w.sandbox.snapshot().ecs!.taskDefinitions![REGION]!['todo-dev']![2]!.taskRoleArn).toMatch(/role\/todo-dev-ecs-task$/);
    // Once on, nothing more to enable: the plan says so. Teardown then deletes the task role with the rest.
    const plan = await slipway(w, ['exec', '--env', 'dev', '--plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(/= Turn ECS Exec on \(asks first\): not needed here/);
    const teardown = await slipway(w, ['teardown', '--env', 'dev', '--approve', 'yes', '--delete-logs', 'yes']);
    expect(teardown.code, teardown.stdout + teardown.stderr).toBe(0);
    expect(teardown.stdout).toMatch(/IAM role todo-dev-ecs-task \(ECS Exec's task role; its policies deleted first\)/);
    expect(Object.keys(w.sandbox.snapshot().iam.roles).filter((r) => r.startsWith('todo-dev'))).toEqual([]);
  });

  it('several tasks and nobody to ask: exit 2 naming --task; --task by prefix reaches that task', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    await slipway(w, ['exec', '--env', 'dev', '--enable', '--', 'true']);
    const ecs = attachSandbox(new ECSClient({ region: REGION, credentials: w.sandbox.adminCredentials() }), w.sandbox);
    await ecs.send(new UpdateServiceCommand({ cluster: 'todo-dev', service: 'todo-dev', desiredCount: 2 }));
    for (let i = 0; i < 800 && (await readyTasks(w)) < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await readyTasks(w)).toBe(2);
    const sessions = () => w.sandbox.snapshot().ecs?.execSessions?.length ?? 0;
    const before = sessions();
    const ambiguous = await slipway(w, ['exec', '--env', 'dev']);
    expect(ambiguous.code, ambiguous.stdout + ambiguous.stderr).toBe(2);
    expect(ambiguous.stderr).toMatch(/2 tasks of dev run; say which one with --task/);
    expect(sessions()).toBe(before);
    const ids = Object.values(w.sandbox.snapshot().ecs!.tasks![REGION]!).filter((t) => t.service === 'todo-dev' && t.lastStatus === 'RUNNING' && t.enableExecuteCommand).map((t) => t.id);
    const chosen = ids[1]!;
    await slipway(w, ['exec', '--env', 'dev', '--task', chosen.slice(0, 10), '--', 'true']);
    expect(w.sandbox.snapshot().ecs!.execSessions!.at(-1)).toMatchObject({ taskArn: expect.stringMatching(new RegExp(`/${chosen}$`)), container: 'app', command: 'true' });
  });

  it('in the sandbox the command runs in a new container of the task’s image with the local Docker, and slipway exits with its code', async () => {
    const image = localShellImage();
    if (!image) {
      if (process.env.CI === 'true') expect.fail('Docker and busybox-static are needed for this test under CI=true');
      console.warn('skipped: no Docker daemon or busybox here');
      return;
    }
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    w.sandbox.update((s) => {
      s.ecs!.taskDefinitions![REGION]!['todo-dev']![0]!.containerDefinitions[0]!.image = image;
    });
    const run = await slipway(w, ['exec', '--env', 'dev', '--enable', '--', 'sh', '-c', 'echo hi-from-exec; exit 4']);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toContain('hi-from-exec');
    expect(run.stdout).toMatch(/SANDBOX: ECS Exec reached the task .*NEW container of the task’s image slipway-exec-test:busybox/);
    expect(run.stdout).toMatch(/with exit code 4; slipway exits with the same code/);
  });
});
