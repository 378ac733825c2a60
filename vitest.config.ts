import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    // Crash/resume and tmux tests spawn real processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest runs (cores − 1) files at once by default: one on 2 cores. The long files spend their
    // time waiting — on child processes killed and resumed, moto over HTTP, docker, tmux —
    // not computing: three at once on 2 cores took the suite from 13.7 to 5.8 min, every test passing.
    maxWorkers: Math.max(3, availableParallelism() + 1),
    // On Node 20 (below slipway's floor) the binary says so on stderr, and the SDK would too; tests
    // that read stderr want slipway's own output. On 22 and newer this changes nothing.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
