import type { Logger } from '@aws-sdk/types';

export type SdkLineLevel = 'info' | 'warn' | 'error';
export type SdkLineSink = (line: string, level: SdkLineLevel) => void;

/**
 * What the AWS SDK prints goes where slipway says, never straight onto the screen: it writes its
 * warnings with `console.warn` (e.g. credential-provider-node's "Multiple credential sources
 * detected", or "default STS region of us-east-1 used"), or to a `logger` when one is given, and
 * raises `process.emitWarning` (the Node version notice). Full-screen, a raw write lands across the
 * wizard's frame.
 *
 * `withSdkOutput(sink, work)` sends all of that to `sink` (a step's log) while `work` runs. Outside
 * any such scope a line goes to stderr, one line per message.
 */
const sinks: SdkLineSink[] = [];
let restore: (() => void) | undefined;

/** The logger slipway gives every credential provider and client: warnings and errors become log lines. */
export const sdkLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn: (...args: unknown[]) => say('warn', args),
  error: (...args: unknown[]) => say('error', args),
};

export async function withSdkOutput<T>(sink: SdkLineSink, work: () => Promise<T>): Promise<T> {
  sinks.push(sink);
  if (sinks.length === 1) restore = intercept();
  try {
    return await work();
  } finally {
    sinks.splice(sinks.lastIndexOf(sink), 1);
    if (sinks.length === 0) {
      restore?.();
      restore = undefined;
    }
  }
}

function say(level: SdkLineLevel, args: unknown[]): void {
  const line = oneLine(args);
  if (!line) return;
  const sink = sinks.at(-1);
  if (sink) sink(line, level);
  else process.stderr.write(`AWS SDK: ${line}\n`);
}

/** The SDK's messages are paragraphs with banners and indentation: one readable line instead. */
export function oneLine(args: unknown[]): string {
  return args
    .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a)))
    .join(' ')
    .replace(/^@aws-sdk\/[\w-]+ - [\w:]+ (WARNING|WARN):?\s*/, '')
    .replace(/^@aws-sdk - WARN - /, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Takes over console.warn/error and process.emitWarning; returns how to put them back. */
function intercept(): () => void {
  const { warn, error } = console;
  const emitWarning = process.emitWarning;
  console.warn = (...args: unknown[]) => say('warn', args);
  console.error = (...args: unknown[]) => say('error', args);
  process.emitWarning = ((warning: string | Error, type?: unknown) => {
    const name = typeof type === 'string' ? type : typeof type === 'object' && type && 'type' in type ? String((type as { type?: string }).type) : warning instanceof Error ? warning.name : 'Warning';
    say('warn', [`${name}: ${warning instanceof Error ? warning.message : warning}`]);
  }) as typeof process.emitWarning;
  return () => {
    console.warn = warn;
    console.error = error;
    process.emitWarning = emitWarning;
  };
}
