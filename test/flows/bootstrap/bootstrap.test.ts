import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/engine/journal.js';
import { requireMfaPolicy } from '../../../recipes/iam/policies.js';
import { Person } from './person.js';
import { runBootstrap, useWorlds, watchCalls } from './harness.js';

const world = useWorlds();

describe('slipway bootstrap against the sandbox account', () => {
  it('sets the account up: role, groups, policy, user with MFA, key, profile, verified session, key pair', async () => {
    const w = world();
    const person = new Person();
    const { result, how } = await runBootstrap(w, person);
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    const account = w.sandbox.accountId;
    const state = w.sandbox.snapshot();

    expect(Object.keys(state.iam.roles)).toContain('admin');
    expect(state.iam.groups.Administrators?.inlinePolicies).toHaveProperty('AssumeAdminRole');
    const policy = state.iam.policies[`arn:aws:iam::${account}:policy/RequireMFAPolicy`];
    expect(JSON.parse(policy?.versions.find((v) => v.id === policy.defaultVersionId)?.document ?? '{}')).toEqual(requireMfaPolicy(account));
    expect(state.iam.users.alice?.groups.map((g) => g.group).sort()).toEqual(['Administrators', 'Users']);
    expect(state.iam.mfaDevices[`arn:aws:iam::${account}:mfa/alice`]?.user).toBe('alice');
    expect(state.ec2.keyPairs['us-east-1']?.admin).toBeDefined();
    expect(state.iam.users.alice?.loginProfile?.passwordResetRequired).toBe(true);
    expect(state.iam.users.alice?.accessKeys).toHaveLength(1);
    // No alias asked for (the newcomer's empty answer) and none there: not needed, not "already in place".
    expect(how).toMatchObject({ identity: 'checked', 'account-alias': 'not-needed', 'admin-role': 'applied', verify: 'applied', 'key-pair': 'applied' });

    const config = readFileSync(w.env.AWS_CONFIG_FILE ?? '', 'utf8');
    expect(config).toContain('[profile acme]');
    expect(config).toContain(`role_arn = arn:aws:iam::${account}:role/admin`);
    expect(config).toContain(`mfa_serial = arn:aws:iam::${account}:mfa/alice`);
    expect(config).toContain('role_session_name = alice');
    expect(config).toContain('source_profile = acme');
    expect(config).not.toContain('[default]');
    expect(statSync(w.env.AWS_SHARED_CREDENTIALS_FILE ?? '').mode & 0o777).toBe(0o600);
    expect(statSync(join(w.home, '.ssh', 'admin.pem')).mode & 0o777).toBe(0o600);
    expect(result.outputs.verify?.assumedRoleArn).toBe(`arn:aws:sts::${account}:assumed-role/admin/alice`);
    expect(result.summary.join('\n')).toMatch(/export AWS_PROFILE=acme/);
    expect(result.summary.join('\n')).toContain(`https://${account}.signin.aws.amazon.com/console`);

    // Secrets reached the person and the credentials file, and nothing else.
    const secretKey = state.iam.users.alice?.accessKeys[0]?.secret ?? 'missing';
    const journal = readFileSync(result.journalPath, 'utf8');
    for (const secret of [secretKey, person.password ?? 'missing', person.seed ?? 'missing']) expect(journal).not.toContain(secret);
    expect(readFileSync(w.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8')).toContain(secretKey);
    expect(readJournal(result.journalPath).answers).toEqual(expect.objectContaining({ userName: 'alice', profileName: 'acme' }));
  });

  it('running it again changes nothing: every step is confirmed by read calls only', async () => {
    const w = world();
    await runBootstrap(w, new Person());
    const calls = watchCalls(w.sandbox);
    const person = new Person();
    const { result, how } = await runBootstrap(w, person);
    expect(result.status).toBe('done');
    expect(calls.total).toBeGreaterThan(10);
    expect(calls.mutating).toBe(0);
    expect(new Set(Object.values(how))).toEqual(new Set(['checked', 'found', 'not-needed']));
    expect(how['account-alias']).toBe('not-needed');
    // The questions are asked again (a new run), but nothing that needs a person's device or eyes.
    expect(person.asked.filter((a) => ['qr', 'secret', 'mfa-code-1'].includes(a) || a.startsWith('mfa:'))).toEqual([]);
  });

  it('a wrong pair of MFA codes gets another try, not a failed flow', async () => {
    const w = world();
    let tries = 0;
    const person = new Person();
    const original = person.text.bind(person);
    person.text = async (ask) => (ask.id === 'mfa-code-1' && tries++ === 0 ? '000000' : original(ask));
    const { result } = await runBootstrap(w, person);
    expect(result.failures).toEqual([]);
    expect(tries).toBe(2); // the wrong first code, then a fresh pair that worked
    expect(result.outputs['mfa-device']).toEqual({ serial: `arn:aws:iam::${w.sandbox.accountId}:mfa/alice` });
  });
});
