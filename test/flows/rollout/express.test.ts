import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../../../src/engine/errors.js';
import { CreateExpressGatewayServiceCommand, ECSClient } from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { environmentPath } from '../../../flows/rollout/environment-path.js';
import { rolloutFlow } from '../../../flows/rollout/index.js';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import type { RunEvent } from '../../../src/engine/events.js';
import { runFlow } from '../../../src/engine/runner.js';
import type { Answers } from '../../../src/engine/types.js';
import { DEV, publishImage, runRollout, useRolloutWorlds, type RolloutWorld } from './harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();
const EXPRESS: Answers = { ...DEV, launchType: 'EXPRESS' };
const REGION = 'us-east-1';
const STEPS = ['identity', 'environment', 'image', 'approval', 'environment-file', 'execution-role', 'infrastructure-role', 'log-group', 'cluster', 'service', 'watch'];

const expressServices = (w: RolloutWorld) => Object.values(w.sandbox.snapshot().ecs?.express?.[REGION] ?? {}).filter((s) => s.inactiveAt === undefined);

/** After any rollout of the Express environment: one service with one revision per image, two roles, one log group, one cluster. */
function assertConverged(w: RolloutWorld, revisions = 1): void {
  const state = w.sandbox.snapshot();
  const services = expressServices(w);
  expect(services.map((s) => s.name)).toEqual(['todo-dev']);
  expect(services[0]!.configurations).toHaveLength(revisions);
  expect(Object.values(state.ecs?.services?.[REGION] ?? {})).toEqual([]);
  expect(Object.values(state.ecs?.clusters?.[REGION] ?? {}).map((c) => c.name)).toEqual(['todo-dev']);
  expect(Object.keys(state.iam.roles).filter((r) => r.startsWith('todo-')).sort()).toEqual(['todo-dev-ecs-execution', 'todo-dev-ecs-infrastructure']);
  expect(state.iam.roles['todo-dev-ecs-infrastructure']?.attachedPolicies).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices']);
  expect(Object.keys(state.logs?.groups[REGION] ?? {})).toEqual(['/slipway/todo/dev']);
}

/** A rollout that may be interrupted: `stop` throws out of the run at a step boundary or after a sandbox call. */
async function interrupted(w: RolloutWorld, stop: { atStep?: string; afterCall?: number }): Promise<'stopped' | 'done'> {
  let calls = 0;
  const run = w.sandbox.run.bind(w.sandbox);
  w.sandbox.run = (async (...args: Parameters<typeof run>) => {
    const result = await run(...args);
    if (stop.afterCall !== undefined && ++calls === stop.afterCall) throw new Error(`interrupted after sandbox call ${calls}`);
    return result;
  }) as typeof w.sandbox.run;
  try {
    const result = await runFlow({
      flow: rolloutFlow(w.runtime),
      given: EXPRESS,
      prompter: quiet(),
      acceptDefaults: true,
      cancel: new AbortController().signal,
      env: w.env,
      emit: (e: RunEvent) => {
        if (e.type === 'step-started' && e.stepId === stop.atStep) throw new Error(`interrupted as ${e.stepId} starts`);
      },
    });
    return result.status === 'done' ? 'done' : 'stopped';
  } catch {
    return 'stopped';
  } finally {
    w.sandbox.run = run;
  }
}

