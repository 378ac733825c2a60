// What the verify runs of the day-2 flows (teardown, run, status) are given, shared by the flow child
// (test/support/flow-verify-child.ts) and the figure that checks them. No vitest imports.

/** The app rolloutWorld (test/verify/worlds.ts) publishes and the rollout child deploys. */
export const DAY2_APP = 'todo';

/**
 * `slipway run --env dev -- sh -c 'echo migrating; exit 3'`. Not 0: the sandbox's container exits with
 * the `exit <n>` of its command, so a resumed run that handed on anything but its own task's code shows.
 */
export const RUN_COMMAND = ['sh', '-c', 'echo migrating; exit 3'];
export const RUN_EXIT_CODE = 3;
