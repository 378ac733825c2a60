// What the crash/resume children share: the world's file-backed sandbox, and the kill points that
// SLIPWAY_TEST_KILL names — `start:<stepId>` dies (SIGKILL) as that step starts, `call:<n>` right
// after the n-th sandbox call. No vitest imports: this runs in a child process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../../src/sandbox/store.js';
import type { RunEvent } from '../../src/engine/events.js';
import { homeEnv } from './home-env.js';

const POLL_MS = 20;
const FROZEN_CLOCK_FILE = 'clock-frozen-at';

/**
 * Stops the wall clock beneath a world's sandbox (and every copy of it): from now on its children's
 * sandbox time moves only by one poll per call. ECS tasks change phase on sandbox time, so with the
 * wall clock a loaded machine polls fewer times and the n-th call lands in a different step from one
 * run to the next; frozen, the same world makes the same calls every time.
 */
export function freezeClock(home: string): void {
  writeFileSync(join(home, FROZEN_CLOCK_FILE), String(Date.now()));
}

function frozenClock(home: string): number | undefined {
  const file = join(home, FROZEN_CLOCK_FILE);
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

export function childSandbox(home: string) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const kill = process.env.SLIPWAY_TEST_KILL ?? '';
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...homeEnv(home), SLIPWAY_WATCH_POLL_MS: String(POLL_MS) };
  const frozenAt = frozenClock(home);
  const sandbox: Sandbox = createSandbox({ file: join(home, 'sandbox.json'), env, ...(frozenAt !== undefined ? { now: () => frozenAt } : {}) });
  const die = () => process.kill(process.pid, 'SIGKILL');
  const counter = { calls: 0 };
  const run = sandbox.run.bind(sandbox);
  sandbox.run = (async (...args: Parameters<typeof run>) => {
    const result = await run(...args);
    // The offset is saved in the world, so a resumed child's time carries on from the killed one's.
    if (frozenAt !== undefined) sandbox.clock.advance(POLL_MS);
    if (kill === `call:${++counter.calls}`) die();
    return result;
  }) as typeof sandbox.run;
  return {
    env,
    sandbox,
    counter,
    /** Call from the run's emit: dies as the named step starts. */
    killAtStart(event: RunEvent): void {
      if (event.type === 'step-started' && kill === `start:${event.stepId}`) die();
    },
  };
}
