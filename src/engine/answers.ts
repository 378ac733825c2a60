import { MissingAnswerError, UsageError } from './errors.js';
import type { Prompter } from './prompter.js';
import type { Answers, Question } from './types.js';

/**
 * Checks answers given on the command line or in an --answers file before anything runs, so bad input
 * exits 2 with nothing written.
 */
export function validateGivenAnswers(questions: Question[], given: Answers): void {
  const known = new Map(questions.map((q) => [q.id, q]));
  for (const [id, value] of Object.entries(given)) {
    const question = known.get(id);
    if (!question) {
      const names = questions.map((q) => q.id).join(', ') || 'none';
      throw new UsageError(`Unknown answer "${id}".`, { fix: `This flow takes: ${names}.` });
    }
    const problem = checkValue(question, value);
    if (problem) throw new UsageError(`${question.flag} ${String(value)}: ${problem}`, { fix: `Pass a valid ${question.flag}.` });
  }
}

function checkValue(question: Question, value: string | number | boolean): string | undefined {
  if (question.kind === 'confirm' && typeof value !== 'boolean' && !/^(true|false|yes|no)$/i.test(String(value))) return 'expected yes or no.';
  if (question.kind === 'number' && !Number.isFinite(Number(value))) return 'expected a number.';
  if (question.kind === 'select' && question.choices && !question.otherAllowed && !question.choices.some((c) => c.value === String(value))) {
    return `expected one of ${question.choices.map((c) => c.value).join(', ')}.`;
  }
  return question.validate?.(String(value));
}

/**
 * Whether a value given now (a flag's text: "no", "5") is the answer an earlier run journaled (false, 5).
 * Unknown questions compare as text.
 */
export function sameAnswer(question: Question | undefined, given: string | number | boolean, journaled: string | number | boolean): boolean {
  return question ? normalise(question, given) === normalise(question, journaled) : String(given) === String(journaled);
}

/** A yes/no answer as given: a boolean (an answers file) or its words (a flag: yes, no, true, false). */
export function isYes(value: unknown): boolean {
  return typeof value === 'boolean' ? value : /^(true|yes)$/i.test(String(value));
}

function normalise(question: Question, value: string | number | boolean): string | number | boolean {
  if (question.kind === 'confirm') return isYes(value);
  if (question.kind === 'number') return Number(value);
  return String(value);
}

export interface ResolveOptions {
  given: Answers;
  journaled: Answers;
  prompter: Prompter;
  /** --yes: take defaults without asking. */
  acceptDefaults: boolean;
  /** Told of each settled default taken without asking (question.settled). */
  onSettled?(question: Question, value: string | number | boolean): void;
}

/**
 * Fills every question, in order: a value given now wins, then what an earlier run of this journal
 * recorded (so a resumed run does not ask again), then the person (or the default under --yes), and a
 * non-interactive run with no value fails naming the flag.
 */
export async function resolveAnswers(questions: Question[], options: ResolveOptions): Promise<Answers> {
  const answers: Answers = {};
  for (const question of questions) {
    if (question.when && !question.when(answers)) continue;
    const given = options.given[question.id];
    const journaled = question.secret ? undefined : options.journaled[question.id];
    if (given !== undefined) answers[question.id] = normalise(question, given);
    else if (journaled !== undefined) answers[question.id] = journaled;
    else answers[question.id] = await ask(question, answers, options);
  }
  return answers;
}

async function ask(question: Question, answers: Answers, options: ResolveOptions): Promise<string | number | boolean> {
  const fallback = typeof question.default === 'function' ? question.default(answers) : question.default;
  // A settled value that is not valid (AWS_REGION=eu-west-1a) is not taken silently: it is asked, or refused.
  if (fallback !== undefined && question.settled && checkValue(question, fallback) === undefined) {
    options.onSettled?.(question, fallback);
    return fallback;
  }
  if (fallback !== undefined && (options.acceptDefaults || question.advanced || !options.prompter.interactive)) return fallback;
  if (!options.prompter.interactive) throw new MissingAnswerError(question);
  const { prompter } = options;
  const base = { id: question.id, flag: question.flag, message: question.message };
  switch (question.kind) {
    case 'confirm':
      return prompter.confirm({ ...base, default: fallback === undefined ? undefined : Boolean(fallback) });
    case 'select':
      return prompter.select({ ...base, choices: question.choices ?? [], default: fallback === undefined ? undefined : String(fallback) });
    case 'number': {
      const text = await prompter.text({ ...base, default: fallback === undefined ? undefined : String(fallback), validate: (v) => checkValue(question, v) });
      return Number(text);
    }
    default: {
      const asker = question.secret ? prompter.secret.bind(prompter) : prompter.text.bind(prompter);
      return asker({ ...base, default: fallback === undefined ? undefined : String(fallback), validate: (v) => checkValue(question, v) });
    }
  }
}

/** The answers that may be written to the journal: everything but secrets. */
export function journalableAnswers(questions: Question[], answers: Answers): Answers {
  const secret = new Set(questions.filter((q) => q.secret).map((q) => q.id));
  return Object.fromEntries(Object.entries(answers).filter(([id]) => !secret.has(id)));
}
