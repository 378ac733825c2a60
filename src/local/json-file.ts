import { readFileSync } from 'node:fs';
import { SlipwayError, UsageError } from '../engine/errors.js';

/**
 * Reads a JSON file that a person edits and commits (slipway/project.json, an environment file):
 * undefined when there is none; an unreadable file is a SlipwayError; text that is not JSON is a
 * UsageError (exit 2) that says where — JSON.parse gives only a character offset — and how to fix it.
 */
export function readJsonFileIfPresent(path: string, fixByHand: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SlipwayError(`Cannot read ${path}.`, { why: (error as Error).message, fix: 'Check that the file is readable by you.', cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON.`, { why: jsonProblem(error, text), fix: fixByHand });
  }
}

/** Node 20 says "at position 57"; a person wants the line and column. */
function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position || /\bline\b/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
