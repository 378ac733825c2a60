import { cleanup } from 'ink-testing-library';
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Key sequences as a terminal sends them in raw mode. */
export const KEY = {
  enter: '\r',
  down: '\u001B[B',
  up: '\u001B[A',
  escape: '\u001B',
  ctrlC: '\u0003',
} as const;

const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '');
}

export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls until `check` returns a value other than undefined/false, or throws with `describe()` once the
 * deadline passes. ink handles input and re-renders asynchronously, so every assertion on a frame
 * that follows a keypress waits this way instead of sleeping a fixed time.
 */
export async function waitFor<T>(check: () => T | undefined | false, describe: () => string, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await tick(10);
  }
}

/** Waits until the last frame (ANSI stripped) contains `text`; returns that frame. */
export function waitForFrame(lastFrame: () => string | undefined, text: string | RegExp, timeoutMs = 3_000): Promise<string> {
  return waitFor(
    () => {
      const frame = plain(lastFrame());
      return (typeof text === 'string' ? frame.includes(text) : text.test(frame)) ? frame : undefined;
    },
    () => `${String(text)} in the frame:\n${plain(lastFrame())}`,
    timeoutMs,
  );
}

/**
 * Lets React finish what it scheduled. ink re-subscribes `useInput` handlers in passive effects, which
 * React runs from a scheduler task (setImmediate), not during the render. A frame can be on screen
 * while the handler still closes over the previous state — e.g. when a fast in-memory run finishes
 * entirely in microtasks — and a key written at that moment goes to the stale handler.
 */
export async function settle(): Promise<void> {
  await tick(15);
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Writes keys one at a time, letting ink's input handler and React catch up before and between them. */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    await settle();
    stdin.write(key);
  }
  await settle();
}

/** Types text character by character, as a person would. */
export function type(stdin: { write(data: string): void }, text: string): Promise<void> {
  return press(stdin, ...text.split(''));
}

/**
 * A throwaway HOME and XDG_STATE_HOME, so journals and ~/.aws lookups never touch the real home. AWS
 * variables that would change the header (profile, endpoint) are removed for stable frames.
 */
export function tempEnv(): { dir: string; env: NodeJS.ProcessEnv; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-screens-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_STATE_HOME: join(dir, 'state'), AWS_REGION: 'us-east-1' };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_DEFAULT_REGION']) delete env[name];
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh temporary environment for each test of a file, removed (with ink's renders) after it. */
export function useTempEnv(): { readonly dir: string; readonly env: NodeJS.ProcessEnv } {
  let current: ReturnType<typeof tempEnv> | undefined;
  beforeEach(() => {
    current = tempEnv();
  });
  afterEach(() => {
    cleanup();
    current?.remove();
  });
  const now = () => {
    if (!current) throw new Error('useTempEnv: only inside a test');
    return current;
  };
  return {
    get dir() {
      return now().dir;
    },
    get env() {
      return now().env;
    },
  };
}
