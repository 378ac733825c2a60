import { defineConfig } from 'vitest/config';

// `npm run verify`: the resilience harness. Its files end in .verify.ts so `npm test` never runs them.
export default defineConfig({
  test: {
    include: ['test/verify/**/*.verify.ts'],
    globalSetup: ['test/verify/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The harness runs its own children two at a time; its files one after the other (2 CPUs).
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
