import type { ErrorReport } from './errors.js';
import type { Outputs, Target } from './types.js';

/** How a step ended up done. */
export type DoneHow =
  | 'applied' // apply ran in this run
  | 'confirmed' // journaled as done earlier; the probe confirmed it is still there
  | 'adopted' // journaled intent without outputs (a crash mid-apply); the probe found the result
  | 'found' // nothing journaled, but it already existed (made by hand or by another machine)
  | 'checked' // a read-only check passed
  | 'not-needed'; // the probe found nothing to do here (`required: false`: no approval for an unprotected environment)

export type RunEvent =
  | {
      type: 'run-started';
      runId: string;
      flow: string;
      title: string;
      target: Target;
      resumed: boolean;
      journalPath: string;
      steps: { id: string; title: string }[];
      /** An unfinished run here was started with other answers: what differs. This run starts afresh instead. */
      setAside?: string[];
      /** Answers taken from what the person chose before, not asked: "region eu-west-1 (AWS_REGION)". */
      settled?: string[];
      at: number;
    }
  | { type: 'step-started'; stepId: string; at: number }
  | { type: 'step-log'; stepId: string; line: string; level: 'info' | 'warn' | 'error'; at: number }
  | { type: 'step-progress'; stepId: string; label: string; current: number; total?: number; unit?: 'bytes' | 'items'; at: number }
  | { type: 'step-done'; stepId: string; how: DoneHow; outputs: Outputs; at: number }
  | { type: 'step-failed'; stepId: string; error: ErrorReport; at: number }
  | { type: 'step-cancelled'; stepId: string; at: number }
  | { type: 'run-finished'; result: RunResult; at: number };

export interface RunResult {
  flow: string;
  runId: string;
  status: 'done' | 'failed' | 'cancelled';
  kind: 'changes' | 'checks';
  target: Target;
  journalPath: string;
  resumed: boolean;
  outputs: Record<string, Outputs>;
  failures: { stepId: string; title: string; error: ErrorReport }[];
  summary: string[];
  durationMs: number;
}

export type EmitEvent = (event: RunEvent) => void;
