import { listUnfinishedRuns, type RunSummary } from '../engine/journal.js';
import { describeTarget } from '../engine/runner.js';

export type RunListing = RunSummary | { path: string; broken: string };

export function isBroken(run: RunListing): run is { path: string; broken: string } {
  return 'broken' in run;
}

export function unfinishedRuns(env: NodeJS.ProcessEnv = process.env): RunListing[] {
  return listUnfinishedRuns(env);
}

/** One line per run, as the home screen and `slipway resume --list` show it. */
export function describeRun(run: RunListing, now = Date.now()): string {
  if (isBroken(run)) return `unreadable journal ${run.path}`;
  return `${run.flow}${run.meta?.sandbox ? ` (sandbox ${run.meta.sandbox})` : ''} · ${describeTarget(run.target)} · ${run.stepsDone}/${run.stepsTotal} done, at "${run.reached ?? 'the end'}" · ${ago(run.updatedAt, now)}`;
}

export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** What a run records about how it was started (JournalData.meta). */
export function runMeta(args: { sandbox?: string; profile?: string }): Record<string, string> | undefined {
  const meta: Record<string, string> = {};
  if (args.sandbox) meta.sandbox = args.sandbox;
  if (args.profile) meta.profile = args.profile;
  return Object.keys(meta).length ? meta : undefined;
}

/** The command line to resume a run with: a sandbox run stays in its sandbox, whatever was typed now. */
export function argsForResume<A extends { sandbox?: string; profile?: string }>(args: A, meta: Record<string, string> | undefined): A {
  return { ...args, sandbox: meta?.sandbox, profile: meta?.profile ?? (meta?.sandbox ? undefined : args.profile) };
}
