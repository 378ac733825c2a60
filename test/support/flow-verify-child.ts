// A child process for `npm run verify`: runs one flow (bootstrap, publish, rollout, doctor, and the
// day-2 teardown, run and status) on a file-backed sandbox in <work>, printing every run event, every
// question asked and a closing summary as JSON lines on stdout. It can be told to die (SIGKILL, no
// clean-up) at one point:
//
//   SLIPWAY_VERIFY_KILL=start:<stepId>   as that step starts
//                       call:<n>         right after the n-th sandbox call was answered (and saved)
//                       precall:<n>      as the n-th sandbox call starts, before the account sees it
//                       journal:<n>      right after the n-th journal write landed (rename done)
//                       prejournal:<n>   with the n-th journal write's temp file written, not renamed
//                       delay:<ms>       that many ms after the flow started, wherever it is
//                       log:<stepId>     at that step's first log line (inside docker build/push)
//                       logmatch:<stepId>:<regex>  at that step's first log line that matches
//
// SLIPWAY_VERIFY_PAUSE=start:<stepId> stops there instead (holding the journal's lock) until killed.
// SLIPWAY_VERIFY_FAULTS=<seed>:<rate>[:expire=<n>] puts the sandbox's fault layer under every client;
// SLIPWAY_VERIFY_PROFILE=<name> starts from that profile of the world's ~/.aws (a role behind MFA).
// SLIPWAY_VERIFY_ENV=<env> is the environment rollout, teardown and run work on (dev unless told).
// SLIPWAY_VERIFY_ANSWERS=<json> is merged over the flow's answers (another --image, --user-name, …).
// It exits as slipway would (runExitCode): `run` hands on its container's exit code.
import { appendFileSync, readFileSync } from 'node:fs';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/store.js';
import { runExitCode } from '../../src/cli/exit-code.js';
import { parseFaultSpec } from '../../src/sandbox/faults.js';
import { journalsDir } from '../../src/engine/paths.js';
import type { Prompter, SecretShow } from '../../src/engine/prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import type { Answers, Flow } from '../../src/engine/types.js';
import type { Runtime } from '../../flows/shared/runtime.js';
import { Person } from '../flows/bootstrap/person.js';
import { DAY2_APP, RUN_COMMAND } from './day2-answers.js';
import { homeEnv } from './home-env.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const [flowName = '', work = ''] = process.argv.slice(2);
const kill = process.env.SLIPWAY_VERIFY_KILL ?? '';
const pause = process.env.SLIPWAY_VERIFY_PAUSE ?? '';
const envName = process.env.SLIPWAY_VERIFY_ENV ?? 'dev';
const [killKind = '', killArg = ''] = kill.split(/:(.*)/s);
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const home = join(work, 'home');
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  ...homeEnv(home),
  SLIPWAY_WATCH_POLL_MS: '20',
  // The sandbox's registry runs for the whole verify run; publish must not start one per world.
  ...(process.env.SLIPWAY_SANDBOX_REGISTRY_BINARY ? { SLIPWAY_SANDBOX_REGISTRY_BINARY: process.env.SLIPWAY_SANDBOX_REGISTRY_BINARY } : {}),
};
const faults = process.env.SLIPWAY_VERIFY_FAULTS ? parseFaultSpec(process.env.SLIPWAY_VERIFY_FAULTS) : undefined;
const sandbox = createSandbox({ file: join(work, 'sandbox.json'), env, ...(faults ? { faults } : {}) });

// Every call into the account, counted (and the kill points among them).
let calls = 0;
let mutatingCalls = 0;
const run = sandbox.run.bind(sandbox);
sandbox.run = (async (mutates: never, work: never) => {
  const n = ++calls;
  if (killKind === 'precall' && Number(killArg) === n) die();
  try {
    const result = await run(mutates, work);
    if (mutates) mutatingCalls++;
    return result;
  } finally {
    // Answered either way: a probe's NoSuchEntity is a call too.
    if (killKind === 'call' && Number(killArg) === n) die();
  }
}) as typeof sandbox.run;

// Every journal write is a rename into the runs folder (writeFileAtomic): counted by wrapping
// fs.renameSync, which the ES module bindings of node:fs then share (syncBuiltinESMExports).
let journalWrites = 0;
const runs = journalsDir(env);
const rename = fs.renameSync;
fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
  const isJournal = String(to).startsWith(runs) && String(to).endsWith('.json');
  if (isJournal && killKind === 'prejournal' && Number(killArg) === journalWrites + 1) die();
  rename(from, to);
  if (isJournal && killKind === 'journal' && Number(killArg) === ++journalWrites) die();
  else if (isJournal && killKind !== 'journal') journalWrites++;
};
syncBuiltinESMExports();

