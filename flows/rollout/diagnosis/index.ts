import type { Diagnosis, Evidence } from './evidence.js';
import { RULES } from './rules.js';

export type { Cause, Diagnosis, Evidence, StoppedTask, DeploymentView } from './evidence.js';

/** The first rule that explains the evidence; an honest "unknown" with what was seen otherwise. */
export function diagnose(evidence: Evidence): Diagnosis {
  for (const rule of RULES) {
    const found = rule.match(evidence);
    if (found) return { cause: rule.cause, ...found };
  }
  const seen = [evidence.deployment?.rolloutStateReason, evidence.stoppedTasks[0]?.stoppedReason, evidence.events[0]].filter((x): x is string => Boolean(x));
  return {
    cause: 'unknown',
    title: evidence.timedOut ? 'The deployment did not finish in time' : 'The deployment failed',
    why: seen.length > 0 ? 'slipway does not recognise this failure; the fields below are what ECS said.' : 'ECS gave no reason.',
    fix: 'Look at the service’s events and stopped tasks in the ECS console, and the log group; then roll out again.',
    evidence: seen,
    logLines: evidence.logLines.slice(-10),
  };
}

/** The diagnosis as lines for a summary or an error panel. */
export function diagnosisLines(d: Diagnosis): string[] {
  return [d.title, d.why, ...d.evidence.map((e) => `  ${e}`), ...(d.logLines?.length ? ['Last log lines:', ...d.logLines.map((l) => `  │ ${l}`)] : []), `Fix: ${d.fix}`];
}
