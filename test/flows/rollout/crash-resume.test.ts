import { runKillableChild } from '../../support/killable-child.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECSClient, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { createSandbox } from '../../../src/sandbox/store.js';
import { buildChild } from '../../support/build-child.js';
import { rolloutWorld, type RolloutWorld } from './harness.js';

const STEPS = ['identity', 'environment', 'image', 'network', 'approval', 'environment-file', 'lb-security-group', 'task-security-group', 'execution-role', 'log-group', 'cluster', 'load-balancer', 'target-group', 'listener', 'task-definition', 'service', 'watch'];

let child: string;
let callsInFullRun = 0;
const worlds: RolloutWorld[] = [];
beforeAll(async () => {
  child = await buildChild('test/support/rollout-child.ts');
  const w = await newWorld();
  const full = await runChild(w.home);
  expect(full.code, full.stderr).toBe(0);
  callsInFullRun = full.calls;
  await assertConverged(w);
}, 120_000);
afterAll(() => worlds.forEach((w) => w.cleanup()));

/** The world's sandbox is a file under its HOME, which the child opens. */
async function newWorld(): Promise<RolloutWorld> {
  const w = await rolloutWorld();
  worlds.push(w);
  return w;
}

async function runChild(home: string, kill?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; calls: number; stderr: string; deployments: string[] }> {
  const { code, signal, stderr, lines } = await runKillableChild(child, home, kill);
  const events = lines as { type: string; calls?: number; stepId?: string; outputs?: { deploymentId?: string } }[];
  return {
    code,
    signal,
    stderr,
    calls: events.find((e) => e.type === 'calls')?.calls ?? -1,
    deployments: events.flatMap((e) => (e.type === 'step-done' && e.stepId === 'service' && e.outputs?.deploymentId ? [e.outputs.deploymentId] : [])),
  };
}

/** After any interrupted-then-resumed rollout: one of everything, one deployment, revision 1, running. */
async function assertConverged(w: RolloutWorld): Promise<void> {
  const sandbox = createSandbox({ file: join(w.home, 'sandbox.json') });
  const state = sandbox.snapshot();
  const region = 'us-east-1';
  const services = Object.values(state.ecs?.services?.[region] ?? {}).filter((s) => s.status === 'ACTIVE');
  expect(services.map((s) => s.name)).toEqual(['todo-dev']);
  expect(Object.values(state.ecs?.clusters?.[region] ?? {}).filter((c) => c.status === 'ACTIVE')).toHaveLength(1);
  const revisions = Object.values(state.ecs?.taskDefinitions?.[region] ?? {}).flat();
  expect(revisions.map((r) => `${r.family}:${r.revision}`)).toEqual(['todo-dev:1']);
  const ecs = attachSandbox(new ECSClient({ region, credentials: sandbox.adminCredentials() }), sandbox);
  const deployments = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'todo-dev', service: 'todo-dev' }))).serviceDeployments ?? [];
  expect(deployments).toHaveLength(1);
  expect(deployments[0]?.status).toBe('SUCCESSFUL');
  expect(Object.keys(state.elbv2?.loadBalancers[region] ?? {})).toHaveLength(1);
  expect(Object.keys(state.elbv2?.targetGroups[region] ?? {})).toHaveLength(1);
  expect(Object.keys(state.elbv2?.listeners[region] ?? {})).toHaveLength(1);
  expect(Object.values(state.ec2.securityGroups?.[region] ?? {}).filter((g) => g.name !== 'default').map((g) => g.name).sort()).toEqual(['todo-dev-load-balancer', 'todo-dev-tasks']);
  expect(Object.keys(state.iam.roles).filter((r) => r.startsWith('todo-'))).toEqual(['todo-dev-ecs-execution']);
  expect(Object.keys(state.logs?.groups[region] ?? {})).toEqual(['/slipway/todo/dev']);
}

describe('rollout killed with SIGKILL, then resumed', () => {
  it.each(STEPS)('killed as %s starts: the resumed run converges on one service, one deployment, one revision', async (step) => {
    const w = await newWorld();
    const killed = await runChild(w.home, `start:${step}`);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await runChild(w.home);
    expect(resumed.code, resumed.stderr).toBe(0);
    await assertConverged(w);
  }, 60_000);

  it('killed after every fifth sandbox call, inside steps and during the watch: each resume converges', async () => {
    expect(callsInFullRun).toBeGreaterThan(20);
    // How many polls the watch makes depends on timing, so a late kill point may never be reached: that
    // run must then simply have finished. Most must be real kills.
    let kills = 0;
    for (let n = 3; n < callsInFullRun; n += 5) {
      const w = await newWorld();
      const killed = await runChild(w.home, `call:${n}`);
      if (killed.signal !== 'SIGKILL') {
        expect(killed.code, `call:${n} was not reached, so the run must have finished: ${killed.stderr}`).toBe(0);
        await assertConverged(w);
        continue;
      }
      kills++;
      const resumed = await runChild(w.home);
      expect(resumed.code, `call:${n}: ${resumed.stderr}`).toBe(0);
      // The resumed run re-attached: it never started a second deployment of the same revision.
      await assertConverged(w);
    }
    expect(kills).toBeGreaterThanOrEqual(Math.floor((callsInFullRun - 3) / 5) - 2);
  }, 600_000);
});
