// A child process for the teardown crash/resume test: runs `slipway teardown --env dev --approve
// --delete-logs` on a file-backed sandbox, printing each step's start (with the sandbox calls made so
// far) as a JSON line. SLIPWAY_TEST_KILL: `start:<stepId>` dies (SIGKILL) as that step starts;
// `call:<n>` dies right after the n-th sandbox call (inside a step, after AWS changed).
import { join } from 'node:path';
import { createSandbox } from '../../src/aws/sandbox/store.js';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import { teardownFlow } from '../../flows/teardown/index.js';
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
  flow: teardownFlow({ aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: join(home, 'app') }),
  given: { region: 'us-east-1', app: 'todo', env: 'dev', approve: true, deleteLogs: true },
  prompter: new NonInteractivePrompter(),
  acceptDefaults: true,
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    if (event.type === 'step-started') {
      process.stdout.write(`${JSON.stringify({ type: 'step-started', stepId: event.stepId, calls })}\n`);
      if (kill === `start:${event.stepId}`) die();
    }
    if (event.type === 'run-finished') process.stdout.write(`${JSON.stringify({ type: 'finished', status: event.result.status, failures: event.result.failures, calls })}\n`);
  },
});
process.exitCode = result.status === 'done' ? 0 : 1;
