import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentPath } from '../../../flows/rollout/environment-path.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { Person } from '../bootstrap/person.js';
import { DEV, publishImage, refusedRollout, runRollout, useRolloutWorlds } from './harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();

function ecsOf(w: { sandbox: { snapshot(): any } }) {
  return w.sandbox.snapshot().ecs as any;
}

describe('slipway rollout against the sandbox', () => {
  it('puts the published image on a Fargate service behind a load balancer and waits until it runs', async () => {
    const w = await world();
    const { result, how, logs } = await runRollout(w, quiet());
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    expect(Object.values(how).filter((h) => h === 'applied').length).toBeGreaterThanOrEqual(10);
    expect(result.summary[0]).toMatch(/^Running at http:\/\/todo-dev-\d+\.us-east-1\.elb\.amazonaws\.com\/$/);
    expect(result.summary[1]).toContain(w.published.digest);
    expect(logs.some((l) => /has reached a steady state/.test(l))).toBe(true);
    // The environment file now holds every setting, defaults included.
    const file = JSON.parse(readFileSync(environmentPath(w.runtime.cwd, 'dev'), 'utf8'));
    expect(file).toMatchObject({ version: 1, launchType: 'FARGATE', containerPort: 8080, healthCheckPath: '/', desiredCount: 1, cpu: 256, memory: 512, protected: false, logRetentionDays: 30 });
    // The task definition pins the digest and logs to the environment's group.
    const outputs = result.outputs;
    expect(outputs['task-definition']?.revision).toBe(1);
    expect(outputs.service?.deploymentId).toMatch(/^ecs-svc\//);
  });

  it('a second rollout of the same image changes nothing and starts no deployment', async () => {
    const w = await world();
    const first = await runRollout(w, quiet());
    const second = await runRollout(w, quiet());
    expect(second.result.status).toBe('done');
    // Only choosing the image (a decision, made afresh by each run) and watching.
    expect(Object.entries(second.how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual(['watch']);
    expect(second.result.outputs.service?.deploymentId).toBe(first.result.outputs.service?.deploymentId);
    expect(second.result.outputs['task-definition']?.revision).toBe(1);
    // And it says so, with the way to start the tasks again — not "deployed in" the old deployment's age.
    expect(first.result.summary[1]).toMatch(/deployed in \d+ s$/);
    expect(second.result.summary[1]).toMatch(/nothing changed, so nothing was deployed$/);
    expect(second.result.summary[2]).toBe('To start its tasks again anyway: `slipway rollout --env dev --force`.');
  });

  it('--force starts a new deployment of the unchanged revision (the tasks start again); without it, nothing is deployed', async () => {
    const w = await world();
    const first = await runRollout(w, quiet());
    const forced = await runRollout(w, quiet(), { ...DEV, force: 'yes' });
    expect(forced.result.status).toBe('done');
    expect(forced.how.service).toBe('applied');
    expect(forced.result.outputs['task-definition']?.revision).toBe(1);
    const deployment = forced.result.outputs.service?.deploymentId;
    expect(deployment).not.toBe(first.result.outputs.service?.deploymentId);
    const deployments = Object.values(ecsOf(w).services['us-east-1'] as Record<string, { name: string; deployments: { id: string }[] }>).find((s) => s.name === 'todo-dev')?.deployments ?? [];
    expect(deployments.map((d) => d.id)).toContain(deployment);
    // Without --force, nothing changed: no new deployment.
    const again = await runRollout(w, quiet());
    expect(again.how.service).not.toBe('applied');
    expect(again.result.outputs.service?.deploymentId).toBe(deployment);
  });

  it('--force is refused for an Express Mode environment before anything is done (it has no redeploy of an unchanged revision)', async () => {
    const w = await world();
    const { checkGivenEnvironments } = await import('../../../flows/rollout/environment.js');
    const { writeEnvironmentFile } = await import('./harness.js');
    writeEnvironmentFile(w, { ...DEV, env: 'api', launchType: 'EXPRESS' });
    expect(() => checkGivenEnvironments(w.runtime.cwd, { env: 'api', force: 'yes' })).toThrow(/Express Mode environment/);
    expect(() => checkGivenEnvironments(w.runtime.cwd, { env: 'api' })).not.toThrow();
  });

  it('a newly published image gets a new revision and a new deployment that replaces the old one', async () => {
    const w = await world();
    const first = await runRollout(w, quiet());
    const v2 = await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const second = await runRollout(w, quiet());
    expect(second.result.status).toBe('done');
    expect(second.how['task-definition']).toBe('applied');
    expect(second.result.outputs['task-definition']?.revision).toBe(2);
    expect(second.result.outputs.service?.deploymentId).not.toBe(first.result.outputs.service?.deploymentId);
    expect(second.result.summary[1]).toContain(v2.digest);
  });

  it('refuses an image digest that is not in ECR before creating anything', async () => {
    const w = await world();
    const missing = `${w.published.uri}@sha256:${'0'.repeat(64)}`;
    const refused = await refusedRollout(w, quiet(), { ...DEV, image: missing });
    expect(refused.message).toContain('is not in ECR');
    expect(ecsOf(w)?.clusters ? Object.keys(ecsOf(w).clusters).length : 0).toBe(0);
  });

  it('a protected environment is not changed without approval when nobody can be asked: bad input, nothing written', async () => {
    const w = await world();
    const PROD = { region: 'us-east-1', app: 'todo', env: 'prod' };
    const refused = await refusedRollout(w, quiet(), PROD);
    expect(refused.message).toContain('protected');
    expect(refused.fix).toContain('--approve');
    // Nothing was made, and not even the new environment's file was written.
    expect(ecsOf(w)?.clusters ? Object.keys(ecsOf(w).clusters).length : 0).toBe(0);
    expect(existsSync(environmentPath(w.runtime.cwd, 'prod'))).toBe(false);

    // Once rolled out (approved), a new image is refused the same way — and the next run is not a "resume".
    expect((await runRollout(w, quiet(), { ...PROD, approve: true })).result.status).toBe('done');
    expect(JSON.parse(readFileSync(environmentPath(w.runtime.cwd, 'prod'), 'utf8')).protected).toBe(true);
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const again = await refusedRollout(w, quiet(), PROD);
    expect(again.why).toContain('image:');
  });

  it('a protected environment changes once its name is typed, and the approval records who gave it', async () => {
    const w = await world();
    const person = new Person({ approval: 'prod' });
    const { result, logs } = await runRollout(w, person, { region: 'us-east-1', app: 'todo', env: 'prod' });
    expect(result.status).toBe('done');
    expect(person.asked).toContain('approval');
    expect(logs.some((l) => /create: ecs:CreateCluster todo-prod/.test(l))).toBe(true);
    expect(result.outputs.approval?.approvedBy).toMatch(/^arn:aws:iam::/);
  });

  it('--approve approves non-interactively and says so', async () => {
    const w = await world();
    const { result, logs } = await runRollout(w, quiet(), { region: 'us-east-1', app: 'todo', env: 'prod', approve: true });
    expect(result.status).toBe('done');
    expect(logs.some((l) => l.startsWith('Approved with --approve by'))).toBe(true);
  });

  it('--from promotes the digest running in another environment', async () => {
    const w = await world();
    await runRollout(w, quiet());
    await publishImage(w.sandbox, w.runtime.cwd, 'v2'); // newer than what dev runs
    const { result } = await runRollout(w, quiet(), { region: 'us-east-1', app: 'todo', env: 'staging', from: 'dev' });
    expect(result.status).toBe('done');
    expect(result.outputs.image?.digest).toBe(w.published.digest);
  });

  it('--detach leaves once the deployment has started and says how to watch it', async () => {
    const w = await world();
    const { result } = await runRollout(w, quiet(), { ...DEV, detach: true });
    expect(result.status).toBe('done');
    expect(result.summary.join('\n')).toContain('slipway rollout --env dev');
    expect(existsSync(environmentPath(w.runtime.cwd, 'dev'))).toBe(true);
  });
});

describe('Ctrl-C during the watch', () => {
  it('stops watching only: the deployment goes on, and running again re-attaches to the same deployment', async () => {
    const w = await world();
    w.sandbox.update((s) => {
      s.ecs = { ...(s.ecs ?? {}), taskPhaseSeconds: 5 }; // slow: the deployment is still in progress when cancelled
    });
    const { runFlow } = await import('../../../src/engine/runner.js');
    const { rolloutFlow } = await import('../../../flows/rollout/index.js');
    const cancel = new AbortController();
    const lines: string[] = [];
    const first = await runFlow({
      flow: rolloutFlow(w.runtime),
      given: DEV,
      prompter: quiet(),
      acceptDefaults: true,
      cancel: cancel.signal,
      env: w.env,
      emit: (e) => {
        if (e.type === 'step-log') lines.push(e.line);
        if (e.type === 'step-log' && e.stepId === 'watch' && /IN_PROGRESS/.test(e.line)) cancel.abort();
      },
    });
    expect(first.status).toBe('cancelled');
    expect(lines.some((l) => /goes on in AWS; `slipway rollout --env dev` watches it again/.test(l))).toBe(true);
    const deploymentId = String((await import('../../../src/engine/journal.js')).readJournal(first.journalPath).steps.service?.outputs?.deploymentId);
    w.sandbox.update((s) => {
      s.ecs = { ...(s.ecs ?? {}), taskPhaseSeconds: 0.05 };
    });
    const again = await runRollout(w, quiet());
    expect(again.result.status).toBe('done');
    expect(again.result.resumed).toBe(true);
    expect(again.how.service).toBe('confirmed');
    expect(again.result.outputs.watch?.deploymentId).toBe(deploymentId);
  });
});

describe('bad environments', () => {
  it('subnets in one Availability Zone are refused before anything is created (an ALB needs two)', async () => {
    const w = await world();
    const { EC2Client, DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
    const { attachSandbox } = await import('../../../src/sandbox/attach.js');
    const { writeEnvironment } = await import('../../../flows/rollout/environment.js');
    const ec2 = attachSandbox(new EC2Client({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    const subnet = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.find((s) => s.AvailabilityZone === 'us-east-1a');
    writeEnvironment(w.runtime.cwd, 'dev', {
      version: 1, launchType: 'FARGATE', containerPort: 8080, healthCheckPath: '/', healthCheckGracePeriodSeconds: 60, desiredCount: 1, cpu: 256, memory: 512,
      cpuArchitecture: 'X86_64', environment: {}, network: { vpc: subnet!.VpcId!, subnets: [subnet!.SubnetId!], public: true }, logRetentionDays: 30, protected: false,
    });
    const refused = await refusedRollout(w, quiet(), DEV);
    expect(refused.why).toContain('at least two Availability Zones');
    expect(w.sandbox.snapshot().ec2.securityGroups?.['us-east-1'] ?? {}).toEqual({});
  });

  it('a malformed environment file is refused with every problem named, and nothing is created', async () => {
    const w = await world();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(w.runtime.cwd, 'slipway', 'environments'), { recursive: true });
    writeFileSync(environmentPath(w.runtime.cwd, 'dev'), JSON.stringify({ version: 1, launchType: 'FARGATE', containerPort: 70000, healthCheckPath: 'health', cpu: 400, memory: 600 }));
    const refused = await refusedRollout(w, quiet(), DEV);
    const why = String(refused.why);
    for (const key of ['containerPort', 'healthCheckPath', 'desiredCount', 'network']) expect(why).toContain(key);
    expect(Object.keys(w.sandbox.snapshot().ecs?.clusters ?? {})).toHaveLength(0);
  });
});
