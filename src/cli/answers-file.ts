import { readFileSync } from 'node:fs';
import { UsageError } from '../engine/errors.js';
import type { Answers } from '../engine/types.js';
import type { CliArgs } from './args.js';

/** Reads `--answers FILE`: one JSON object of strings, numbers and booleans. */
export function readAnswersFile(path: string): Answers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the answers file ${path}.`, { why: (error as Error).message, fix: 'Check the path given to --answers.' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The answers file ${path} is not valid JSON.`, { why: (error as Error).message, fix: 'It must be one JSON object, like {"region": "us-east-1"}.' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`The answers file ${path} must hold one JSON object.`, { fix: 'Like {"region": "us-east-1"}.' });
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new UsageError(`In ${path}, "${key}" must be a string, number or boolean.`);
    }
  }
  return parsed as Answers;
}

/** What the command line answers: the --answers file, overridden by flags. */
export function givenAnswers(args: CliArgs): Answers {
  return { ...(args.answersFile ? readAnswersFile(args.answersFile) : {}), ...args.flowAnswers };
}
