import type { Question } from '../../src/engine/types.js';
import { rolloutQuestions } from '../rollout/questions.js';
import { validateEnvName } from '../rollout/names.js';
import { environmentNames } from '../rollout/environment-path.js';

/**
 * What every day-2 command (run, status, teardown) asks first: where (region), which app, which
 * environment — the same questions, flags and defaults as `slipway rollout`. Kept light (no zod, no
 * SDK): the command line knows the flags before any flow is loaded.
 */
export function environmentQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  return rolloutQuestions(defaults).filter((q) => q.id === 'region' || q.id === 'app' || q.id === 'env');
}

/** `slipway status`: every environment unless `--env` names one. */
export function statusQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  return [
    ...environmentQuestions(defaults).filter((q) => q.id !== 'env'),
    { id: 'env', flag: '--env', advanced: true, message: 'Environment (empty: every environment of this app)', kind: 'text', default: '', validate: (v) => (v === '' ? undefined : validateEnvName(v)) },
  ];
}

/**
 * The environment question of a command that acts on an existing environment (run, teardown): a list
 * of the environment files when there are any — a flag may still name another (one whose file is
 * gone but whose resources are not).
 */
export function existingEnvironmentQuestion(question: Question, cwd: string | undefined): Question {
  const known = cwd ? environmentNames(cwd) : [];
  if (known.length === 0) return question;
  const preferred = typeof question.default === 'string' && known.includes(question.default) ? question.default : undefined;
  return { ...question, kind: 'select', choices: known.map((name) => ({ value: name, label: name })), otherAllowed: true, default: preferred };
}