/** The scripted person, who also says what they were asked (a resumed run must not ask again). */
class VerifyPerson extends Person {
  constructor(answers: Record<string, string | boolean>) {
    super(answers, () => sandbox.clock.now(), join(work, 'phone.json'));
    const asked = this.asked;
    asked.push = (...ids: string[]) => {
      for (const id of ids) print({ type: 'asked', id });
      return Array.prototype.push.apply(asked, ids);
    };
  }
  override async showSecret(show: SecretShow): Promise<void> {
    // Kept for the secret scan (the person "writes it down"), never printed.
    appendFileSync(join(work, 'secrets-seen.txt'), `${show.secret}\n`, { mode: 0o600 });
    return super.showSecret(show);
  }
}

const runtime: Runtime = { aws: { region: 'us-east-1', ...(process.env.SLIPWAY_VERIFY_PROFILE ? { profile: process.env.SLIPWAY_VERIFY_PROFILE } : {}) }, env, platform: 'linux', sandbox, cwd: flowName === 'bootstrap' ? home : join(home, 'app'), dockerConfig: join(work, 'docker') };
const prompter: Prompter = new VerifyPerson({});
let flow: Flow<any>;
let given: Answers;
let acceptDefaults = false;
switch (flowName) {
  case 'bootstrap':
    flow = (await import('../../flows/bootstrap/index.js')).bootstrapFlow(runtime);
    given = { region: 'us-east-1', userName: 'alice', profileName: 'acme', accountAlias: '' };
    break;
  case 'rollout':
    flow = (await import('../../flows/rollout/index.js')).rolloutFlow(runtime);
    given = { region: 'us-east-1', app: DAY2_APP, env: envName };
    acceptDefaults = true;
    break;
  case 'publish':
    flow = (await import('../../flows/publish/index.js')).publishFlow(runtime);
    given = JSON.parse(readFileSync(join(work, 'publish-answers.json'), 'utf8')) as Answers;
    break;
  case 'doctor':
    flow = (await import('../../flows/doctor/index.js')).doctorFlow(runtime);
    given = {};
    break;
  case 'teardown':
    // `slipway teardown --env dev --approve --delete-logs`: approved up front, as a pipeline would.
    flow = (await import('../../flows/teardown/index.js')).teardownFlow(runtime);
    given = { region: 'us-east-1', app: DAY2_APP, env: envName, approve: true, deleteLogs: true };
    acceptDefaults = true;
    break;
  case 'run':
    // `slipway run --env dev -- <RUN_COMMAND>`: the words after `--` arrive as a JSON array.
    flow = (await import('../../flows/run/index.js')).runFlow(runtime);
    given = { region: 'us-east-1', app: DAY2_APP, env: envName, command: JSON.stringify(RUN_COMMAND) };
    acceptDefaults = true;
    break;
  case 'status':
    // No --env: every environment of the app.
    flow = (await import('../../flows/status/index.js')).statusFlow(runtime);
    given = { region: 'us-east-1', app: DAY2_APP };
    acceptDefaults = true;
    break;
  default:
    throw new Error(`unknown flow "${flowName}"`);
}

if (process.env.SLIPWAY_VERIFY_ANSWERS) given = { ...given, ...(JSON.parse(process.env.SLIPWAY_VERIFY_ANSWERS) as Answers) };
const [matchStep = '', matchPattern = ''] = killKind === 'logmatch' ? killArg.split(/:(.*)/s) : [];
if (killKind === 'delay') setTimeout(die, Number(killArg)).unref();
const result = await runFlow({
  flow,
  given,
  prompter,
  acceptDefaults,
  cancel: new AbortController().signal,
  env,
  emit: (event) => {
    print(event);
    if (event.type === 'step-started' && kill === `start:${event.stepId}`) die();
    if (event.type === 'step-log' && kill === `log:${event.stepId}`) die();
    if (event.type === 'step-log' && event.stepId === matchStep && new RegExp(matchPattern).test(event.line)) die();
    if (event.type === 'step-started' && pause === `start:${event.stepId}`) {
      print({ type: 'paused', pid: process.pid, stepId: event.stepId });
      // Blocks right here, holding the journal's lock, until the parent kills this process.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
  },
});
print({ type: 'summary', status: result.status, failures: result.failures.map((f) => ({ stepId: f.stepId, message: f.error.message })), calls, mutatingCalls, journalWrites, faults: sandbox.faults?.counts });
process.exitCode = runExitCode(result);
