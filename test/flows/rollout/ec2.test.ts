import { readFileSync, rmSync } from 'node:fs';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { environmentPath } from '../../../flows/rollout/environment-path.js';
import { readEnvironment, writeEnvironment, type EnvironmentSettings } from '../../../flows/rollout/environment.js';
import { rolloutFlow } from '../../../flows/rollout/index.js';
import { rolloutQuestions } from '../../../flows/rollout/questions.js';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { ecsOptimizedAmi } from '../../../src/sandbox/ssm.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { resolveAnswers } from '../../../src/engine/answers.js';
import type { RunEvent } from '../../../src/engine/events.js';
import { journalsDir } from '../../../src/engine/paths.js';
import { runFlow } from '../../../src/engine/runner.js';
import type { Answers } from '../../../src/engine/types.js';
import { Person } from '../bootstrap/person.js';
import { DEV, publishImage, runRollout, useRolloutWorlds, type RolloutWorld } from './harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();
const EC2: Answers = { ...DEV, launchType: 'EC2' };
const REGION = 'us-east-1';
const STEPS = [
  'identity',
  'environment',
  'image',
  'network',
  'approval',
  'environment-file',
  'lb-security-group',
  'task-security-group',
  'instance-security-group',
  'execution-role',
  'log-group',
  'cluster',
  'instance-role',
  'launch-template',
  'auto-scaling-group',
  'capacity-provider',
  'load-balancer',
  'target-group',
  'listener',
  'task-definition',
  'service',
  'watch',
];

/** After any rollout of the EC2 environment: one of everything, `revisions` task definition revisions, the service running them. */
function assertConverged(w: RolloutWorld, revisions = 1): void {
  const state = w.sandbox.snapshot();
  const services = Object.values(state.ecs?.services?.[REGION] ?? {}).filter((s) => s.status === 'ACTIVE');
  expect(services.map((s) => [s.name, s.launchType])).toEqual([['todo-dev', 'EC2']]);
  expect(services[0]!.deployments.filter((d) => d.rolloutState === 'COMPLETED' && d.status === 'PRIMARY')).toHaveLength(1);
  expect(Object.values(state.ecs?.taskDefinitions?.[REGION] ?? {}).flat().map((r) => `${r.family}:${r.revision}:${r.requiresCompatibilities.join()}`)).toEqual(
    Array.from({ length: revisions }, (_, i) => `todo-dev:${i + 1}:EC2`),
  );
  expect(Object.values(state.ecs?.clusters?.[REGION] ?? {}).map((c) => [c.name, c.capacityProviders])).toEqual([['todo-dev', ['todo-dev-ec2']]]);
  expect(Object.values(state.ecs?.capacityProviders?.[REGION] ?? {}).filter((p) => p.status === 'ACTIVE').map((p) => p.name)).toEqual(['todo-dev-ec2']);
  expect(Object.keys(state.autoscaling?.groups[REGION] ?? {})).toEqual(['todo-dev']);
  const templates = Object.values(state.launchTemplates?.[REGION] ?? {});
  expect(templates.map((t) => [t.name, t.versions.length])).toEqual([['todo-dev', 1]]);
  expect(Object.values(state.ec2.securityGroups?.[REGION] ?? {}).filter((g) => g.name !== 'default').map((g) => g.name).sort()).toEqual(['todo-dev-instances', 'todo-dev-load-balancer', 'todo-dev-tasks']);
  expect(Object.keys(state.iam.roles).filter((r) => r.startsWith('todo-') || r === 'ecsInstanceRole').sort()).toEqual(['ecsInstanceRole', 'todo-dev-ecs-execution']);
  expect(Object.keys(state.iam.instanceProfiles ?? {})).toEqual(['ecsInstanceRole']);
  expect(Object.keys(state.elbv2?.loadBalancers[REGION] ?? {})).toHaveLength(1);
  expect(Object.keys(state.logs?.groups[REGION] ?? {})).toEqual(['/slipway/todo/dev']);
}

