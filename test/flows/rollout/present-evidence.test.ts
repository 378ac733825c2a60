import { describe, expect, it } from 'vitest';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { deploymentEvents, ofDeployment, placeInTime, type DeploymentScope } from '../../../flows/rollout/watch/gather.js';
import type { RolloutScenario } from '../../../src/sandbox/state.js';
import { DEV, publishImage, runRollout, useRolloutWorlds, type RolloutWorld } from './harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();
const PROD = { region: 'us-east-1', app: 'todo', env: 'prod' };

/** The plan a protected environment's refused approval shows (a failed approval step, or a usage error before anything runs). */
async function refusedPlan(w: RolloutWorld, answers = PROD): Promise<string[]> {
  const why = await runRollout(w, quiet(), answers).then(
    ({ result }) => {
      expect(result.failures[0]?.stepId).toBe('approval');
      return result.failures[0]?.error.why;
    },
    (error: { why?: string }) => error.why,
  );
  return String(why ?? '').split('; ');
}

describe('the approval plan is computed from the present', () => {
  it('a new image on a running protected environment lists only the task definition change', async () => {
    const w = await world();
    expect((await runRollout(w, quiet(), { ...PROD, approve: true })).result.status).toBe('done');
    const v2 = await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const plan = await refusedPlan(w);
    // Every resource exists: the security groups, the listener — none of them is "create".
    expect(plan.filter((l) => l.startsWith('create:'))).toEqual([]);
    expect(plan.join('\n')).toContain(v2.digest);
  });

  it('the same on EC2 capacity: the instances’ security group, launch template, group and capacity provider exist', async () => {
    const w = await world();
    expect((await runRollout(w, quiet(), { ...PROD, launchType: 'EC2', approve: true })).result.status).toBe('done');
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    expect((await refusedPlan(w)).filter((l) => l.startsWith('create:'))).toEqual([]);
  });

  it('a protected environment made from nothing still lists every resource as created', async () => {
    const w = await world();
    const plan = (await refusedPlan(w)).join('; ');
    expect(plan).toContain('create: ec2:CreateSecurityGroup todo-prod');
    expect(plan).toMatch(/create: .*CreateListener/);
  });
});

/** Runs a rollout that must fail at its watch; `stuck` moves the account's clock past the watch's budget. */
async function failing(w: RolloutWorld, stuck = false) {
  // Health checks run on the load balancer's own 15 s interval: sandbox time is moved on meanwhile.
  const fastForward = setInterval(() => w.sandbox.clock.advance(15_000), 50);
  const run = await runRollout(w, quiet(), DEV, (e) => {
    if (stuck && e.type === 'step-started' && e.stepId === 'watch') setTimeout(() => w.sandbox.clock.advance(16 * 60_000), 100);
  }).finally(() => clearInterval(fastForward));
  expect(run.result.status).toBe('failed');
  const failure = run.result.failures[0]!;
  expect(failure.stepId).toBe('watch');
  return { ...failure.error, logs: run.logs, outputs: run.result.outputs };
}

function scenario(w: RolloutWorld, name: RolloutScenario): void {
  w.sandbox.update((s) => {
    s.scenario = name;
  });
}

