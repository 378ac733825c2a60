import type { Question } from '../../src/engine/types.js';
import { environmentQuestions, existingEnvironmentQuestion } from '../status/questions.js';

/** `slipway teardown --env <env> [--delete-logs] [--approve]`. */
export function teardownQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  return [
    // No default environment: what is deleted is always named (asked, or --env), never taken with --yes.
    ...environmentQuestions(defaults).map((q) => (q.id === 'env' ? existingEnvironmentQuestion({ ...q, default: undefined, message: 'Environment to tear down' }, defaults.cwd) : q)),
    { id: 'deleteLogs', flag: '--delete-logs', message: 'Delete its log group too (the logs are gone for good)?', kind: 'confirm', default: false },
    { id: 'approve', flag: '--approve', advanced: true, message: 'Delete without typing the environment’s name (for pipelines with their own approval)', kind: 'confirm', default: false },
  ];
}
