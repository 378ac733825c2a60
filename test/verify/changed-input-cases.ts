import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rolloutNames } from '../../flows/rollout/names.js';
import type { SandboxState } from '../../src/sandbox/state.js';
import { changeAccount, commit, editApp, editEnvironment, FAILING_TEST, publishRecorded, scenario, type ChangeCase, type Stop, type WorldImages } from './changed-input.js';

// The cases of the changed-input harness: each changes ONE input between a stopped run and the next.
// No vitest imports.

const PASSING_TEST = '. /app/app.sh\necho "all 3 tests passed"\n';
const TESTED = { skipTests: false };
const NAMES = rolloutNames('todo', 'dev');
const NO_OP = () => {};

/** A deployment whose tasks crash (the first run's failing step is the watch); the world is put right after it. */
const crashLoop = { make: (work: string) => scenario(work, 'crash-loop'), undo: (work: string) => scenario(work, 'success') };

function deleteLogGroup(name: string) {
  return (work: string) =>
    changeAccount(work, (state) => {
      delete state.logs?.groups['us-east-1']?.[name];
    });
}

/** Everything the first bootstrap made for an IAM user the second one no longer names. */
function userLeftovers(name: string) {
  return (state: SandboxState) => {
    delete state.iam.users[name];
    for (const [serial, device] of Object.entries(state.iam.mfaDevices)) if (serial.endsWith(`/${name}`) || (device as { user?: string }).user === name) delete state.iam.mfaDevices[serial];
  };
}

/**
 * Every case. `images`: the rollout worlds' v2 and v3 (the same in every copy of a template, not across
 * templates: an image of another world's account is not in this one's ECR). `fast` marks the ones
 * `npm test` runs too (test/flows/changed-input.test.ts).
 */
