import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, publishApp } from '../verify/publish-app.js';
import { describeMoto, ECR_HOST, explain, motoClient, motoHome, recordFlows, REGION, runSlipway, useMotoAws, type MotoHome } from '../support/moto-aws.js';

/**
 * What changes between runs, through the built binary against moto + aws-sim (with the real daemon
 * and the registry aws-sim reads for ECR): a run is only done for the inputs it has now, and a refusal
 * writes nothing. One app, its steps in order.
 */
const FILE = 'test/moto/changes.test.ts';

describeMoto('slipway against moto + aws-sim: inputs that change between runs', { docker: true }, () => {
  const aws = useMotoAws({ resetEach: false });
  const app = `c${Date.now().toString(36)}`; // the registry outlives moto: a fresh repository per run
  let home: MotoHome;
  let dir: string;
  const repository = `moto/${app}`;
  const uri = `${ECR_HOST}/${repository}`;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', '--short', 'HEAD');
  };
  const slipway = (args: string[]) => runSlipway(args, { cwd: dir, env: home.env, timeoutMs: 300_000 });
  const journals = () => {
    const runs = join(home.home, '.local', 'state', 'slipway', 'runs');
    return existsSync(runs) ? readdirSync(runs).filter((name) => name.endsWith('.json')) : [];
  };
  /** The digest ECR (aws-sim, from the registry) holds for a tag. */
  const ecrDigest = async (tag: string) => {
    const ecr = motoClient(aws().endpoint, ECRClient);
    const found = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] })).catch(() => undefined);
    return found?.imageDetails?.[0]?.imageDigest;
  };

  beforeAll(() => {
    home = motoHome(aws().endpoint, 'default-profile');
    dir = join(home.home, app);
    publishApp(dir);
    writeFileSync(join(dir, '.gitignore'), 'slipway/project.json\n');
    commit('ignore the record of the last publish');
  });
  afterAll(() => {
    for (const ref of spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `label=slipway.app=${app}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) spawnSync('docker', ['rmi', '--force', ref]);
    home.cleanup();
  });

  it('a commit whose tests break, after a run whose tests passed and which then failed, is tested again and not pushed', async () => {
    writeFileSync(join(dir, 'Dockerfile'), `${readFileSync(join(dir, 'Dockerfile'), 'utf8')}COPY missing-file /app/\n`);
    commit('release stage broken');
    const first = await slipway(['publish', '--yes', '--json', '--app', app, '--namespace', 'moto']);
    expect(first.code, explain(first)).toBe(1);
    expect(first.json?.failures[0]?.stepId, explain(first)).toBe('release-build');

    writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(dir, 'Dockerfile'), 'utf8').replace('COPY missing-file /app/\n', ''));
    writeFileSync(join(dir, 'test.sh'), 'echo "1 test failed"; exit 1\n');
    const broken = commit('tests broken');
    const second = await slipway(['publish', '--yes', '--json']);
    expect(second.code, explain(second)).toBe(1);
    expect(second.json?.resumed, explain(second)).toBe(true);
    expect(second.json?.failures[0]?.stepId, explain(second)).toBe('test-stage');
    expect(second.stderr, explain(second)).toMatch(/Changed since an earlier run did this step \(.*version: \w+ → \w+/);
    expect(await ecrDigest(broken)).toBeUndefined();

    execFileSync('git', ['checkout', '-q', 'HEAD~1', '--', 'test.sh'], { cwd: dir });
    const good = commit('tests fixed');
    const third = await slipway(['publish', '--yes', '--json']);
    expect(third.code, explain(third)).toBe(0);
    expect(await ecrDigest(good)).toBe(third.json?.outputs.push?.digest);
    expect(await ecrDigest('latest')).toBe(third.json?.outputs.push?.digest);
    recordFlows(FILE, [{ flow: 'publish', source: 'default-profile', note: 'a new commit after tests passed and the run failed' }]);
  }, 600_000);

  it('an edited -dirty tree is pushed again under its tag, and its new digest recorded', async () => {
    const sha = git('rev-parse', '--short', 'HEAD');
    writeFileSync(join(dir, 'app.sh'), 'echo "dirty one"\n');
    const first = await slipway(['publish', '--yes', '--json', '--allow-dirty', 'yes']);
    expect(first.code, explain(first)).toBe(0);
    writeFileSync(join(dir, 'app.sh'), 'echo "dirty two"\n');
    const second = await slipway(['publish', '--yes', '--json', '--allow-dirty', 'yes']);
    expect(second.code, explain(second)).toBe(0);
    const digest = second.json?.outputs.push?.digest;
    expect(digest).not.toBe(first.json?.outputs.push?.digest);
    expect(await ecrDigest(`${sha}-dirty`)).toBe(digest);
    expect(JSON.parse(readFileSync(join(dir, 'slipway', 'project.json'), 'utf8')).lastPublished).toMatchObject({ tag: `${sha}-dirty`, digest });
    execFileSync('git', ['checkout', '-q', '--', 'app.sh'], { cwd: dir });
    recordFlows(FILE, [{ flow: 'publish', source: 'default-profile', note: 'an edited dirty tree' }]);
  }, 600_000);

  it('latest left on an older image (a push cut between the tags) is pushed by the next publish', async () => {
    // Logged in and staying so (no clean-up logout), so the test can push as the cut push would have.
    const current = await slipway(['publish', '--yes', '--json', '--cleanup', 'no']);
    expect(current.code, explain(current)).toBe(0);
    const newest = current.json?.outputs.push?.digest;
    // As a push cut after the version tag would leave it: latest still on the dirty image pushed before.
    const sha = git('rev-parse', '--short', 'HEAD');
    execFileSync('docker', ['tag', `${uri}:${sha}-dirty`, `${uri}:latest`]);
    execFileSync('docker', ['--config', join(home.home, '.docker'), 'push', '-q', `${uri}:latest`]);
    expect(await ecrDigest('latest')).not.toBe(newest);
    const again = await slipway(['publish', '--yes', '--json']);
    expect(again.code, explain(again)).toBe(0);
    expect(await ecrDigest('latest')).toBe(newest);
    recordFlows(FILE, [{ flow: 'publish', source: 'default-profile', note: 'latest left behind' }]);
  }, 600_000);

  it('refusals exit 2 and write nothing: uncommitted changes under --yes, a protected environment nobody can approve', async () => {
    const before = journals();
    writeFileSync(join(dir, 'app.sh'), 'echo "uncommitted"\n');
    const dirty = await slipway(['publish', '--yes', '--json']);
    expect(dirty.code, explain(dirty)).toBe(2);
    expect(dirty.stdout, explain(dirty)).toMatch(/uncommitted changes: app.sh\./);
    expect(journals()).toEqual(before);
    execFileSync('git', ['checkout', '-q', '--', 'app.sh'], { cwd: dir });

    const prod = await slipway(['rollout', '--env', 'prod', '--yes', '--json']);
    expect(prod.code, explain(prod)).toBe(2);
    expect(prod.stdout, explain(prod)).toMatch(/protected environment/);
    expect(journals()).toEqual(before);
    expect(existsSync(join(dir, 'slipway', 'environments', 'prod.json'))).toBe(false);
    const clusters = await motoClient(aws().endpoint, ECSClient).send(new DescribeClustersCommand({ clusters: [`${app}-prod`] }));
    expect((clusters.clusters ?? []).filter((c) => c.status === 'ACTIVE')).toEqual([]);
    recordFlows(FILE, [
      { flow: 'publish', source: 'default-profile', note: 'refused: dirty under --yes' },
      { flow: 'rollout', source: 'default-profile', note: 'refused: protected without --approve' },
    ]);
  }, 600_000);
});

if (!BUSYBOX) console.warn(`${FILE}: the fixture needs a static busybox (busybox-static).`);
