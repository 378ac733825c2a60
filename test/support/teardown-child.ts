// A child process for the teardown crash/resume test: runs `slipway teardown --env dev --approve
// --delete-logs` on a file-backed sandbox, printing each step's start (with the sandbox calls made so
// far) as a JSON line. Kill points (SLIPWAY_TEST_KILL): see child-sandbox.ts.
import { join } from 'node:path';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import { teardownFlow } from '../../flows/teardown/index.js';
import { childSandbox } from './child-sandbox.js';

const [home = ''] = process.argv.slice(2);
const { env, sandbox, counter, killAtStart } = childSandbox(home);

const result = await runFlow({
  flow: teardownFlow({ aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: join(home, 'app') }),
  given: { region: 'us-east-1', app: 'todo', env: 'dev', approve: true, deleteLogs: true },
  prompter: new NonInteractivePrompter(),
  acceptDefaults: true,
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    if (event.type === 'step-started') process.stdout.write(`${JSON.stringify({ type: 'step-started', stepId: event.stepId, calls: counter.calls })}\n`);
    killAtStart(event);
    if (event.type === 'run-finished') process.stdout.write(`${JSON.stringify({ type: 'finished', status: event.result.status, failures: event.result.failures, calls: counter.calls })}\n`);
  },
});
process.exitCode = result.status === 'done' ? 0 : 1;
