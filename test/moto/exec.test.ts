import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeEnvironment } from '../../flows/rollout/environment.js';
import { typedRolloutAnswers } from '../../flows/rollout/questions.js';
import { settingsFromAnswers } from '../../flows/rollout/targets/environment.js';
import { writeProjectSettings } from '../../src/local/project-settings.js';
import { ACCOUNT, describeMoto, explain, motoClient, motoHome, recordFlows, REGION, runSlipway, useMotoAws, type MotoHome } from '../support/moto-aws.js';

/**
 * `slipway exec` against moto + aws-sim: a service slipway did not make (no task role, exec off), ECS
 * Exec turned on by the flow — the role in IAM, a new revision, UpdateService with a new deployment —
 * then ExecuteCommand on the new deployment's task and the plugin run with the AWS CLI's arguments (a
 * fake plugin on PATH). moto 4.1.4 has no ExecuteCommand and aws-sim's tasks no agent: the test-side
 * correction `ecs-exec` answers as ECS does.
 */
const FILE = 'test/moto/exec.test.ts';

describeMoto('slipway exec against moto + aws-sim', {}, () => {
  const aws = useMotoAws();
  let dir: string;
  let home: MotoHome;
  let argsFile: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-moto-exec-'));
    writeProjectSettings(dir, { version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 } });
    writeEnvironment(dir, 'dev', settingsFromAnswers({ settings: typedRolloutAnswers({ region: REGION, app: 'todo', env: 'dev' }) }));
    home = motoHome(aws().endpoint, 'env-keys');
    argsFile = join(dir, 'plugin-args');
    writeFileSync(join(dir, 'session-manager-plugin'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'\nexit 7\n`);
    chmodSync(join(dir, 'session-manager-plugin'), 0o755);
    home.env.PATH = `${dir}:${process.env.PATH}`;
    home.env.SLIPWAY_WATCH_POLL_MS = '300';
    const ecs = motoClient(aws().endpoint, ECSClient);
    const ec2 = motoClient(aws().endpoint, EC2Client);
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? []).map((s) => s.SubnetId!).slice(0, 2);
    await ecs.send(new CreateClusterCommand({ clusterName: 'todo-dev' }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'todo-dev',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/apps/todo:v1`, essential: true, portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'todo-dev',
        serviceName: 'todo-dev',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets, assignPublicIp: 'ENABLED' } },
      }),
    );
    for (let i = 0; i < 100; i++) {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'todo-dev', services: ['todo-dev'] }))).services?.[0];
      if (s?.runningCount === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterEach(() => {
    home.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans with reads only, then turns ECS Exec on and reaches the new task’s container with ExecuteCommand; the plugin gets the AWS CLI’s arguments', async () => {
    const calls = (await aws().callLog()).length;
    const plan = await runSlipway(['exec', '--env', 'dev', '--plan'], { cwd: dir, env: home.env });
    expect(plan.code, explain(plan)).toBe(0);
    expect(plan.stdout).toMatch(/\+ Task role with the ECS Exec permissions: iam:CreateRole todo-dev-ecs-task/);
    expect(plan.stdout).toMatch(/~ Service with ECS Exec on/);
    const made = (await aws().callLog()).slice(calls);
    expect(made.filter((c) => !/^(Describe|List|Get)/.test(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([]);

    const run = await runSlipway(['exec', '--env', 'dev', '--enable', '--', '/bin/sh'], { cwd: dir, env: home.env, timeoutMs: 120_000 });
    expect(run.code, explain(run)).toBe(7); // the plugin's exit code, handed on
    const [session] = aws().proxy.execSessions;
    expect(session).toMatchObject({ cluster: 'todo-dev', container: 'app', command: '/bin/sh' });
    const ecs = motoClient(aws().endpoint, ECSClient);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'todo-dev', services: ['todo-dev'] }))).services![0]!;
    expect(service.enableExecuteCommand).toBe(true);
    expect(service.taskDefinition).toMatch(/todo-dev:2$/);
    const [sessionJson, region, action, profile, params, endpoint] = readFileSync(argsFile, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(sessionJson!)).toMatchObject({ sessionId: session!.sessionId });
    expect([region, action, profile, endpoint]).toEqual([REGION, 'StartSession', '', aws().endpoint]);
    expect(JSON.parse(params!).Target).toMatch(new RegExp(`^ecs:todo-dev_${session!.taskArn.split('/').pop()}_`));
    const policy = await motoClient(aws().endpoint, IAMClient).send(new GetRolePolicyCommand({ RoleName: 'todo-dev-ecs-task', PolicyName: 'slipway-ecs-exec' }));
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument!)).Statement[0].Action).toHaveLength(4);
    expect(aws().proxy.counts['ecs-exec']).toBeGreaterThan(0);
    recordFlows(FILE, [{ flow: 'exec', source: 'env-keys' }]);
  });
});
