// A child process for the crash/resume tests: runs the ledger flow non-interactively and prints each
// run event as one JSON line. Killed (SIGKILL) from inside at the point named by SLIPWAY_TEST_KILL.
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import { LedgerCloud, ledgerFlow } from './ledger-flow.js';

const [cloudPath, givenJson] = process.argv.slice(2);
const flow = ledgerFlow(new LedgerCloud(cloudPath ?? ''), process.env.SLIPWAY_TEST_KILL);
const result = await runFlow({
  flow,
  given: JSON.parse(givenJson ?? '{}'),
  prompter: new NonInteractivePrompter(),
  emit: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
  cancel: new AbortController().signal,
});
process.exitCode = result.status === 'done' ? 0 : 1;
