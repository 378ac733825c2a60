import adminTrust from './admin-trust-policy.json' with { type: 'json' };
import assumeAdminRole from './assume-admin-role-policy.json' with { type: 'json' };
import requireMfa from './require-mfa-policy.json' with { type: 'json' };

/**
 * The IAM documents of the account bootstrap (shared/reference/account-bootstrap.md §4), as data with
 * `{{account-id}}` / `{{role-name}}` placeholders. `${aws:username}` is an IAM policy variable and is
 * left alone.
 */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

export const AdministratorAccessArn = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** Trust of role `admin`: the account's own principals, only with MFA (the console's "Require MFA"). */
export function adminTrustPolicy(accountId: string): PolicyDocument {
  return fill(adminTrust, { 'account-id': accountId });
}

/** Inline policy `AssumeAdminRole` on group `Administrators`. */
export function assumeAdminRolePolicy(accountId: string, roleName: string): PolicyDocument {
  return fill(assumeAdminRole, { 'account-id': accountId, 'role-name': roleName });
}

/** Managed policy `RequireMFAPolicy` on group `Users`: self-service, and nothing else without MFA. */
export function requireMfaPolicy(accountId: string): PolicyDocument {
  return fill(requireMfa, { 'account-id': accountId });
}

function fill(template: unknown, values: Record<string, string>): PolicyDocument {
  const text = JSON.stringify(template).replace(/\{\{([a-z-]+)\}\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`Recipe placeholder ${whole} has no value.`);
    return value;
  });
  return JSON.parse(text) as PolicyDocument;
}

/**
 * IAM returns policy documents URL-encoded and may reorder nothing but whitespace; compare parsed
 * JSON, not text, to decide whether a policy must be updated.
 */
export function samePolicy(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export function parsePolicyDocument(document: string): unknown {
  const decoded = /^%7B/i.test(document) || document.includes('%22') ? decodeURIComponent(document) : document;
  return JSON.parse(decoded);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
