import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { createSandbox } from '../../src/sandbox/store.js';
import { differences, inventory, type ClientMaker } from '../support/aws-inventory.js';
import { describeMoto, explain, motoHome, recordFlows, REGION, runSlipway, useMotoAws, type MotoHome } from '../support/moto-aws.js';
import { BOOTSTRAP_ANSWERS, bootstrapInTerminal } from '../support/terminal-bootstrap.js';
import { tempHome } from '../support/temp-home.js';

/**
 * The differential test: bootstrap, publish and rollout (Fargate) through the built binary, once in
 * slipway's sandbox (`--sandbox-name`) and once on moto + aws-sim, then the same SDK reads of both
 * accounts (test/support/aws-inventory.ts), normalised, compared. Every difference must be classified
 * below: a sandbox bug (the sandbox is not what AWS would hold) or a moto bug (moto + aws-sim is not).
 * AWS's documented answer decides; an unclassified difference fails the test.
 */
const FILE = 'test/moto/differential.test.ts';

/** path pattern → classification and why. Paths are the inventory's, e.g. `ecs.clusters.<app>-dev.services…`. */
const CLASSIFIED: { path: RegExp; kind: 'sandbox bug' | 'moto bug' | 'by design'; why: string }[] = [
  {
    path: /^elbv2\.loadBalancers\.[^.]+\.zones$/,
    kind: 'by design',
    why: "each account's default VPC has its own subnets (moto: one per AZ of us-east-1, six; the sandbox: three), and the load balancer spans them all; not a shape slipway chooses",
  },
  {
    path: /^ecs\.clusters\.[^.]+\.services\.[^.]+\.taskDefinition\.containers\.\d+\.image$/,
    kind: 'by design',
    why: "the sandbox's ECR hands out its local registry (127.0.0.1:<port>/<namespace>/<app>) as repositoryUri so pushes really land (README: the sandbox); both pin the same digest",
  },
  {
    path: /^ecs\.clusters\.[^.]+\.services\.[^.]+\.taskDefinition\.containers\.\d+\.portMappings\.\d+\.hostPort$/,
    kind: 'moto bug',
    why: 'AWS fills hostPort = containerPort for awsvpc task definitions registered without one (the sandbox does); moto 4.1.4 leaves it out',
  },
  {
    path: /^elbv2\.targetGroups\.[^.]+\.healthCheck\.port$/,
    kind: 'moto bug',
    why: 'CreateTargetGroup without HealthCheckPort: AWS answers "traffic-port" (the sandbox does); moto 4.1.4 answers the target group\'s port as a string',
  },
];

