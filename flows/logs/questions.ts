import type { Answers, Question } from '../../src/engine/types.js';
import { environmentQuestions } from '../status/questions.js';
import { SINCE_EXAMPLES, validateSince } from './since.js';

/**
 * `slipway logs --env <env> [--follow] [--since 10m] [--filter TEXT] [--task ID]`. The environment is the
 * day-2 commands' (`--env`, asked in a terminal when not given); where and which app default silently, as
 * for `aws logs tail`, since a person reading logs wants them, not questions. Kept light (no SDK): the
 * command line knows the flags before anything is loaded.
 */
export interface LogsAnswers {
  region: string;
  app: string;
  env: string;
  follow: boolean;
  since: string;
  /** '' for every line. */
  filter: string;
  /** A task id or its first characters ('' for every task). */
  task: string;
}

/** A task id as ECS writes it in ARNs and stream names (32 hex digits; other emulators use UUIDs). */
const TASK_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The task id in what was given: an id, the first characters of one, or a task ARN. */
export function taskIdOf(given: string): string {
  return given.trim().split('/').pop() ?? '';
}

export function logsQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  return [
    ...environmentQuestions(defaults).map((q) => (q.id === 'env' ? q : { ...q, advanced: true })),
    { id: 'follow', flag: '--follow', advanced: true, message: 'Keep printing new lines as they arrive, until Ctrl-C', kind: 'confirm', default: false },
    { id: 'since', flag: '--since', advanced: true, message: `From how long ago (${SINCE_EXAMPLES})`, kind: 'text', default: '10m', validate: validateSince },
    {
      id: 'filter',
      flag: '--filter',
      advanced: true,
      message: 'Only lines containing this text, exactly (case-sensitive)',
      kind: 'text',
      default: '',
      validate: (v) => (v.length <= 1000 ? undefined : 'At most 1000 characters.'),
    },
    {
      id: 'task',
      flag: '--task',
      advanced: true,
      message: 'Only this task’s lines: its id (the first characters are enough) or ARN',
      kind: 'text',
      default: '',
      validate: (v) => (v === '' || TASK_ID.test(taskIdOf(v)) ? undefined : 'A task id is the last part of its ARN: letters, digits and "-" (e.g. 3f2a9c1e).'),
    },
  ];
}

export function typedLogsAnswers(a: Answers): LogsAnswers {
  return {
    region: String(a.region),
    app: String(a.app),
    env: String(a.env),
    follow: a.follow === true,
    since: String(a.since ?? '10m'),
    filter: String(a.filter ?? ''),
    task: taskIdOf(String(a.task ?? '')),
  };
}
