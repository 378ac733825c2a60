// A child process for the bootstrap crash/resume test: runs `slipway bootstrap` on a file-backed
// sandbox with a scripted person whose "phone" (seed, used codes) is a file, printing each run event
// as a JSON line. SLIPWAY_TEST_KILL: `start:<stepId>` dies as that step starts; `write:<n>` dies right
// after the n-th call that changed the account (inside steps).
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/store.js';
import { runFlow } from '../../src/engine/runner.js';
import { bootstrapFlow } from '../../flows/bootstrap/index.js';
import { Person } from '../flows/bootstrap/person.js';
import { NEWCOMER, worldEnv } from '../flows/bootstrap/world.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const [home = ''] = process.argv.slice(2);
const kill = process.env.SLIPWAY_TEST_KILL ?? '';
const env = worldEnv(home);
const sandbox = createSandbox({ file: join(home, 'sandbox.json'), env });
const die = () => process.kill(process.pid, 'SIGKILL');

let writes = 0;
const run = sandbox.run.bind(sandbox);
sandbox.run = (async (mutates: boolean, work: never) => {
  const result = await run(mutates, work);
  if (mutates && kill === `write:${++writes}`) die();
  return result;
}) as typeof sandbox.run;

const person = new Person({}, () => sandbox.clock.now(), join(home, 'phone.json'));
const result = await runFlow({
  flow: bootstrapFlow({ aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: home }),
  given: NEWCOMER,
  prompter: person,
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'step-started' && kill === `start:${event.stepId}`) die();
  },
});
process.stdout.write(`${JSON.stringify({ type: 'writes', writes })}\n`);
process.exitCode = result.status === 'done' ? 0 : 1;
