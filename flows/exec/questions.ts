import type { Answers, Question } from '../../src/engine/types.js';
import { taskIdOf } from '../logs/questions.js';
import { parseCommand, validateCommand } from '../run/command.js';
import { environmentQuestions, existingEnvironmentQuestion } from '../status/questions.js';

/**
 * `slipway exec --env <env> [--task ID] [--enable] [-- <command…>]`. The command defaults to a shell;
 * the task is asked for (among the running ones) only when several run. Kept light (no SDK): the
 * command line knows the flags before anything is loaded.
 */
export interface ExecAnswers {
  env: string;
  /** A task id, its first characters or its ARN ('' to pick). */
  task: string;
  command: string[];
  /** Consent given on the command line to turn ECS Exec on (a new deployment). */
  enable: boolean;
}

export const DEFAULT_COMMAND = ['/bin/sh'];
const TASK_ID = /^[A-Za-z0-9-]{1,64}$/;

export function execQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  return [
    ...environmentQuestions(defaults).map((q) => (q.id === 'env' ? existingEnvironmentQuestion(q, defaults.cwd) : q)),
    {
      id: 'task',
      flag: '--task',
      advanced: true,
      message: 'The task to open the session in: its id (the first characters are enough) or ARN; asked when several run',
      kind: 'text',
      default: '',
      validate: (v) => (v === '' || TASK_ID.test(taskIdOf(v)) ? undefined : 'A task id is the last part of its ARN: letters, digits and "-" (e.g. 3f2a9c1e).'),
    },
    {
      id: 'enable',
      flag: '--enable',
      advanced: true,
      message: 'Turn ECS Exec on for the environment when it is off (a new deployment, a minute or two) without asking',
      kind: 'confirm',
      default: false,
    },
    { id: 'command', flag: '--', advanced: true, message: 'Command to run in the container', kind: 'text', default: JSON.stringify(DEFAULT_COMMAND), defaultHelp: '/bin/sh', validate: validateCommand },
  ];
}

export function typedExecAnswers(a: Answers): ExecAnswers {
  return {
    env: String(a.env),
    task: taskIdOf(String(a.task ?? '')),
    command: parseCommand(String(a.command ?? '')) ?? DEFAULT_COMMAND,
    enable: a.enable === true,
  };
}