function ec2Environment(ec2: Partial<Extract<EnvironmentSettings, { launchType: 'EC2' }>['ec2']>, over: Partial<EnvironmentSettings> = {}): EnvironmentSettings {
  return {
    version: 1, launchType: 'EC2', containerPort: 8080, healthCheckPath: '/', healthCheckGracePeriodSeconds: 60, desiredCount: 1, cpu: 256, memory: 512, cpuArchitecture: 'X86_64',
    environment: {}, network: { vpc: 'default', subnets: [], public: true }, logRetentionDays: 30, protected: false,
    ec2: { instanceType: 't3.micro', minSize: 0, maxSize: 2, desiredCapacity: 1, ...ec2 },
    ...over,
  } as EnvironmentSettings;
}

/** A rollout that may be interrupted: `stop` throws out of the run at a step boundary or after a sandbox call. */
async function interrupted(w: RolloutWorld, stop: { atStep?: string; afterCall?: number }): Promise<void> {
  let calls = 0;
  const run = w.sandbox.run.bind(w.sandbox);
  w.sandbox.run = (async (...args: Parameters<typeof run>) => {
    const result = await run(...args);
    if (stop.afterCall !== undefined && ++calls === stop.afterCall) throw new Error(`interrupted after sandbox call ${calls}`);
    return result;
  }) as typeof w.sandbox.run;
  try {
    await runFlow({
      flow: rolloutFlow(w.runtime),
      given: EC2,
      prompter: quiet(),
      acceptDefaults: true,
      cancel: new AbortController().signal,
      env: w.env,
      emit: (e: RunEvent) => {
        if (e.type === 'step-started' && e.stepId === stop.atStep) throw new Error(`interrupted as ${e.stepId} starts`);
      },
    });
  } catch {
    // stopped: the journal is left as a crash leaves it
  } finally {
    w.sandbox.run = run;
  }
}

/** A rollout that must fail in its watch, with the sandbox clock moved on meanwhile (the watch's budget). */
async function failing(w: RolloutWorld, given: Answers = DEV, advanceMs = 0) {
  // Sandbox time runs fast only while the deployment is watched: the capacity steps before it keep their
  // own pace however slow the machine is, so what the watch finds does not depend on load.
  let fastForward: ReturnType<typeof setInterval> | undefined;
  const run = await runRollout(w, quiet(), given, (e) => {
    if (advanceMs && e.type === 'step-started' && e.stepId === 'watch') fastForward = setInterval(() => w.sandbox.clock.advance(advanceMs), 50);
  }).finally(() => clearInterval(fastForward));
  expect(run.result.status).toBe('failed');
  expect(run.result.failures[0]?.stepId).toBe('watch');
  return { ...run.result.failures[0]!.error, logs: run.logs };
}

