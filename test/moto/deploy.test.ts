import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplatesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand, ListTagsForResourceCommand as ListEcrTagsCommand } from '@aws-sdk/client-ecr';
import { DescribeCapacityProvidersCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanResult } from '../../src/engine/plan.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACCOUNT, CREDENTIAL_SOURCES, describeMoto, explain, motoClient, motoHome, recordFlows, REGION, runSlipway, useMotoAws, type CredentialSource, type MotoHome, type SlipwayRun } from '../support/moto-aws.js';

/**
 * publish → rollout (Fargate) → status → run → a failed rollout diagnosed → status's last failure →
 * teardown, and doctor, through the built binary against moto + aws-sim, each flow from another
 * starting credential source; then the EC2 and Express targets as far as moto can go. The tests build
 * on each other (one app, one account), so moto is not reset between them.
 */
const FILE = 'test/moto/deploy.test.ts';

describeMoto('slipway against moto + aws-sim: publish, rollout, status, run, teardown, doctor', { docker: true }, () => {
  const aws = useMotoAws({ runTasks: 'docker', resetEach: false });
  const app = `m${Date.now().toString(36)}`; // the registry outlives moto resets: a fresh repository per run
  let work: string;
  let dir: string;
  const homes = new Map<CredentialSource, MotoHome>();
  const client = <T>(make: Parameters<typeof motoClient<T>>[1]) => motoClient(aws().endpoint, make);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
  const slipway = (source: CredentialSource, args: string[], timeoutMs?: number): Promise<SlipwayRun> => {
    const home = homes.get(source) ?? motoHome(aws().endpoint, source);
    homes.set(source, home);
    return runSlipway([...args, ...home.flags], { cwd: dir, env: home.env, timeoutMs });
  };
  /** Every call aws-sim saw since `from` is a read (Get/List/Describe): what a --plan may make. */
  const expectReadsOnly = async (from: number) => {
    const made = (await aws().callLog()).slice(from);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((c) => !/^(Get|List|Describe)/.test(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([]);
  };
  const tags = (list: { Key?: string; Value?: string; key?: string; value?: string }[] | undefined) => Object.fromEntries((list ?? []).map((t) => [t.Key ?? t.key, t.Value ?? t.value]));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'slipway-moto-deploy-'));
    dir = join(work, app);
    cpSync(new URL('../fixtures/publish-app', import.meta.url), dir, { recursive: true });
    copyFileSync(['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p)) ?? '', join(dir, 'busybox'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'fixture');
  });
  afterAll(() => {
    homes.forEach((h) => h.cleanup());
    for (const ref of spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `label=slipway.app=${app}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) spawnSync('docker', ['rmi', '--force', ref]);
    rmSync(work, { recursive: true, force: true });
  });

  it('doctor finds the identity from each credential source', async () => {
    for (const source of CREDENTIAL_SOURCES) {
      const run = await slipway(source, ['doctor', '--json']);
      expect(run.json, explain(run)).toBeDefined();
      expect(run.json?.outputs.identity, explain(run)).toMatchObject({ account: ACCOUNT, root: false });
      // buildx is not in Debian's docker.io: the only check allowed to fail on these machines.
      expect(run.json?.failures.map((f) => f.stepId).filter((s) => s !== 'buildx'), explain(run)).toEqual([]);
      if (source === 'role-mfa-profile') expect(String(run.json?.outputs.identity?.arn), explain(run)).toContain(':assumed-role/starter-admin/');
    }
    recordFlows(FILE, CREDENTIAL_SOURCES.map((source) => ({ flow: 'doctor', source })));
  });

  let digest = '';
  it('publish --plan (default profile) reads only and writes no file: the repository, the build, the push are planned', async () => {
    const calls = (await aws().callLog()).length;
    const run = await slipway('default-profile', ['publish', '--yes', '--plan', '--detailed-exitcode', '--json', '--app', app, '--namespace', 'moto']);
    expect(run.code, explain(run)).toBe(3);
    const plan = JSON.parse(run.stdout) as PlanResult;
    expect(plan.steps.find((s) => s.id === 'ecr-repository')?.action).toBe('create');
    await expectReadsOnly(calls);
    expect(existsSync(join(dir, 'slipway', 'project.json'))).toBe(false);
  });

  it('publish (default profile) pushes the tested image by git SHA to ECR, with the lifecycle policy and tags', async () => {
    const run = await slipway('default-profile', ['publish', '--yes', '--json', '--app', app, '--namespace', 'moto'], 300_000);
    expect(run.code, explain(run)).toBe(0);
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    digest = String(run.json?.outputs.push?.digest);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const ecr = client(ECRClient);
    const repo = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [`moto/${app}`] }))).repositories?.[0];
    expect(repo?.repositoryUri).toBe(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/moto/${app}`);
    expect(repo?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(tags((await ecr.send(new ListEcrTagsCommand({ resourceArn: repo?.repositoryArn }))).tags)).toMatchObject({ 'slipway:app': app });
    const lifecycle = JSON.parse((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: `moto/${app}` }))).lifecyclePolicyText ?? '{}') as { rules: { selection: { tagStatus: string } }[] };
    expect(lifecycle.rules.map((r) => r.selection.tagStatus).sort()).toEqual(['any', 'untagged']);
    // aws-sim answers DescribeImages from the registry the push really went to.
    const images = (await ecr.send(new DescribeImagesCommand({ repositoryName: `moto/${app}` }))).imageDetails ?? [];
    expect(images.map((i) => [i.imageDigest, [...(i.imageTags ?? [])].sort()])).toEqual([[digest, [sha, 'latest'].sort()]]);
    expect(JSON.parse(readFileSync(join(dir, 'slipway', 'project.json'), 'utf8')).lastPublished.digest).toBe(digest);
    recordFlows(FILE, [{ flow: 'publish', source: 'default-profile' }]);
  }, 320_000);

  it('rollout --env dev --plan (named profile) reads only: every call aws-sim saw is a read, and it names what the rollout will create', async () => {
    const calls = (await aws().callLog()).length;
    const run = await slipway('named-profile', ['rollout', '--env', 'dev', '--yes', '--plan', '--detailed-exitcode', '--json']);
    expect(run.code, explain(run)).toBe(3);
    const plan = JSON.parse(run.stdout) as PlanResult;
    expect(plan.steps.find((s) => s.id === 'load-balancer')?.action).toBe('create');
    expect(plan.steps.find((s) => s.id === 'service')?.detail.join('\n')).toContain(`create: ECS service ${app}-dev with 1 task`);
    const made = (await aws().callLog()).slice(calls);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((c) => !/^(Get|List|Describe)/.test(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([]);
    expect(existsSync(join(dir, 'slipway', 'environments', 'dev.json'))).toBe(false);
  });

  it('rollout --env dev (named profile, Fargate) makes every resource, tagged, and the service runs the digest', async () => {
    const run = await slipway('named-profile', ['rollout', '--env', 'dev', '--yes', '--json'], 300_000);
    expect(run.code, explain(run)).toBe(0);
    expect(run.json?.outputs.watch?.outcome).toBe('completed');
    const want = { 'slipway:app': app, 'slipway:env': 'dev', 'slipway:managed': 'true' };
    const ecs = client(ECSClient);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: `${app}-dev`, services: [`${app}-dev`], include: ['TAGS'] }))).services?.[0];
    expect(service).toMatchObject({ status: 'ACTIVE', desiredCount: 1, runningCount: 1, launchType: 'FARGATE' });
    expect(service?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('ENABLED');
    expect(service?.loadBalancers?.[0]).toMatchObject({ containerName: 'app', containerPort: 8080 });
    expect(tags(service?.tags)).toMatchObject(want);
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition, include: ['TAGS'] })));
    expect(td.taskDefinition).toMatchObject({ family: `${app}-dev`, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' });
    expect(td.taskDefinition?.containerDefinitions?.[0]?.image).toBe(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/moto/${app}@${digest}`);
    expect(td.taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options).toMatchObject({ 'awslogs-group': `/slipway/${app}/dev` });
    expect(tags(td.tags)).toMatchObject(want);
    const cluster = (await ecs.send(new DescribeClustersCommand({ clusters: [`${app}-dev`], include: ['TAGS'] }))).clusters?.[0];
    expect(tags(cluster?.tags)).toMatchObject(want);

    const elb = client(ElasticLoadBalancingV2Client);
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [`${app}-dev`] }))).LoadBalancers?.[0];
    expect(lb).toMatchObject({ Scheme: 'internet-facing', Type: 'application' });
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ Names: [`${app}-dev-tg`] }))).TargetGroups?.[0];
    expect(tg).toMatchObject({ TargetType: 'ip', Port: 8080, HealthCheckPath: '/' });
    const listener = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
    expect(listener.map((l) => [l.Port, l.Protocol, l.DefaultActions?.[0]?.TargetGroupArn])).toEqual([[80, 'HTTP', tg?.TargetGroupArn]]);
    const elbTags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [lb?.LoadBalancerArn ?? '', tg?.TargetGroupArn ?? ''] }))).TagDescriptions ?? [];
    for (const d of elbTags) expect(tags(d.Tags)).toMatchObject(want);

    const groups = (await client(EC2Client).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:slipway:app', Values: [app] }, { Name: 'tag:slipway:env', Values: ['dev'] }] }))).SecurityGroups ?? [];
    expect(groups.map((g) => g.GroupName).sort()).toEqual([`${app}-dev-load-balancer`, `${app}-dev-tasks`]);
    const tasksSg = groups.find((g) => g.GroupName === `${app}-dev-tasks`);
    const lbSg = groups.find((g) => g.GroupName === `${app}-dev-load-balancer`);
    expect(tasksSg?.IpPermissions?.map((p) => [p.FromPort, p.UserIdGroupPairs?.map((u) => u.GroupId)])).toEqual([[8080, [lbSg?.GroupId]]]);

    const iam = client(IAMClient);
    const role = (await iam.send(new GetRoleCommand({ RoleName: `${app}-dev-ecs-execution` }))).Role;
    expect(tags(role?.Tags)).toMatchObject(want);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: `${app}-dev-ecs-execution` }))).AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AmazonECSTaskExecutionRolePolicy']);

    const logs = client(CloudWatchLogsClient);
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/slipway/${app}/dev` }))).logGroups?.[0];
    expect(group?.retentionInDays).toBe(30);
    expect((await logs.send(new ListLogTagsCommand({ resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/slipway/${app}/dev` }))).tags).toMatchObject(want);
    recordFlows(FILE, [{ flow: 'rollout', source: 'named-profile', note: 'FARGATE' }]);
  }, 320_000);

  it('rollout --env dev --plan after the rollout: nothing to change (exit 0 with --detailed-exitcode), reads only', async () => {
    const calls = (await aws().callLog()).length;
    const run = await slipway('named-profile', ['rollout', '--env', 'dev', '--yes', '--plan', '--detailed-exitcode']);
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toMatch(/^\d+ unchanged; 1 step would run without changing anything\.$/m);
    const made = (await aws().callLog()).slice(calls);
    expect(made.filter((c) => !/^(Get|List|Describe)/.test(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([]);
  });

  it('status --env dev (role + MFA profile) reports what runs', async () => {
    const run = await slipway('role-mfa-profile', ['status', '--env', 'dev', '--json']);
    expect(run.code, explain(run)).toBe(0);
    const env = (run.json?.outputs.report as { environments: Record<string, unknown>[] }).environments[0];
    expect(env).toMatchObject({ env: 'dev', deployed: true, revision: `${app}-dev:1`, imageDigest: digest, desiredCount: 1, runningCount: 1, rolloutState: 'COMPLETED', launchType: 'FARGATE', lastFailure: null });
    expect(String(env?.url)).toMatch(/^http:\/\/.+\.elb\.amazonaws\.com\/$/);
    recordFlows(FILE, [{ flow: 'status', source: 'role-mfa-profile' }]);
  });

  it('run --env dev --plan (env-var keys): the task is the one change; reads only', async () => {
    const calls = (await aws().callLog()).length;
    const run = await slipway('env-keys', ['run', '--env', 'dev', '--plan', '--detailed-exitcode', '--json', '--', 'sh', '-c', 'exit 0']);
    expect(run.code, explain(run)).toBe(3);
    const plan = JSON.parse(run.stdout) as PlanResult;
    expect(plan.steps.filter((s) => s.action === 'create').map((s) => s.id)).toEqual(['task']);
    await expectReadsOnly(calls);
  });

  it('run --env dev (env-var keys) runs the command in a real container and exits with its code', async () => {
    const run = await slipway('env-keys', ['run', '--env', 'dev', '--json', '--', '/bin/busybox', 'sh', '-c', 'echo migrating; exit 3'], 180_000);
    expect(run.code, explain(run)).toBe(3);
    expect(run.stderr, explain(run)).toContain('migrating');
    const ecs = client(ECSClient);
    const arns = (await ecs.send(new ListTasksCommand({ cluster: `${app}-dev`, startedBy: 'slipway-run', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    expect(arns).toHaveLength(1);
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: `${app}-dev`, tasks: arns }))).tasks?.[0];
    expect(task).toMatchObject({ lastStatus: 'STOPPED', launchType: 'FARGATE', stopCode: 'EssentialContainerExited' });
    expect(task?.containers?.[0]?.exitCode).toBe(3);
    expect(task?.overrides?.containerOverrides?.[0]?.command).toEqual(['/bin/busybox', 'sh', '-c', 'echo migrating; exit 3']);
    // The service is never changed by a run.
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: `${app}-dev`, services: [`${app}-dev`] }))).services?.[0];
    expect(service?.deployments).toHaveLength(1);
    recordFlows(FILE, [{ flow: 'run', source: 'env-keys' }]);
  }, 200_000);

  it('a crash-looping rollout --env qa fails with exit 1 and a diagnosis; status shows it as the last failure', async () => {
    await aws().scenario({ service: `${app}-qa`, outcome: 'crash', after: 2, linger: 120 });
    const run = await slipway('default-profile', ['rollout', '--env', 'qa', '--yes', '--json', '--watch-minutes', '3'], 300_000);
    expect(run.code, explain(run)).toBe(1);
    const failure = run.json?.failures.find((f) => f.stepId === 'watch');
    expect(failure, explain(run)).toBeDefined();
    expect(`${failure?.error.message} ${failure?.error.why}`, explain(run)).toMatch(/exit|crash|stops/i);
    const status = await slipway('default-profile', ['status', '--env', 'qa', '--json']);
    expect(status.code, explain(status)).toBe(0);
    const env = (status.json?.outputs.report as { environments: { lastFailure: { stopCode: string; diagnosis: { cause: string } } | null; rolloutState: string }[] }).environments[0];
    expect(env?.lastFailure, explain(status)).not.toBeNull();
    expect(env?.lastFailure?.diagnosis.cause, explain(status)).toBeTruthy();
    recordFlows(FILE, [
      { flow: 'rollout', source: 'default-profile', note: 'FARGATE, crash loop diagnosed' },
      { flow: 'status', source: 'default-profile', note: 'last failure' },
    ]);
  }, 420_000);

  it('after that failure, a new commit published and rolled out to qa deploys the new image — not the failed one again', async () => {
    await aws().scenario({ service: `${app}-qa`, outcome: 'ok', after: 2 });
    writeFileSync(join(dir, 'app.sh'), 'echo "fixed"\n');
    // The environment files the rollouts wrote are committed with the code, as the README asks.
    git('add', '-A');
    git('commit', '-qm', 'fix the crash');
    const published = await slipway('default-profile', ['publish', '--yes', '--json'], 300_000);
    expect(published.code, explain(published)).toBe(0);
    const fixed = String(published.json?.outputs.push?.digest);
    expect(fixed).not.toBe(digest);
    const run = await slipway('default-profile', ['rollout', '--env', 'qa', '--yes', '--json', '--watch-minutes', '3'], 300_000);
    expect(run.code, explain(run)).toBe(0);
    expect(run.json?.resumed, explain(run)).toBe(true);
    expect(run.json?.outputs.image?.image).toBe(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/moto/${app}@${fixed}`);
    const ecs = client(ECSClient);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: `${app}-qa`, services: [`${app}-qa`] }))).services?.[0];
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }));
    expect(td.taskDefinition?.containerDefinitions?.[0]?.image).toBe(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/moto/${app}@${fixed}`);
    digest = fixed;
    recordFlows(FILE, [
      { flow: 'publish', source: 'default-profile', note: 'a new commit' },
      { flow: 'rollout', source: 'default-profile', note: 'a new image after a failed rollout' },
    ]);
  }, 420_000);

  it('teardown --env dev --plan (env-var keys): each deletion planned, nothing deleted, no approval needed; reads only', async () => {
    const calls = (await aws().callLog()).length;
    const run = await slipway('env-keys', ['teardown', '--env', 'dev', '--plan', '--detailed-exitcode', '--json']);
    expect(run.code, explain(run)).toBe(3);
    const plan = JSON.parse(run.stdout) as PlanResult;
    expect(plan.counts.delete).toBeGreaterThan(3);
    await expectReadsOnly(calls);
    const service = (await client(ECSClient).send(new DescribeServicesCommand({ cluster: `${app}-dev`, services: [`${app}-dev`] }))).services?.[0];
    expect(service?.status).toBe('ACTIVE');
  });

  it('teardown --env dev (env-var keys) deletes what slipway tagged for dev, keeps qa, the log group and the repository', async () => {
    const run = await slipway('env-keys', ['teardown', '--env', 'dev', '--approve', '--yes', '--json'], 300_000);
    expect(run.code, explain(run)).toBe(0);
    const ecs = client(ECSClient);
    const clusters = (await ecs.send(new DescribeClustersCommand({ clusters: [`${app}-dev`, `${app}-qa`] }))).clusters ?? [];
    expect(clusters.filter((c) => c.status === 'ACTIVE').map((c) => c.clusterName)).toEqual([`${app}-qa`]);
    const elb = client(ElasticLoadBalancingV2Client);
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    expect(lbs.map((l) => l.LoadBalancerName)).toEqual([`${app}-qa`]);
    const groups = (await client(EC2Client).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:slipway:env', Values: ['dev'] }] }))).SecurityGroups ?? [];
    expect(groups).toEqual([]);
    await expect(client(IAMClient).send(new GetRoleCommand({ RoleName: `${app}-dev-ecs-execution` }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    const logs = (await client(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/slipway/${app}/dev` }))).logGroups ?? [];
    expect(logs).toHaveLength(1);
    expect((await client(ECRClient).send(new DescribeRepositoriesCommand({ repositoryNames: [`moto/${app}`] }))).repositories).toHaveLength(1);
    recordFlows(FILE, [{ flow: 'teardown', source: 'env-keys' }]);
  }, 320_000);

  it('rollout --env ec (EC2 target) makes the capacity: instance role, launch template, Auto Scaling group, capacity provider', async () => {
    const run = await slipway('default-profile', ['rollout', '--env', 'ec', '--launch-type', 'EC2', '--yes', '--json', '--watch-minutes', '2'], 300_000);
    expect(run.code, explain(run)).toBe(0);
    const want = { 'slipway:app': app, 'slipway:env': 'ec', 'slipway:managed': 'true' };
    const template = (await client(EC2Client).send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [`${app}-ec`] }))).LaunchTemplates?.[0];
    expect(tags(template?.Tags)).toMatchObject(want);
    const group = (await client(AutoScalingClient).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${app}-ec`] }))).AutoScalingGroups?.[0];
    expect(group).toMatchObject({ MinSize: 0, MaxSize: 2, DesiredCapacity: 1 });
    // moto 4.1.4 garbles this element; the correction proxy mends it (autoscaling-launch-template).
    expect(group?.LaunchTemplate).toMatchObject({ LaunchTemplateName: `${app}-ec`, Version: '$Latest' });
    const ecs = client(ECSClient);
    const provider = (await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [`${app}-ec-ec2`] }))).capacityProviders?.[0];
    expect(provider?.autoScalingGroupProvider?.managedScaling).toMatchObject({ status: 'ENABLED', targetCapacity: 100 });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: `${app}-ec`, services: [`${app}-ec`] }))).services?.[0];
    expect(service?.capacityProviderStrategy?.map((c) => c.capacityProvider)).toEqual([`${app}-ec-ec2`]);
    // moto 4.1.4 has no Amazon Linux 2023 ECS AMI parameter: the correction proxy answered it.
    expect(aws().proxy.counts['ssm-ecs-al2023-ami']).toBeGreaterThan(0);
    recordFlows(FILE, [{ flow: 'rollout', source: 'default-profile', note: 'EC2' }]);
  }, 320_000);

  it('rollout --env ex (Express Mode) says clearly that this endpoint has no ECS Express Mode', async () => {
    const run = await slipway('default-profile', ['rollout', '--env', 'ex', '--launch-type', 'EXPRESS', '--yes', '--json'], 300_000);
    expect(run.code, explain(run)).toBe(1);
    const failure = run.json?.failures[0];
    expect(failure?.stepId, explain(run)).toBe('service');
    expect(`${failure?.error.message} ${failure?.error.why ?? ''} ${failure?.error.fix ?? ''}`, explain(run)).toMatch(/Express Mode/);
    expect(failure?.error.why, explain(run)).toMatch(/does not offer this API/);
    expect(failure?.error.fix, explain(run)).toContain('"launchType": "FARGATE"');
    recordFlows(FILE, [{ flow: 'rollout', source: 'default-profile', note: 'EXPRESS refused clearly' }]);
  }, 320_000);
});