export function changeCases(images: WorldImages): (ChangeCase & { fast?: Stop[] })[] {
  return [
    // ── publish, with real docker and a registry ──
    {
      name: 'publish: a new commit after a run that tested the old one',
      flow: 'publish',
      change: 'new commit',
      world: 'publish',
      before: TESTED,
      after: TESTED,
      apply: (work) => commit(work, { 'app.sh': 'echo "v2"\n' }, 'v2'),
      stops: ['start:release-build', 'start:login', 'log:push', 'start:record'],
      mustApply: ['test-stage', 'release-build', 'push'],
      fast: ['start:release-build'],
    },
    {
      name: 'publish: a new commit whose tests fail, after a run that tested the old one',
      flow: 'publish',
      change: 'new commit',
      world: 'publish',
      before: TESTED,
      after: TESTED,
      apply: (work) => commit(work, { 'app.sh': 'echo "v2"\n', 'test.sh': FAILING_TEST }, 'v2, tests failing'),
      stops: ['start:release-build', 'start:push'],
      fast: ['start:release-build'],
    },
    {
      name: 'publish: a new commit fixing the tests that failed',
      flow: 'publish',
      change: 'new commit',
      world: 'publish-failing-tests',
      before: TESTED,
      after: TESTED,
      apply: (work) => commit(work, { 'test.sh': PASSING_TEST }, 'tests fixed'),
      stops: ['fail'],
      failing: { make: NO_OP, undo: NO_OP },
      mustApply: ['test-stage'],
    },
    {
      name: 'publish: a dirty tree edited again (--allow-dirty)',
      flow: 'publish',
      change: 'dirty tree edited',
      world: 'publish-dirty',
      before: { allowDirty: true },
      after: { allowDirty: true },
      apply: (work) => editApp(work, 'uncommitted 2'),
      stops: ['done', 'start:record', 'log:push'],
      mustApply: ['release-build', 'push'],
      fast: ['done'],
    },
    {
      name: 'publish: a new commit, killed between the version push and :latest',
      flow: 'publish',
      change: 'new commit',
      world: 'publish-published',
      changeFirst: true,
      apply: (work) => commit(work, { 'app.sh': 'echo "v2"\n' }, 'v2'),
      stops: ['logmatch:push:^[0-9a-f]{7,}: digest: sha256:'],
      fast: ['logmatch:push:^[0-9a-f]{7,}: digest: sha256:'],
    },
    {
      name: 'publish: another --keep-images',
      flow: 'publish',
      change: 'another flag value',
      world: 'publish',
      after: { keepImages: 7 },
      apply: NO_OP,
      stops: ['start:push', 'done'],
    },
    {
      name: 'publish: the ECR lifecycle policy deleted by hand',
      flow: 'publish',
      change: 'deleted by hand',
      world: 'publish',
      apply: (work) =>
        changeAccount(work, (state) => {
          for (const repository of Object.values(state.ecr?.repositories['us-east-1'] ?? {})) delete repository.lifecyclePolicy;
        }),
      stops: ['start:push', 'done'],
    },
    // ── rollout on Fargate ──
    {
      name: 'rollout (Fargate): a new --image after a failed rollout',
      flow: 'rollout',
      change: 'new --image',
      world: 'fargate',
      after: { image: images.fargate.v3 },
      apply: NO_OP,
      stops: ['fail', 'start:service', 'start:watch', 'log:watch', 'start:task-definition'],
      failing: crashLoop,
      mustApply: ['task-definition', 'service'],
      fast: ['fail'],
    },
    {
      name: 'rollout (Fargate): a new `slipway publish` after a rollout',
      flow: 'rollout',
      change: 'new publish',
      world: 'fargate',
      apply: (work) => publishRecorded(work, 'v2'),
      stops: ['fail', 'done', 'start:service', 'log:watch'],
      failing: crashLoop,
      mustApply: ['task-definition', 'service'],
      fast: ['fail'],
    },
    {
      name: 'rollout (Fargate): desiredCount changed in the environment file',
      flow: 'rollout',
      change: 'environment file',
      world: 'fargate',
      apply: (work) => editEnvironment(work, (s) => void (s.desiredCount = 2)),
      stops: ['start:service', 'log:watch', 'done'],
    },
    {
      name: 'rollout (Fargate): size changed in the environment file',
      flow: 'rollout',
      change: 'environment file',
      world: 'fargate',
      apply: (work) => editEnvironment(work, (s) => Object.assign(s, { cpu: 512, memory: 1024 })),
      stops: ['start:service', 'start:task-definition', 'done'],
      mustApply: ['task-definition', 'service'],
    },
    {
      name: 'rollout (Fargate): the log group deleted by hand',
      flow: 'rollout',
      change: 'deleted by hand',
      world: 'fargate',
      apply: deleteLogGroup(NAMES.logGroup),
      stops: ['start:service', 'done'],
    },
    {
      name: 'rollout (Fargate): another --watch-minutes',
      flow: 'rollout',
      change: 'another flag value',
      world: 'fargate',
      after: { watchMinutes: 5 },
      apply: NO_OP,
      stops: ['log:watch', 'start:listener'],
    },
    // ── rollout on EC2 and Express ──
    {
      name: 'rollout (EC2): a new --image after a failed rollout',
      flow: 'rollout',
      change: 'new --image',
      world: 'ec2',
      after: { image: images.ec2.v3 },
      apply: NO_OP,
      stops: ['fail', 'start:service', 'log:watch'],
      failing: crashLoop,
      mustApply: ['task-definition', 'service'],
    },
    {
      name: 'rollout (EC2): desiredCount changed in the environment file',
      flow: 'rollout',
      change: 'environment file',
      world: 'ec2',
      apply: (work) => editEnvironment(work, (s) => void (s.desiredCount = 2)),
      stops: ['start:service', 'done'],
    },
    {
      name: 'rollout (Express): a new `slipway publish`',
      flow: 'rollout',
      change: 'new publish',
      world: 'express',
      apply: (work) => publishRecorded(work, 'v2'),
      stops: ['start:service', 'log:watch', 'done'],
      mustApply: ['service'],
    },
    {
      // Not after a failed one: the sandbox's Express services run no tasks, so a crash loop cannot fail them.
      name: 'rollout (Express): a new --image after an interrupted rollout',
      flow: 'rollout',
      change: 'new --image',
      world: 'express',
      after: { image: images.express.v2 },
      apply: NO_OP,
      stops: ['start:watch', 'start:service'],
      mustApply: ['service'],
    },
    // ── day 2 ──
    {
      name: 'teardown: --delete-logs given on the second run',
      flow: 'teardown',
      change: 'another flag value',
      world: 'day2',
      before: { deleteLogs: false },
      after: { deleteLogs: true },
      apply: NO_OP,
      stops: ['start:service', 'start:security-groups', 'start:log-group'],
    },
    {
      name: 'teardown: dev’s log group deleted by hand',
      flow: 'teardown',
      change: 'deleted by hand',
      world: 'day2',
      apply: deleteLogGroup(NAMES.logGroup),
      stops: ['start:listeners', 'start:security-groups'],
    },
    {
      name: 'run: another command',
      flow: 'run',
      change: 'another flag value',
      world: 'day2',
      after: { command: JSON.stringify(['sh', '-c', 'echo seeding; exit 4']) },
      apply: NO_OP,
      stops: ['start:task', 'start:wait', 'log:wait'],
    },
    {
      name: 'run: dev’s log group deleted by hand',
      flow: 'run',
      change: 'deleted by hand',
      world: 'day2',
      apply: deleteLogGroup(NAMES.logGroup),
      // Before its task started: a task that already ran has its outcome, whatever is deleted afterwards.
      stops: ['start:task'],
    },
    {
      name: 'status: dev’s log group deleted by hand',
      flow: 'status',
      change: 'deleted by hand',
      world: 'day2',
      apply: deleteLogGroup(NAMES.logGroup),
      stops: ['start:report', 'call:2'],
    },
    {
      name: 'doctor: ~/.aws/config written between the runs',
      flow: 'doctor',
      change: 'another flag value',
      world: 'plain',
      apply: (work) => {
        mkdirSync(join(work, 'home', '.aws'), { recursive: true });
        writeFileSync(join(work, 'home', '.aws', 'config'), '[default]\nregion = eu-west-1\n', { mode: 0o600 });
      },
      // The plain world has no credentials: doctor makes no account call, and is done well before 300 ms.
      stops: ['start:credentials', 'done'],
    },
    // ── bootstrap ──
    {
      name: 'bootstrap: another --user-name',
      flow: 'bootstrap',
      change: 'another flag value',
      world: 'plain',
      after: { userName: 'bob' },
      apply: NO_OP,
      stops: ['start:console-password', 'start:access-key'],
      leftovers: userLeftovers('alice'),
    },
    {
      name: 'bootstrap: the user’s group membership deleted by hand',
      flow: 'bootstrap',
      change: 'deleted by hand',
      world: 'plain',
      apply: (work) =>
        changeAccount(work, (state) => {
          const alice = state.iam.users.alice;
          if (alice) alice.groups = alice.groups.filter((m) => m.group !== 'Administrators');
        }),
      stops: ['done', 'start:cli-profile'],
    },
  ];
}