describe('slipway rollout on EC2 capacity', () => {
  it('asks where the app runs first for a new environment, then only that target’s questions', async () => {
    const w = await world();
    const questions = rolloutQuestions({ region: REGION, app: 'todo', cwd: w.runtime.cwd });
    const ec2 = new Person({ launchType: 'EC2', size: '256/512' });
    const answers = await resolveAnswers(questions, { given: {}, journaled: {}, prompter: ec2, acceptDefaults: false });
    expect(ec2.asked).toEqual(['region', 'app', 'env', 'launchType', 'port', 'healthPath', 'desiredCount', 'size', 'instanceType', 'instances', 'maxInstances', 'keyPair', 'retentionDays', 'protected']);
    expect(answers).toMatchObject({ launchType: 'EC2', instanceType: 't3.micro', instances: 1, maxInstances: 2, minInstances: 0, keyPair: '' });
    const express = new Person({ launchType: 'EXPRESS', size: '256/512' });
    await resolveAnswers(questions, { given: {}, journaled: {}, prompter: express, acceptDefaults: false });
    expect(express.asked).toEqual(['region', 'app', 'env', 'launchType', 'port', 'healthPath', 'desiredCount', 'size', 'retentionDays', 'protected']);
    // The choices say when to choose each (rollout reference §1), Fargate first and the default.
    const launchType = questions.find((q) => q.id === 'launchType')!;
    expect(launchType.default).toBe('FARGATE');
    expect(launchType.choices?.map((c) => c.value)).toEqual(['FARGATE', 'EXPRESS', 'EC2']);
    expect(launchType.choices?.find((c) => c.value === 'EC2')?.label).toMatch(/cheapest steady capacity/);
  });

  it('builds the capacity (instance role, launch template from the SSM AMI, Auto Scaling group, capacity provider), places the service on it, and shows instances registering', async () => {
    const w = await world();
    const { result, how, logs, events } = await runRollout(w, quiet(), EC2);
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    const started = events.find((e) => e.type === 'run-started');
    expect(started?.type === 'run-started' && started.steps.map((s) => s.id)).toEqual(STEPS);
    expect(how['launch-template']).toBe('applied');
    expect(result.summary[0]).toMatch(/^Running at http:\/\/todo-dev-\d+\.us-east-1\.elb\.amazonaws\.com\/$/);
    expect(logs.some((l) => /^container instance [0-9a-f]{8} registered: i-[0-9a-f]{17} t3\.micro in us-east-1[a-c], agent .* connected, \d+ MiB for tasks$/.test(l))).toBe(true);
    expect(logs.some((l) => /^container instances: 1 registered, 1 with the agent connected/.test(l))).toBe(true);
    expect(logs.some((l) => /has reached a steady state/.test(l))).toBe(true);

    const file = readEnvironment(w.runtime.cwd, 'dev');
    expect(file).toMatchObject({ launchType: 'EC2', cpuArchitecture: 'X86_64', ec2: { instanceType: 't3.micro', minSize: 0, maxSize: 2, desiredCapacity: 1 } });
    expect(JSON.parse(readFileSync(environmentPath(w.runtime.cwd, 'dev'), 'utf8')).ec2.keyPair).toBeUndefined();

    assertConverged(w);
    const state = w.sandbox.snapshot();
    const template = Object.values(state.launchTemplates?.[REGION] ?? {})[0]!;
    const data = template.versions[0]!.data as { ImageId: string; InstanceType: string; UserData: string; IamInstanceProfile: { Name: string }; SecurityGroupIds: string[]; KeyName?: string };
    expect(data.ImageId).toBe(ecsOptimizedAmi(REGION, 'amazon-linux-2023')!.imageId);
    expect(data.InstanceType).toBe('t3.micro');
    expect(data.IamInstanceProfile).toEqual({ Name: 'ecsInstanceRole' });
    expect(Buffer.from(data.UserData, 'base64').toString()).toBe('#!/bin/bash\necho ECS_CLUSTER=todo-dev >> /etc/ecs/ecs.config\n');
    expect(data.KeyName).toBeUndefined();
    expect(state.iam.roles.ecsInstanceRole?.attachedPolicies).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role']);
    const group = state.autoscaling!.groups[REGION]!['todo-dev']!;
    expect([group.minSize, group.desiredCapacity, group.maxSize, group.launchTemplate.version]).toEqual([0, 1, 2, '$Latest']);
    expect(group.tags.map((t) => t.Key)).toEqual(expect.arrayContaining(['slipway:app', 'slipway:env', 'Name', 'AmazonECSManaged']));
    const provider = state.ecs!.capacityProviders![REGION]!['todo-dev-ec2']!;
    expect(provider).toMatchObject({ autoScalingGroupArn: group.arn, managedScaling: { status: 'ENABLED', targetCapacity: 100 } });
    const service = Object.values(state.ecs!.services![REGION]!)[0]!;
    expect(service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('DISABLED');
  });

  it('a second rollout of the same image changes nothing and starts no deployment', async () => {
    const w = await world();
    const first = await runRollout(w, quiet(), EC2);
    const second = await runRollout(w, quiet(), DEV);
    expect(second.result.status).toBe('done');
    expect(Object.entries(second.how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual(['watch']);
    expect(second.result.outputs.service?.deploymentId).toBe(first.result.outputs.service?.deploymentId);
    assertConverged(w);
  });

  it('a newly published image is a new revision; managed scaling adds the instance the rolling deployment needs', async () => {
    const w = await world();
    await runRollout(w, quiet(), EC2);
    const v2 = await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const second = await runRollout(w, quiet(), DEV);
    expect(second.result.status, second.result.failures[0]?.error.message).toBe('done');
    expect(second.how['task-definition']).toBe('applied');
    expect(second.result.summary[1]).toContain(v2.digest);
    assertConverged(w, 2);
    // Two 512 MiB tasks do not fit one t3.micro: ECS grew the group for the new task.
    expect(w.sandbox.snapshot().autoscaling!.groups[REGION]!['todo-dev']!.desiredCapacity).toBe(2);
    expect(second.logs.some((l) => /^container instances: 2 registered/.test(l))).toBe(true);
  });

  it('adopts what was made earlier: a console-made ecsInstanceRole (given its policy), and everything when the journal is lost', async () => {
    const w = await world();
    const iam = attachSandbox(new IAMClient({ region: REGION, credentials: w.sandbox.adminCredentials() }), w.sandbox);
    await iam.send(new CreateRoleCommand({ RoleName: 'ecsInstanceRole', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' }));
    const first = await runRollout(w, quiet(), EC2);
    expect(first.result.status).toBe('done');
    assertConverged(w);
    // Another machine (no journal): every resource is found, none made again.
    rmSync(journalsDir(w.env), { recursive: true, force: true });
    const second = await runRollout(w, quiet(), DEV);
    expect(second.result.status).toBe('done');
    expect(Object.entries(second.how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual(['watch']);
    expect(second.how['auto-scaling-group']).toBe('found');
    expect(second.how.service).toBe('found');
    assertConverged(w);
  });

  it('interrupted as each step starts, then run again: one group, one template version, one provider, one service, every time', async () => {
    for (const step of STEPS) {
      const w = await world();
      await interrupted(w, { atStep: step });
      const resumed = await runRollout(w, quiet(), EC2);
      expect(resumed.result.status, `${step}: ${resumed.result.failures[0]?.error.message}`).toBe('done');
      assertConverged(w);
    }
  }, 120_000);

  it('interrupted right after every fourth sandbox call (an answer lost inside a step), then run again: the same', async () => {
    const full = await world();
    let calls = 0;
    const run = full.sandbox.run.bind(full.sandbox);
    full.sandbox.run = (async (...args: Parameters<typeof run>) => {
      calls++;
      return run(...args);
    }) as typeof full.sandbox.run;
    await runRollout(full, quiet(), EC2);
    expect(calls).toBeGreaterThan(40);
    for (let n = 1; n < calls; n += 4) {
      const w = await world();
      await interrupted(w, { afterCall: n });
      const resumed = await runRollout(w, quiet(), EC2);
      expect(resumed.result.status, `call ${n}: ${resumed.result.failures[0]?.error.message}`).toBe('done');
      assertConverged(w);
    }
  }, 300_000);

  it('an Auto Scaling group at desired 0 that may not grow: no container instances, diagnosed at once; fixed in the file, the next rollout runs', async () => {
    const w = await world();
    writeEnvironment(w.runtime.cwd, 'dev', ec2Environment({ minSize: 0, maxSize: 0, desiredCapacity: 0 }));
    const error = await failing(w);
    expect(error.message).toBe('The deployment cannot finish: no EC2 container instances are registered in the cluster.');
    expect(error.why).toMatch(/The Auto Scaling group todo-dev may run no instances at all \(maxSize 0\)/);
    expect(error.why).toMatch(/ECS said: .*No Container Instances were found in your cluster/);
    expect(error.fix).toMatch(/Raise "ec2.maxSize" and "ec2.desiredCapacity"/);
    expect(error.logs.some((l) => /^container instances: 0 registered, 0 with the agent connected · Auto Scaling group todo-dev: desired 0 \(min 0, max 0\), 0 in service$/.test(l))).toBe(true);

    writeEnvironment(w.runtime.cwd, 'dev', ec2Environment({ minSize: 0, maxSize: 2, desiredCapacity: 1 }));
    const fixed = await runRollout(w, quiet(), DEV);
    expect(fixed.result.status, fixed.result.failures[0]?.error.message).toBe('done');
    expect(fixed.how['auto-scaling-group']).toBe('applied');
    assertConverged(w);
  });

  it('desired 0 with room to grow: ECS managed scaling starts an instance for the waiting task', async () => {
    const w = await world();
    writeEnvironment(w.runtime.cwd, 'dev', ec2Environment({ minSize: 0, maxSize: 2, desiredCapacity: 0 }));
    const { result, logs } = await runRollout(w, quiet(), DEV);
    expect(result.status, result.failures[0]?.error.message).toBe('done');
    expect(logs.some((l) => /No Container Instances were found in your cluster/.test(l))).toBe(true);
    expect(w.sandbox.snapshot().autoscaling!.groups[REGION]!['todo-dev']!.desiredCapacity).toBe(1);
    assertConverged(w);
  });

  it('a task too big for a t3.micro: "insufficient memory" events, and the diagnosis says what to change', async () => {
    const w = await world();
    writeEnvironment(w.runtime.cwd, 'dev', ec2Environment({}, { memory: 960 }));
    const error = await failing(w, DEV, 60_000);
    expect(error.message).toMatch(/^The deployment has not finished after 15 min: the EC2 instances have too little memory free for another task\.$/);
    expect(error.why).toMatch(/^Each task reserves 960 MiB on an instance; the roomiest t3\.micro has \d+ MiB free\./);
    expect(error.fix).toMatch(/larger "ec2.instanceType"/);
  });

  it('waits out instance-profile propagation visibly before instances are launched with it', async () => {
    const w = await world();
    w.sandbox.update((s) => {
      s.propagationSeconds = 1;
    });
    const { result, logs, events } = await runRollout(w, quiet(), EC2);
    expect(result.status, result.failures[0]?.error.message).toBe('done');
    expect(logs).toContain('Waiting 1 s for IAM to hand the new instance profile to EC2 (a fresh one is refused: "Invalid IAM Instance Profile name")…');
    expect(events.some((e) => e.type === 'step-progress' && e.stepId === 'instance-role' && e.label === 'instance profile propagating')).toBe(true);
    // So the group launched on its first try.
    const activities = w.sandbox.snapshot().autoscaling!.groups[REGION]!['todo-dev']!.activities;
    expect(activities.filter((a) => a.statusCode === 'Failed')).toEqual([]);
  });

  it('a Graviton instance type makes an ARM64 environment booting the arm64 AMI; a file where type and architecture disagree is refused', async () => {
    const w = await world();
    const { result } = await runRollout(w, quiet(), { ...EC2, instanceType: 't4g.micro', size: '256/512' });
    // t4g is Graviton: the file says ARM64 (the architecture follows the type).
    expect(result.status, result.failures[0]?.error.message).toBe('done');
    expect(readEnvironment(w.runtime.cwd, 'dev')).toMatchObject({ cpuArchitecture: 'ARM64', ec2: { instanceType: 't4g.micro' } });
    const data = Object.values(w.sandbox.snapshot().launchTemplates?.[REGION] ?? {})[0]!.versions[0]!.data;
    expect(data.ImageId).toBe(ecsOptimizedAmi(REGION, 'amazon-linux-2023/arm64')!.imageId);
    const broken = { ...ec2Environment({ instanceType: 't4g.micro' }), cpuArchitecture: 'X86_64' };
    expect(() => writeEnvironment(w.runtime.cwd, 'staging', broken as EnvironmentSettings)).toThrow(/Graviton/);
  });
});
