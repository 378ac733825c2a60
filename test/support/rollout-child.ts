// A child process for the rollout crash/resume test: runs `slipway rollout --env dev` on a file-backed
// sandbox, printing each run event as a JSON line. SLIPWAY_TEST_KILL: `start:<stepId>` dies as that step
// starts; `call:<n>` dies right after the n-th sandbox call (inside steps, and between the watch's polls).
import { join } from 'node:path';
import { createSandbox } from '../../src/aws/sandbox/store.js';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import { rolloutFlow } from '../../flows/rollout/index.js';
import { homeEnv } from './home-env.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const [home = ''] = process.argv.slice(2);
const kill = process.env.SLIPWAY_TEST_KILL ?? '';
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...homeEnv(home), SLIPWAY_WATCH_POLL_MS: '20' };
const sandbox = createSandbox({ file: join(home, 'sandbox.json'), env });
const die = () => process.kill(process.pid, 'SIGKILL');

let calls = 0;
const run = sandbox.run.bind(sandbox);
sandbox.run = (async (...args: Parameters<typeof run>) => {
  const result = await run(...args);
  if (kill === `call:${++calls}`) die();
  return result;
}) as typeof sandbox.run;

const result = await runFlow({
  flow: rolloutFlow({ aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: join(home, 'app') }),
  given: { region: 'us-east-1', app: 'todo', env: 'dev' },
  prompter: new NonInteractivePrompter(),
  acceptDefaults: true,
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'step-started' && kill === `start:${event.stepId}`) die();
  },
});
process.stdout.write(`${JSON.stringify({ type: 'calls', calls })}\n`);
process.exitCode = result.status === 'done' ? 0 : 1;
