import { streamTask } from './source.js';
import type { LogEvent } from './tail.js';
import { SHORT_TASK_ID_LENGTH, shortTaskId } from '../shared/task-id.js';

/**
 * How `slipway logs` writes a line: the short task id (its first 8 characters, as `slipway run` names
 * tasks), then the message — one output line per line of the message, each with the prefix, so
 * `grep <task>` keeps a stack trace whole. With `--json`: one object per event and line of output.
 */
/** Cyan, magenta, yellow, green, blue, red: one per task, stable for a task id (as docker compose does). */
const COLORS = [36, 35, 33, 32, 34, 31];

export function formatEvent(event: LogEvent, options: { json: boolean; color: boolean }): string {
  const task = streamTask(event.stream);
  if (options.json) return JSON.stringify({ timestamp: new Date(event.timestamp).toISOString(), task, message: event.message, stream: event.stream });
  const short = shortTaskId(task).padEnd(SHORT_TASK_ID_LENGTH);
  const prefix = options.color ? `\u001B[${COLORS[hash(task) % COLORS.length]}m${short}\u001B[39m` : short;
  return event.message
    .replace(/\s+$/, '')
    .split(/\r?\n/)
    .map((line) => `${prefix} ${line}`)
    .join('\n');
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