describe('slipway rollout to ECS Express Mode', () => {
  it('creates the roles and the Express service, watches ECS make its resources, and ends with the URL', async () => {
    const w = await world();
    const { result, how, logs, events } = await runRollout(w, quiet(), EXPRESS);
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    const started = events.find((e) => e.type === 'run-started');
    expect(started?.type === 'run-started' && started.steps.map((s) => s.id)).toEqual(STEPS);
    expect(result.summary[0]).toBe('Running at https://todo-dev.ecs.us-east-1.on.aws');
    expect(result.summary[1]).toContain(w.published.digest);
    expect(Object.entries(how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual(STEPS.filter((s) => !['identity', 'environment', 'image', 'approval'].includes(s)));
    // The resources ECS makes for it, each as its status changes, and the URL.
    expect(logs.some((l) => /^load balancer .*\(internet-facing\): PROVISIONING$/.test(l))).toBe(true);
    expect(logs.some((l) => /^load balancer .*: ACTIVE$/.test(l))).toBe(true);
    expect(logs.some((l) => /^certificate .* for todo-dev\.ecs\.us-east-1\.on\.aws: ACTIVE$/.test(l))).toBe(true);
    expect(logs.some((l) => /^target group .*\(health \/ on 8080\): ACTIVE$/.test(l))).toBe(true);
    expect(logs).toContain('Running at https://todo-dev.ecs.us-east-1.on.aws');
    const file = JSON.parse(readFileSync(environmentPath(w.runtime.cwd, 'dev'), 'utf8'));
    expect(file).toMatchObject({ version: 1, launchType: 'EXPRESS', containerPort: 8080, healthCheckPath: '/', cpu: 256, memory: 512, desiredCount: 1 });
    expect(file.ec2).toBeUndefined();
    assertConverged(w);
    const [service] = expressServices(w);
    expect(service!.configurations[0]).toMatchObject({
      cpu: '256',
      memory: '512',
      healthCheckPath: '/',
      executionRoleArn: `arn:aws:iam::${w.sandbox.accountId}:role/todo-dev-ecs-execution`,
      primaryContainer: { image: w.published.image, containerPort: 8080, awsLogsConfiguration: { logGroup: '/slipway/todo/dev', logStreamPrefix: 'ecs' } },
      scalingTarget: { minTaskCount: 1, maxTaskCount: 2 },
    });
    expect(service!.infrastructureRoleArn).toBe(`arn:aws:iam::${w.sandbox.accountId}:role/todo-dev-ecs-infrastructure`);
    expect(service!.tags).toContainEqual({ Key: 'slipway:env', Value: 'dev' });
  });

  it('a second rollout of the same image changes nothing: the service is adopted, no new revision', async () => {
    const w = await world();
    const first = await runRollout(w, quiet(), EXPRESS);
    const second = await runRollout(w, quiet(), DEV);
    expect(second.result.status).toBe('done');
    expect(Object.entries(second.how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual(['watch']);
    expect(second.result.outputs.service?.serviceRevisionArn).toBe(first.result.outputs.service?.serviceRevisionArn);
    assertConverged(w);
  });

  it('a newly published image is a new revision of the same service', async () => {
    const w = await world();
    const first = await runRollout(w, quiet(), EXPRESS);
    const v2 = await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const second = await runRollout(w, quiet(), DEV);
    expect(second.result.status).toBe('done');
    expect(second.how.service).toBe('applied');
    expect(second.logs.some((l) => /^Updated Express Mode service todo-dev: new revision /.test(l))).toBe(true);
    expect(second.result.outputs.service?.serviceRevisionArn).not.toBe(first.result.outputs.service?.serviceRevisionArn);
    expect(second.result.summary[1]).toContain(v2.digest);
    assertConverged(w, 2);
    expect(expressServices(w)[0]!.configurations.at(-1)!.primaryContainer).toMatchObject({ image: v2.image });
  });

  it('adopts a service made earlier: found by its ARN, updated to what the environment wants, never made twice', async () => {
    const w = await world();
    // Made by hand (or by a run whose journal is lost), with another health check path.
    const credentials = w.sandbox.adminCredentials();
    const iam = attachSandbox(new IAMClient({ region: REGION, credentials }), w.sandbox);
    const ecs = attachSandbox(new ECSClient({ region: REGION, credentials }), w.sandbox);
    const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
    const execution = (await iam.send(new CreateRoleCommand({ RoleName: 'todo-dev-ecs-execution', AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com') }))).Role!.Arn!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'todo-dev-ecs-execution', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    const infrastructure = (await iam.send(new CreateRoleCommand({ RoleName: 'todo-dev-ecs-infrastructure', AssumeRolePolicyDocument: trust('ecs.amazonaws.com') }))).Role!.Arn!;
    await ecs.send(new CreateExpressGatewayServiceCommand({ serviceName: 'todo-dev', cluster: 'todo-dev', executionRoleArn: execution, infrastructureRoleArn: infrastructure, primaryContainer: { image: w.published.image, containerPort: 8080 }, healthCheckPath: '/ping' }));
    const { result, how, logs } = await runRollout(w, quiet(), EXPRESS);
    expect(result.status).toBe('done');
    expect(how['execution-role']).toBe('found');
    expect(how.service).toBe('applied');
    expect(logs.some((l) => l.startsWith('Updated Express Mode service todo-dev'))).toBe(true);
    expect(logs.some((l) => l.startsWith('Created Express Mode service'))).toBe(false);
    assertConverged(w, 2);
    expect(expressServices(w)[0]!.configurations.at(-1)!.healthCheckPath).toBe('/');

    // And a run that finds it already as wanted adopts it as it is.
    const again = await runRollout(w, quiet(), DEV);
    expect(again.how.service).toBe('found');
    assertConverged(w, 2);
  });

  it('interrupted as each step starts, then run again: one service, one revision, every time', async () => {
    for (const step of STEPS) {
      const w = await world();
      expect(await interrupted(w, { atStep: step }), step).toBe('stopped');
      const resumed = await runRollout(w, quiet(), EXPRESS);
      expect(resumed.result.status, `${step}: ${resumed.result.failures[0]?.error.message}`).toBe('done');
      expect(resumed.result.resumed, step).toBe(true);
      assertConverged(w);
    }
  });

  it('interrupted right after every second sandbox call (an answer lost inside a step), then run again: the same', async () => {
    const full = await world();
    let calls = 0;
    const run = full.sandbox.run.bind(full.sandbox);
    full.sandbox.run = (async (...args: Parameters<typeof run>) => {
      calls++;
      return run(...args);
    }) as typeof full.sandbox.run;
    await runRollout(full, quiet(), EXPRESS);
    expect(calls).toBeGreaterThan(15);
    for (let n = 1; n < calls; n += 2) {
      const w = await world();
      const first = await interrupted(w, { afterCall: n });
      const resumed = first === 'done' ? await runRollout(w, quiet(), DEV) : await runRollout(w, quiet(), EXPRESS);
      expect(resumed.result.status, `call ${n}: ${resumed.result.failures[0]?.error.message}`).toBe('done');
      assertConverged(w);
    }
  }, 120_000);

  it('a protected Express environment lists what it creates and changes, and needs approval', async () => {
    const w = await world();
    // Nobody can approve here: bad input (exit 2) — nothing written, not even the new environment's file.
    const refused = await runRollout(w, quiet(), { region: REGION, app: 'todo', env: 'prod', launchType: 'EXPRESS' }).then(
      () => expect.fail('the rollout went ahead without approval'),
      (error: unknown) => error as UsageError,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused.why).toMatch(/create: iam:CreateRole todo-prod-ecs-infrastructure/);
    expect(refused.why).toMatch(/create: ECS Express Mode service todo-prod/);
    expect(existsSync(environmentPath(w.runtime.cwd, 'prod'))).toBe(false);
    const approved = await runRollout(w, quiet(), { region: REGION, app: 'todo', env: 'prod', launchType: 'EXPRESS', approve: true });
    expect(approved.result.status).toBe('done');
    expect(approved.result.summary[0]).toBe('Running at https://todo-prod.ecs.us-east-1.on.aws');
  });
});