describe('the watch and the diagnosis read only the followed deployment’s evidence', () => {
  it('a deployment stuck in placement after one that failed its health check is diagnosed stuck, not the health check', async () => {
    const w = await world({ scenario: 'health-check-failing' });
    expect((await failing(w)).message).toMatch(/health check fails/);
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    scenario(w, 'stuck-pending');
    const error = await failing(w, true);
    expect(error.message).toMatch(/has not finished after 15 min: the tasks never left PENDING/);
    expect(`${error.message}\n${error.why}`).not.toMatch(/health check|unhealthy/i);
    // The watch opens with this deployment's events, not the last ones of the failed deployment.
    expect(error.logs.filter((l) => /unhealthy in \(target-group|deployment failed/.test(l))).toEqual([]);
  });

  it('the same after a rollback: a good image, a bad one rolled back, then one stuck pending', async () => {
    const w = await world();
    expect((await runRollout(w, quiet())).result.status).toBe('done');
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    scenario(w, 'health-check-failing');
    expect((await failing(w)).message).toMatch(/rolled back to todo-dev:1: the load balancer’s health check fails/);
    await publishImage(w.sandbox, w.runtime.cwd, 'v3');
    scenario(w, 'stuck-pending');
    const error = await failing(w, true);
    expect(error.message).toMatch(/never left PENDING/);
    expect(error.logs.filter((l) => /unhealthy in \(target-group|rolling back/.test(l))).toEqual([]);
  });

  it('the same revision deployed again: the earlier deployment’s crashed tasks are not this one’s', async () => {
    const w = await world({ scenario: 'crash-loop' });
    expect((await failing(w)).message).toMatch(/exited with code 1/);
    scenario(w, 'stuck-pending');
    const error = await failing(w, true);
    expect(error.message).toMatch(/never left PENDING/);
    expect(error.logs.filter((l) => /^task [0-9a-f]{8} stopped: /.test(l))).toEqual([]);
  });
});

describe('--detach leaves only a deployment ECS is carrying on', () => {
  it('re-attached to a deployment that already failed, it reports the failure instead of "started; ECS carries it on"', async () => {
    const w = await world({ scenario: 'crash-loop' });
    const first = await failing(w);
    expect(first.message).toMatch(/exited with code 1/);
    // Another machine (no journal of the failure) runs with --detach: the service step re-attaches to the FAILED deployment.
    const home = w.env.HOME!;
    const again = await runRollout({ ...w, env: { ...w.env, XDG_STATE_HOME: `${home}/other-state` } }, quiet(), { ...DEV, detach: true });
    const leftTheFailedOne = again.result.outputs.watch?.detached === true && again.result.outputs.service?.deploymentId === first.outputs.service?.deploymentId;
    expect(leftTheFailedOne, again.result.summary.join('\n')).toBe(false);
    if (again.result.status === 'failed') expect(again.result.failures[0]?.error.message).toMatch(/exited with code 1/);
  });
});

describe('a deployment’s evidence, field by field', () => {
  const scope = { id: 'ecs-svc/2', taskDefinition: 'arn:td/todo-dev:1', createdAt: new Date(2_000), until: new Date(5_000) };
  it('tasks: startedBy names the deployment; without it, the revision and a start no earlier than the deployment’s', () => {
    expect(ofDeployment({ startedBy: 'ecs-svc/2', taskDefinitionArn: 'arn:td/todo-dev:1' }, scope)).toBe(true);
    expect(ofDeployment({ startedBy: 'ecs-svc/1', taskDefinitionArn: 'arn:td/todo-dev:1', createdAt: new Date(3_000) }, scope)).toBe(false);
    expect(ofDeployment({ taskDefinitionArn: 'arn:td/todo-dev:1', createdAt: new Date(3_000) }, scope)).toBe(true);
    expect(ofDeployment({ taskDefinitionArn: 'arn:td/todo-dev:1', createdAt: new Date(1_000) }, scope)).toBe(false);
    expect(ofDeployment({ taskDefinitionArn: 'arn:td/todo-dev:2', createdAt: new Date(3_000) }, scope)).toBe(false);
  });

  it('events: from its start to the next deployment’s; none when its start is unknown', () => {
    const events = [6_000, 5_000, 3_000, 1_000].map((t) => ({ id: String(t), createdAt: new Date(t), message: `at ${t}` }));
    expect(deploymentEvents({ events }, scope).map((e) => e.message)).toEqual(['at 5000', 'at 3000']);
    expect(deploymentEvents({ events }, {})).toEqual([]);
  });

  it('its start and end from DescribeServices, or from its first task once ECS no longer lists it', () => {
    const placed = { id: 'ecs-svc/2', taskDefinition: 'td:1' } as DeploymentScope;
    placeInTime(placed, { deployments: [{ id: 'ecs-svc/3', createdAt: new Date(9_000) }, { id: 'ecs-svc/2', createdAt: new Date(2_000) }, { id: 'ecs-svc/1', createdAt: new Date(500) }] }, []);
    expect([placed.createdAt?.getTime(), placed.until?.getTime()]).toEqual([2_000, 9_000]);
    const gone = { id: 'ecs-svc/2', taskDefinition: 'td:1' } as DeploymentScope;
    placeInTime(gone, { deployments: [{ id: 'ecs-svc/3', createdAt: new Date(9_000) }] }, [{ createdAt: new Date(2_500) }, { createdAt: new Date(2_100) }]);
    expect([gone.createdAt?.getTime(), gone.until?.getTime()]).toEqual([2_100, 9_000]);
  });
});

describe('a deployment another one took the place of', () => {
  it('is said to be superseded — not diagnosed as a failure ECS rolled back', async () => {
    const w = await world({ scenario: 'stuck-pending' });
    const ecs = attachSandbox(new ECSClient({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    // While the watch follows the (stuck) deployment, someone else deploys the service again.
    const run = await runRollout(w, quiet(), DEV, (e) => {
      if (e.type === 'step-started' && e.stepId === 'watch') setTimeout(() => void ecs.send(new UpdateServiceCommand({ cluster: 'todo-dev', service: 'todo-dev', forceNewDeployment: true })), 50);
    });
    expect(run.result.status).toBe('failed');
    const error = run.result.failures[0]!.error;
    expect(error.message).toMatch(/^Deployment ecs-svc\/\d+ of todo-dev:1 was superseded by deployment ecs-svc\/\d+ of todo-dev:1 before it finished\.$/);
    expect(error.message).not.toMatch(/rolled back/);
  });
});
