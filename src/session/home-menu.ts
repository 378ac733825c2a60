import type { FlowEntry } from '../cli/flows.js';
import { SANDBOX_ENTRY } from '../cli/home-sandbox.js';
import { describeRun, type RunListing } from '../cli/runs.js';

/** How many home menu entries show at once: every flow, the sandbox and Quit fit in a 24-row terminal. */
export const HOME_MENU_ROWS = 12;

/** One entry of the home menu, as both the first paint and the ink home screen show it. */
export interface HomeItem {
  value: string;
  label: string;
  hint?: string;
}

export interface HomeMenuInput {
  runs: RunListing[];
  flows: FlowEntry[];
  /** `slipway resume` shows only the unfinished runs. */
  runsOnly?: boolean;
  /** The sandbox the home screen rehearses in (the SANDBOX badge); no "Rehearse" entry then. */
  sandbox?: string;
  /** No AWS credentials found: the sandbox entry comes first, with the reason. */
  noCredentials?: boolean;
}

/** The home menu's entries, in order: one list for the first paint, its early keys and ink. */
export function homeItems({ runs, flows, runsOnly = false, sandbox, noCredentials = false }: HomeMenuInput): HomeItem[] {
  const offerSandbox = !runsOnly && !sandbox;
  const sandboxItem = { value: 'sandbox', ...SANDBOX_ENTRY };
  return [
    ...(offerSandbox && noCredentials ? [sandboxItem] : []),
    ...runs.map((run, i) => ({ value: `run:${i}`, label: `↻ ${describeRun(run)}` })),
    ...(runsOnly ? [] : flows.filter((f) => !f.lineOnly).map((f) => ({ value: `flow:${f.name}`, label: `${f.label} (slipway ${f.name})`, hint: f.description }))),
    ...(offerSandbox && !noCredentials ? [sandboxItem] : []),
    { value: 'quit', label: 'Quit' },
  ];
}
