// What the crash/resume children share: the world's file-backed sandbox, and the kill points that
// SLIPWAY_TEST_KILL names — `start:<stepId>` dies (SIGKILL) as that step starts, `call:<n>` right
// after the n-th sandbox call. No vitest imports: this runs in a child process.
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../../src/aws/sandbox/store.js';
import type { RunEvent } from '../../src/engine/events.js';
import { homeEnv } from './home-env.js';

export function childSandbox(home: string) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const kill = process.env.SLIPWAY_TEST_KILL ?? '';
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...homeEnv(home), SLIPWAY_WATCH_POLL_MS: '20' };
  const sandbox: Sandbox = createSandbox({ file: join(home, 'sandbox.json'), env });
  const die = () => process.kill(process.pid, 'SIGKILL');
  const counter = { calls: 0 };
  const run = sandbox.run.bind(sandbox);
  sandbox.run = (async (...args: Parameters<typeof run>) => {
    const result = await run(...args);
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
