// A child process for the publish crash test: runs `slipway publish` in an app folder against the
// sandbox ECR backed by the test registry. SLIPWAY_TEST_KILL=<stepId> dies (SIGKILL) at that step's
// first log line — in the middle of `docker build` or `docker push`.
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/store.js';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import { publishFlow } from '../../flows/publish/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const [app = '', work = ''] = process.argv.slice(2);
const kill = process.env.SLIPWAY_TEST_KILL;
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: join(work, 'home'), XDG_STATE_HOME: join(work, 'state') };
const sandbox = createSandbox({
  file: join(work, 'sandbox.json'),
  env,
  registry: { endpoint: process.env.SLIPWAY_TEST_REGISTRY ?? '', username: process.env.SLIPWAY_TEST_REGISTRY_USER ?? '', password: process.env.SLIPWAY_TEST_REGISTRY_PASSWORD ?? '' },
});
const result = await runFlow({
  flow: publishFlow({ aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: app, dockerConfig: join(work, 'docker') }),
  given: { app: process.env.SLIPWAY_TEST_APP ?? 'app', namespace: 'slipway-crash', keepImages: 5, cleanup: false, skipTests: true },
  prompter: new NonInteractivePrompter(env),
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    if (event.type === 'step-log' && event.stepId === kill) process.kill(process.pid, 'SIGKILL');
    if (event.type === 'run-finished') process.stdout.write(`${JSON.stringify({ status: event.result.status, digest: event.result.outputs.push?.digest, failures: event.result.failures })}\n`);
  },
});
process.exitCode = result.status === 'done' ? 0 : 1;
