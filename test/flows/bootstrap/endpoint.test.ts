import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { runFlow } from '../../../src/engine/runner.js';
import { bootstrapFlow } from '../../../flows/bootstrap/index.js';
import { FakeSts } from '../../support/fake-sts.js';
import { tempHome } from '../../support/temp-home.js';
import { Person } from './person.js';

let server: FakeSts;
let endpoint: string;
beforeAll(async () => {
  server = new FakeSts();
  server.users.set('AKIAENDPOINTTEST0001', { accessKeyId: 'AKIAENDPOINTTEST0001', arn: 'arn:aws:iam::333333333333:user/starter' });
  endpoint = await server.start();
});
afterAll(() => server.stop());

// No AWS here, and no LocalStack or moto: a loopback server stands in for "any AWS-compatible
// endpoint". It speaks STS only, so the flow stops at its first IAM call — which must have gone there.
it('every AWS call of the bootstrap goes to the endpoint given (AWS_ENDPOINT_URL / --endpoint-url)', async () => {
  const home = tempHome();
  try {
    mkdirSync(join(home.home, '.aws'), { recursive: true });
    writeFileSync(join(home.home, '.aws', 'credentials'), '[starter]\naws_access_key_id = AKIAENDPOINTTEST0001\naws_secret_access_key = startersecretstartersecretstartersecret1\n');
    const events: RunEvent[] = [];
    const result = await runFlow({
      flow: bootstrapFlow({ aws: { region: 'eu-west-1', profile: 'starter', endpoint }, env: home.env, platform: 'linux', cwd: home.home }),
      given: { region: 'eu-west-1', userName: 'alice', profileName: 'acme' },
      prompter: new Person(),
      emit: (e) => events.push(e),
      cancel: new AbortController().signal,
      env: home.env,
    });
    expect(result.target).toEqual({ account: '333333333333', region: 'eu-west-1' });
    expect(result.outputs.identity).toMatchObject({ account: '333333333333', arn: 'arn:aws:iam::333333333333:user/starter' });
    expect(result.failures[0]?.stepId).toBe('account-alias');
    expect(server.calls.map((c) => c.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity', 'ListAccountAliases']);
    expect(new Set(server.calls.map((c) => c.accessKeyId))).toEqual(new Set(['AKIAENDPOINTTEST0001']));
  } finally {
    home.cleanup();
  }
});
