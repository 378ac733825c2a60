import { createHash } from 'node:crypto';
import type { Inputs } from './types.js';

/**
 * What the journal keeps of a step's inputs: one short, printable value per input, so a later run can
 * both compare them and say what changed ("version: 1a2b3c4 → 5d6e7f8"). Long or structured values
 * (an environment file, a policy document) are kept as a digest: enough to know they changed.
 */
export type InputRecord = Record<string, string>;

const SHOWN_AS_IS = 72;

export function recordInputs(inputs: Inputs): InputRecord {
  const record: InputRecord = {};
  for (const key of Object.keys(inputs).sort()) {
    const value = inputs[key];
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : canonicalJson(value);
    record[key] = text.length <= SHOWN_AS_IS && !text.includes('\n') ? text : `#${digest(text)}`;
  }
  return record;
}

/** One digest for the whole record: what the journal compares. */
export function fingerprintOf(record: InputRecord): string {
  return digest(canonicalJson(record));
}

/** "version: 1a2b3c4 → 5d6e7f8", one line per input that differs (added and removed ones too). */
export function describeInputChanges(before: InputRecord | undefined, now: InputRecord): string[] {
  if (!before) return ['it was recorded by an older slipway, without its inputs'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return keys
    .filter((key) => before[key] !== now[key])
    .map((key) => (before[key]?.startsWith('#') || now[key]?.startsWith('#') ? `${key} changed` : `${key}: ${shown(before[key])} → ${shown(now[key])}`));
}

function shown(value: string | undefined): string {
  if (value === undefined || value === '') return '(none)';
  // An ARN by its resource (task-definition/todo-dev:5 → todo-dev:5), a digest by its first characters,
  // as the console, docker and git show them: the line must fit a terminal.
  const resource = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:(.+)$/.exec(value)?.[1];
  const short = resource ? (resource.split('/').pop() ?? resource) : value;
  return short.replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, 'sha256:$1…');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so the same facts always give the same digest. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}
