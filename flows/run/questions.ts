import type { Question } from '../../src/engine/types.js';
import { environmentQuestions, existingEnvironmentQuestion } from '../status/questions.js';
import { validateCommand } from './command.js';

export interface RunAnswers {
  region: string;
  app: string;
  env: string;
  /** JSON array of words (from the command line) or a line typed at the prompt. */
  command: string;
}

/** `slipway run --env <env> -- <command…>`: the flag `--` means "the words after --" (see src/cli/args.ts). */
export function runQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  return [
    ...environmentQuestions(defaults).map((q) => (q.id === 'env' ? existingEnvironmentQuestion(q, defaults.cwd) : q)),
    { id: 'command', flag: '--', message: 'Command to run once in a task of this environment (e.g. ./manage.py migrate)', kind: 'text', validate: validateCommand },
  ];
}
