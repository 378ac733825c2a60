import { runKillableChild } from '../../support/killable-child.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../../src/sandbox/store.js';
import type { SandboxState } from '../../../src/sandbox/state.js';
import { buildChild } from '../../support/build-child.js';

const STEPS = ['identity', 'account-alias', 'admin-role', 'admin-group', 'require-mfa-policy', 'users-group', 'user', 'console-password', 'mfa-device', 'access-key', 'cli-profile', 'verify', 'key-pair'];

let child: string;
let writesInFullRun = 0;
const homes: string[] = [];
beforeAll(async () => {
  child = await buildChild('test/support/bootstrap-child.ts');
  const baseline = await bootstrapOnce();
  writesInFullRun = baseline.writes;
}, 120_000);
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'slipway-bootstrap-crash-'));
  homes.push(home);
  return home;
}

async function runChild(home: string, kill?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; writes: number; stderr: string }> {
  const { code, signal, stderr, lines } = await runKillableChild(child, home, kill);
  const writes = (lines.find((e) => e.type === 'writes')?.writes as number | undefined) ?? -1;
  return { code, signal, writes, stderr };
}

async function bootstrapOnce(): Promise<{ writes: number; state: SandboxState }> {
  const home = newHome();
  const run = await runChild(home);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { writes: run.writes, state: createSandbox({ file: join(home, 'sandbox.json') }).snapshot() };
}

/** What must hold after any interrupted-then-resumed bootstrap: exactly one of everything. */
function assertConverged(home: string): void {
  const sandbox = createSandbox({ file: join(home, 'sandbox.json') });
  const state = sandbox.snapshot();
  const account = state.accountId;
  expect(Object.keys(state.iam.users).sort()).toEqual(['alice', 'sandbox-admin']);
  expect(state.iam.users.alice?.accessKeys).toHaveLength(1);
  expect(state.iam.users.alice?.groups.map((g) => g.group).sort()).toEqual(['Administrators', 'Users']);
  expect(Object.keys(state.iam.roles)).toEqual(['admin']);
  expect(Object.values(state.iam.mfaDevices)).toHaveLength(1);
  expect(Object.values(state.iam.mfaDevices)[0]?.user).toBe('alice');
  expect(state.iam.policies[`arn:aws:iam::${account}:policy/RequireMFAPolicy`]?.versions).toHaveLength(1);
  expect(Object.keys(state.ec2.keyPairs['us-east-1'] ?? {})).toEqual(['admin']);
  // The key in the credentials file is the one IAM has, and the key pair matches the local file.
  const credentials = readFileSync(join(home, '.aws', 'credentials'), 'utf8');
  expect(credentials).toContain(state.iam.users.alice?.accessKeys[0]?.id ?? 'missing');
  expect(credentials.match(/^\[/gm)).toHaveLength(1);
  expect(readFileSync(join(home, '.aws', 'config'), 'utf8').match(/^\[/gm)).toHaveLength(1);
}

describe('bootstrap killed with SIGKILL anywhere, then resumed', () => {
  it('an uninterrupted run converges (the reference)', () => {
    expect(writesInFullRun).toBeGreaterThan(15);
  });

  it.each(STEPS)('killed as step %s starts', async (step) => {
    const home = newHome();
    expect((await runChild(home, `start:${step}`)).signal).toBe('SIGKILL');
    // A minute and a half later (fresh MFA codes), the person runs it again.
    createSandbox({ file: join(home, 'sandbox.json') }).clock.advance(90_000);
    const resumed = await runChild(home);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    assertConverged(home);
  });

  it('killed right after each call that changed the account', async () => {
    for (let write = 1; write <= writesInFullRun; write++) {
      const home = newHome();
      const killed = await runChild(home, `write:${write}`);
      expect(killed.signal, `kill after write ${write}`).toBe('SIGKILL');
      createSandbox({ file: join(home, 'sandbox.json') }).clock.advance(90_000);
      const resumed = await runChild(home);
      expect(resumed.stderr, `resume after write ${write}`).toBe('');
      expect(resumed.code, `resume after write ${write}`).toBe(0);
      assertConverged(home);
    }
  }, 600_000);
});
