// A child process for the rollout crash/resume test: runs `slipway rollout --env dev` on a file-backed
// sandbox, printing each run event as a JSON line. Kill points (SLIPWAY_TEST_KILL): see child-sandbox.ts.
import { join } from 'node:path';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import { rolloutFlow } from '../../flows/rollout/index.js';
import { childSandbox } from './child-sandbox.js';

const [home = ''] = process.argv.slice(2);
const { env, sandbox, counter, killAtStart } = childSandbox(home);

const result = await runFlow({
  flow: rolloutFlow({ aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: join(home, 'app') }),
  given: { region: 'us-east-1', app: 'todo', env: 'dev' },
  prompter: new NonInteractivePrompter(),
  acceptDefaults: true,
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    killAtStart(event);
  },
});
process.stdout.write(`${JSON.stringify({ type: 'calls', calls: counter.calls })}\n`);
process.exitCode = result.status === 'done' ? 0 : 1;
