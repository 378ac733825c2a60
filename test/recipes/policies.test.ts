import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminTrustPolicy, assumeAdminRolePolicy, parsePolicyDocument, requireMfaPolicy, samePolicy } from '../../recipes/iam/policies.js';

const ACCOUNT = '123456789012';
const golden = (name: string) => JSON.parse(readFileSync(new URL(`./golden/${name}.${ACCOUNT}.json`, import.meta.url), 'utf8')) as unknown;

describe('IAM policy recipes (golden)', () => {
  it('admin role trust: the account root, MFA required', () => {
    expect(adminTrustPolicy(ACCOUNT)).toEqual(golden('admin-trust-policy'));
  });
  it('AssumeAdminRole inline policy on Administrators', () => {
    expect(assumeAdminRolePolicy(ACCOUNT, 'admin')).toEqual(golden('assume-admin-role-policy'));
    expect(JSON.stringify(assumeAdminRolePolicy(ACCOUNT, 'ops'))).toContain(`arn:aws:iam::${ACCOUNT}:role/ops`);
  });
  it('RequireMFAPolicy: complete, account substituted, IAM policy variables untouched, under the size limit', () => {
    const policy = requireMfaPolicy(ACCOUNT);
    expect(policy).toEqual(golden('require-mfa-policy'));
    const text = JSON.stringify(policy);
    expect(text).not.toContain('{{');
    expect(text).toContain('user/${aws:username}');
    expect(text.replace(/\s/g, '').length).toBeLessThan(6144);
  });

  // The goldens were taken from the shared reference; when it is beside the repo, check they still agree.
  const reference = new URL('../../../shared/reference/account-bootstrap.md', import.meta.url);
  it.runIf(existsSync(reference))('agree with shared/reference/account-bootstrap.md', () => {
    const blocks = [...readFileSync(reference, 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(requireMfaPolicy(ACCOUNT)).toEqual(JSON.parse((blocks[2] ?? '').replaceAll('PASTE_ACCOUNT_NUMBER', ACCOUNT)));
    expect(assumeAdminRolePolicy(ACCOUNT, 'admin')).toEqual(JSON.parse((blocks[1] ?? '').replace('<account-id>', ACCOUNT)));
  });
});

describe('policy comparison', () => {
  it('treats IAM’s URL-encoded, reordered documents as equal', () => {
    const doc = requireMfaPolicy(ACCOUNT);
    const fromIam = encodeURIComponent(JSON.stringify({ Statement: doc.Statement, Version: doc.Version }));
    expect(samePolicy(parsePolicyDocument(fromIam), doc)).toBe(true);
    expect(samePolicy(parsePolicyDocument(JSON.stringify(doc)), adminTrustPolicy(ACCOUNT))).toBe(false);
  });
});
