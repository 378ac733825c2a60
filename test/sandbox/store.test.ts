import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateGroupCommand, CreateUserCommand, GetUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, sandboxFile } from '../../src/sandbox/store.js';
import { adminClients, caught, T0 } from './support.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-sandbox-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('a new sandbox', () => {
  it('is one account with a bootstrap admin whose keys work', async () => {
    const sandbox = createSandbox();
    expect(sandbox.accountId).toMatch(/^[1-9]\d{11}$/);
    const credentials = sandbox.adminCredentials();
    expect(credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(credentials.secretAccessKey).toHaveLength(40);
    const identity = await adminClients(sandbox).sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: sandbox.accountId, Arn: `arn:aws:iam::${sandbox.accountId}:user/sandbox-admin` });
    const state = sandbox.snapshot();
    expect(state.iam.users['sandbox-admin']?.attachedPolicies).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(state.iam.policies['arn:aws:iam::aws:policy/AdministratorAccess']?.awsManaged).toBe(true);
  });

  it('gets its own random account id', () => {
    expect(createSandbox().accountId).not.toBe(createSandbox().accountId);
  });

  it('is reproducible from a seed', () => {
    const a = createSandbox({ seed: 'demo' });
    const b = createSandbox({ seed: 'demo' });
    expect(a.accountId).toBe(b.accountId);
    expect(a.adminCredentials()).toEqual(b.adminCredentials());
    expect(createSandbox({ seed: 'other' }).accountId).not.toBe(a.accountId);
  });
});

describe('persistence', () => {
  it('lives in $XDG_STATE_HOME/slipway/sandbox/<name>.json, readable only by its owner', () => {
    const state = tempDir();
    const env = { XDG_STATE_HOME: state, HOME: state };
    const sandbox = createSandbox({ name: 'demo', env });
    expect(sandbox.file).toBe(join(state, 'slipway', 'sandbox', 'demo.json'));
    expect(sandboxFile('demo', env)).toBe(sandbox.file);
    expect(statSync(sandbox.file!).mode & 0o777).toBe(0o600);
    expect(() => sandboxFile('../escape', env)).toThrow(/not a sandbox name/);
  });

  it('shares one account between two instances on the same file, in both directions', async () => {
    const file = join(tempDir(), 'account.json');
    const first = createSandbox({ file });
    await adminClients(first).iam.send(new CreateUserCommand({ UserName: 'alice' }));

    const second = createSandbox({ file });
    expect(second.accountId).toBe(first.accountId);
    expect((await adminClients(second).iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.UserName).toBe('alice');

    // The first instance sees what the second one wrote after it was opened (another process, say).
    await adminClients(second).iam.send(new CreateGroupCommand({ GroupName: 'Users' }));
    expect(first.snapshot().iam.groups.Users).toBeDefined();
  });

  it('writes after every mutating call, and only after a successful one', async () => {
    const file = join(tempDir(), 'account.json');
    const sandbox = createSandbox({ file });
    const { iam } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect(JSON.parse(readFileSync(file, 'utf8')).iam.users.alice.name).toBe('alice');

    const before = readFileSync(file, 'utf8');
    await caught(iam.send(new CreateUserCommand({ UserName: 'alice' })));
    await iam.send(new ListAccessKeysCommand({}));
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('keeps the sandbox clock in the file', () => {
    const file = join(tempDir(), 'account.json');
    const sandbox = createSandbox({ file, now: () => T0 });
    sandbox.clock.advance(90_000);
    expect(createSandbox({ file, now: () => T0 }).clock.now()).toBe(T0 + 90_000);
  });

  it('keeps the propagation delay of the file unless told otherwise', () => {
    const file = join(tempDir(), 'account.json');
    createSandbox({ file, propagationSeconds: 5 });
    expect(createSandbox({ file }).propagationSeconds).toBe(5);
    expect(createSandbox({ file, propagationSeconds: 0 }).propagationSeconds).toBe(0);
  });

  it('refuses a file that is not a sandbox, saying how to start over', () => {
    const file = join(tempDir(), 'account.json');
    writeFileSync(file, '{"hello":"world"}');
    expect(() => createSandbox({ file })).toThrow(/not a slipway sandbox file.*delete it/);
    writeFileSync(file, '{');
    expect(() => createSandbox({ file })).toThrow(/not a readable slipway sandbox file/);
  });

  it('never leaves a temp file behind', async () => {
    const dir = tempDir();
    const sandbox = createSandbox({ file: join(dir, 'account.json') });
    await adminClients(sandbox).iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect(readdirSync(dir)).toEqual(['account.json']);
  });
});

describe('calls', () => {
  it('run one at a time, so concurrent creates of one name yield exactly one winner', async () => {
    const sandbox = createSandbox();
    const { iam } = adminClients(sandbox);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => iam.send(new CreateUserCommand({ UserName: 'alice' }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.name)).toEqual(Array(4).fill('EntityAlreadyExistsException'));
  });

  it('hand out copies: changing an output does not change the account', async () => {
    const sandbox = createSandbox();
    const { iam } = adminClients(sandbox);
    const out = await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'a' }] }));
    out.User!.Tags![0]!.Value = 'changed';
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
  });
});