describeMoto('differential: the same flows in the sandbox and on moto + aws-sim end in the same resources', { docker: true, tmux: true }, () => {
  const aws = useMotoAws({ resetEach: false });
  const app = `d${Date.now().toString(36)}`;
  let work: string;
  const made: { cleanup(): void }[] = [];
  const registry = { endpoint: process.env.SLIPWAY_TEST_REGISTRY, user: process.env.SLIPWAY_TEST_REGISTRY_USER, password: process.env.SLIPWAY_TEST_REGISTRY_PASSWORD };

  function appDir(name: string): string {
    const dir = join(work, name, app);
    cpSync(new URL('../fixtures/publish-app', import.meta.url), dir, { recursive: true });
    copyFileSync(['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p)) ?? '', join(dir, 'busybox'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    // The same commit time in both: the same image, the same digest.
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'fixture'], { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
    return dir;
  }

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'slipway-moto-diff-'));
  });
  afterAll(() => {
    made.forEach((m) => m.cleanup());
    for (const ref of spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `label=slipway.app=${app}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) spawnSync('docker', ['rmi', '--force', ref]);
    rmSync(work, { recursive: true, force: true });
  });

  it('bootstrap, publish, rollout: sandbox and moto hold the same IAM, EC2, ECR, ECS, ELB and log resources', async () => {
    // --- the sandbox ---
    const sandboxHome = tempHome();
    made.push(sandboxHome);
    const sandboxEnv: NodeJS.ProcessEnv = { ...sandboxHome.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1', DOCKER_CONFIG: join(sandboxHome.home, '.docker') };
    if (registry.endpoint && registry.user && registry.password) Object.assign(sandboxEnv, { SLIPWAY_SANDBOX_REGISTRY: registry.endpoint, SLIPWAY_SANDBOX_REGISTRY_USER: registry.user, SLIPWAY_SANDBOX_REGISTRY_PASSWORD: registry.password });
    const sandboxFlags = ['--sandbox-name', 'diff'];
    const sandboxDir = appDir('sandbox');
    const boot = await bootstrapInTerminal({ env: sandboxEnv, args: [...BOOTSTRAP_ANSWERS, ...sandboxFlags], cwd: sandboxHome.home });
    expect(boot.exit, `${boot.screen}\n${boot.stderr}`).toBe(0);
    const ci = { ...sandboxEnv, CI: 'true' };
    const pub = await runSlipway(['publish', '--yes', '--json', '--app', app, '--namespace', 'diff', ...sandboxFlags], { cwd: sandboxDir, env: ci, timeoutMs: 300_000 });
    expect(pub.code, explain(pub)).toBe(0);
    const roll = await runSlipway(['rollout', '--env', 'dev', '--yes', '--json', ...sandboxFlags], { cwd: sandboxDir, env: ci, timeoutMs: 300_000 });
    expect(roll.code, explain(roll)).toBe(0);

    // --- moto + aws-sim, from a [default] profile ---
    const home: MotoHome = motoHome(aws().endpoint, 'default-profile');
    made.push(home);
    const motoDir = appDir('moto');
    const motoBoot = await bootstrapInTerminal({ env: home.env, args: BOOTSTRAP_ANSWERS, cwd: home.home });
    expect(motoBoot.exit, `${motoBoot.screen}\n${motoBoot.stderr}`).toBe(0);
    const motoPub = await runSlipway(['publish', '--yes', '--json', '--app', app, '--namespace', 'diff'], { cwd: motoDir, env: home.env, timeoutMs: 300_000 });
    expect(motoPub.code, explain(motoPub)).toBe(0);
    const motoRoll = await runSlipway(['rollout', '--env', 'dev', '--yes', '--json'], { cwd: motoDir, env: home.env, timeoutMs: 300_000 });
    expect(motoRoll.code, explain(motoRoll)).toBe(0);
    // The same commit made the same image: both registries hold the same digest.
    expect(pub.json?.outputs.push?.digest).toBe(motoPub.json?.outputs.push?.digest);

    // --- the same reads of both accounts ---
    const sandbox = createSandbox({ file: join(sandboxHome.home, '.local', 'state', 'slipway', 'sandbox', 'diff.json'), env: sandboxEnv });
    const inSandbox: ClientMaker = (Client) => attachSandbox(new Client({ region: REGION, credentials: sandbox.adminCredentials() }) as never, sandbox) as never;
    const onMoto: ClientMaker = (Client) => new Client({ region: REGION, endpoint: aws().endpoint, credentials: { accessKeyId: 'AKIATESTREADER000001', secretAccessKey: 'x' } });
    const names = { users: ['alice'], groups: { Administrators: ['AssumeAdminRole'], Users: [] }, roles: ['admin', `${app}-dev-ecs-execution`], policies: [] as string[] };
    const a = await inventory(inSandbox, app, { ...names, policies: [`arn:aws:iam::${sandbox.accountId}:policy/RequireMFAPolicy`] });
    const b = await inventory(onMoto, app, { ...names, policies: ['arn:aws:iam::123456789012:policy/RequireMFAPolicy'] });
    const replaceApp = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(app, '<app>')) as unknown;
    const diffs = differences(replaceApp(a), replaceApp(b));
    const unclassified = diffs.filter((d) => !CLASSIFIED.some((c) => c.path.test(d.path)));
    for (const d of diffs) {
      const c = CLASSIFIED.find((x) => x.path.test(d.path));
      console.log(`[differential] ${c ? c.kind : 'UNCLASSIFIED'}: ${d.path}: sandbox ${JSON.stringify(d.sandbox)} · moto ${JSON.stringify(d.moto)}${c ? ` — ${c.why}` : ''}`);
    }
    expect(unclassified, 'every sandbox-vs-moto difference is classified in CLASSIFIED').toEqual([]);
    // The comparison saw the resources (not two empty accounts).
    expect(Object.keys((b as { iam: { roles: object } }).iam.roles)).toEqual(expect.arrayContaining(['admin', `${app}-dev-ecs-execution`]));
    expect(Object.keys((b as { ecs: { clusters: object } }).ecs.clusters)).toEqual([`${app}-dev`]);
    recordFlows(FILE, [
      { flow: 'bootstrap', source: 'default-profile', note: 'differential' },
      { flow: 'publish', source: 'default-profile', note: 'differential' },
      { flow: 'rollout', source: 'default-profile', note: 'differential' },
    ]);
  }, 600_000);
});
