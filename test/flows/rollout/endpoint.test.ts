import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { runFlow } from '../../../src/engine/runner.js';
import { writeProjectSettings } from '../../../src/local/project-settings.js';
import { rolloutFlow } from '../../../flows/rollout/index.js';
import { FakeSts } from '../../support/fake-sts.js';
import { tempHome } from '../../support/temp-home.js';

let server: FakeSts;
let endpoint: string;
beforeAll(async () => {
  server = new FakeSts();
  server.users.set('AKIAENDPOINTTEST0002', { accessKeyId: 'AKIAENDPOINTTEST0002', arn: 'arn:aws:iam::444444444444:user/deployer' });
  endpoint = await server.start();
});
afterAll(() => server.stop());

// As for bootstrap: a loopback server that speaks STS stands in for "any AWS-compatible endpoint"
// (LocalStack and moto cannot be installed here). The rollout's first ECR call must go there too.
it('the rollout’s AWS calls go to the endpoint given (AWS_ENDPOINT_URL / --endpoint-url)', async () => {
  const home = tempHome();
  try {
    mkdirSync(join(home.home, '.aws'), { recursive: true });
    writeFileSync(join(home.home, '.aws', 'credentials'), '[deployer]\naws_access_key_id = AKIAENDPOINTTEST0002\naws_secret_access_key = deployersecretdeployersecretdeployersecret\n');
    const app = join(home.home, 'app');
    const uri = '444444444444.dkr.ecr.eu-west-1.amazonaws.com/apps/todo';
    writeProjectSettings(app, { version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 }, lastPublished: { uri, tag: 'v1', digest: `sha256:${'a'.repeat(64)}`, at: new Date().toISOString() } });
    const result = await runFlow({
      flow: rolloutFlow({ aws: { region: 'eu-west-1', profile: 'deployer', endpoint }, env: home.env, platform: 'linux', cwd: app }),
      given: { region: 'eu-west-1', app: 'todo', env: 'dev' },
      prompter: new NonInteractivePrompter(),
      acceptDefaults: true,
      emit: () => undefined,
      cancel: new AbortController().signal,
      env: home.env,
    });
    expect(result.target).toEqual({ account: '444444444444', region: 'eu-west-1', app: 'todo', env: 'dev' });
    expect(result.failures[0]?.stepId).toBe('image');
    expect(server.calls.map((c) => c.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity', 'AmazonEC2ContainerRegistry_V20150921.DescribeImages']);
    expect(new Set(server.calls.map((c) => c.accessKeyId))).toEqual(new Set(['AKIAENDPOINTTEST0002']));
  } finally {
    home.cleanup();
  }
});
