import { runExitCode } from '../cli/exit-code.js';
import type { RunResult } from '../engine/events.js';
import { elapsed } from './format.js';

/** The last line of a run, the same in every front end. */
export function outcomeHeadline(result: RunResult): string {
  const failed = result.failures.length;
  switch (result.status) {
    case 'done': {
      // A run whose work was another program's (slipway run) ends with that program's exit code.
      const code = runExitCode(result);
      return code === 0 ? `Done in ${elapsed(result.durationMs)}.` : `Finished in ${elapsed(result.durationMs)}, with exit code ${code}.`;
    }
    case 'cancelled':
      return 'Cancelled. The journal is kept: `slipway resume` carries on from here.';
    case 'failed':
      return result.kind === 'checks'
        ? `${failed} check${failed === 1 ? '' : 's'} failed. Fix what is named above and run \`slipway ${result.flow}\` again.`
        : `${failed === 1 ? 'A step' : `${failed} steps`} failed. Fix what is named above and run again: finished steps are checked and skipped.`;
  }
}

/** Said when an unfinished run with other answers is set aside for a new one. */
export function setAsideNotice(changes: string[]): string {
  const why = changes.length ? ` had other answers (${changes.join('; ')})` : ' was set aside';
  return `An unfinished run here${why}: starting a new run; every step is checked against AWS again.`;
}

/** What a run took without asking, and how to change it: "Using region eu-west-1 (AWS_REGION) and app todo (slipway/project.json); --region or --app changes them." */
export function settledNotice(settled: string[]): string {
  const flags = settled.map((item) => `--${item.split(' ')[0]}`);
  const list = (items: string[], word: string) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`);
  return `Using ${list(settled, 'and')}; ${list(flags, 'or')} ${settled.length > 1 ? 'changes them' : 'changes it'}.`;
}
