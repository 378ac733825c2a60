import { fault } from './errors.js';

/** One statement of an IAM policy document, as JSON gives it. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Condition keys of the request, lower-cased (IAM condition keys are case-insensitive). */
export type RequestContext = Record<string, string | undefined>;

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

const malformed = (message: string) => fault('MalformedPolicyDocument', message, 400);

/**
 * Parses and checks a policy document the way IAM does on write, with IAM's messages.
 * `identity` documents (inline, managed) must not name a principal; `trust` documents must, and may
 * only name principals that exist (`principalExists` decides for ARNs in this account).
 */
export function parsePolicy(text: string, kind: 'identity' | 'trust', principalExists: (arn: string) => boolean = () => true): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('Syntax errors in policy.');
  const { Version, Statement: raw } = doc as { Version?: unknown; Statement?: unknown };
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') throw malformed('The policy failed legacy parsing');
  if (raw === undefined) throw malformed('Syntax errors in policy.');
  const statements = (Array.isArray(raw) ? raw : [raw]) as unknown[];
  for (const s of statements) checkStatement(s, kind, principalExists);
  return statements as Statement[];
}

function checkStatement(s: unknown, kind: 'identity' | 'trust', principalExists: (arn: string) => boolean): void {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw malformed('Syntax errors in policy.');
  const st = s as Partial<Statement>;
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
  if (st.Action === undefined && st.NotAction === undefined) throw malformed('Missing required field Action');
  for (const action of list(st.Action ?? st.NotAction)) {
    if (action !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(action)) {
      throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    }
  }
  if (kind === 'identity') {
    if (st.Principal !== undefined) throw malformed('Policy document should not specify a principal.');
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed('Policy statement must contain resources.');
    return;
  }
  if (st.Resource !== undefined) throw malformed('Has prohibited field Resource');
  if (st.Principal === undefined) throw malformed('Missing required field Principal');
  if (st.Principal === '*') return;
  for (const [type, values] of Object.entries(st.Principal)) {
    for (const value of list(values)) {
      if (type === 'AWS' && !validAwsPrincipal(value, principalExists)) throw malformed(`Invalid principal in policy: "AWS":"${value}"`);
    }
  }
}

function validAwsPrincipal(value: string, principalExists: (arn: string) => boolean): boolean {
  if (value === '*' || /^\d{12}$/.test(value) || /^arn:aws:iam::\d{12}:root$/.test(value)) return true;
  if (!/^arn:aws:(iam|sts)::\d{12}:(user|role|assumed-role)\/.+/.test(value)) return false;
  return principalExists(value);
}

/** IAM's evaluation for one request against identity policies: an explicit Deny wins, then any Allow. */
export function evaluate(documents: string[], action: string, resource: string, context: RequestContext): Decision {
  let allowed = false;
  for (const doc of documents) {
    for (const st of statementsOf(doc)) {
      if (!actionMatches(st, action) || !resourceMatches(st, resource, context) || !conditionsHold(st.Condition, context)) continue;
      if (st.Effect === 'Deny') return 'explicit-deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/**
 * How a role's trust policy treats a caller for `action`: `direct` when it names the caller itself (then
 * no identity policy is needed inside the account), `account` when it trusts the caller's account
 * (then an identity policy must allow too), `deny` or undefined otherwise.
 */
export function trustDecision(document: string, callerArns: string[], accountId: string, action: string, context: RequestContext): 'direct' | 'account' | 'deny' | undefined {
  let result: 'direct' | 'account' | undefined;
  for (const st of statementsOf(document)) {
    if (!actionMatches(st, action) || !conditionsHold(st.Condition, context)) continue;
    const principals = st.Principal === '*' ? ['*'] : list(st.Principal?.AWS);
    const names = principals.some((p) => callerArns.includes(p));
    const account = principals.some((p) => p === '*' || p === accountId || p === `arn:aws:iam::${accountId}:root`);
    if (!names && !account) continue;
    if (st.Effect === 'Deny') return 'deny';
    result = names || result === 'direct' ? 'direct' : 'account';
  }
  return result;
}

function statementsOf(doc: string): Statement[] {
  try {
    const parsed = JSON.parse(doc) as { Statement?: Statement | Statement[] };
    return parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  } catch {
    return []; // stored documents were validated on write; an unreadable one grants nothing
  }
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function actionMatches(st: Statement, action: string): boolean {
  if (st.NotAction !== undefined) return !list(st.NotAction).some((p) => wildcard(p, action, true));
  return list(st.Action).some((p) => wildcard(p, action, true));
}

function resourceMatches(st: Statement, resource: string, context: RequestContext): boolean {
  const matches = (pattern: string) => {
    const expanded = substitute(pattern, context);
    return expanded !== undefined && wildcard(expanded, resource, false);
  };
  if (st.NotResource !== undefined) return !list(st.NotResource).some(matches);
  return list(st.Resource).some(matches);
}

/** `${aws:username}` and friends; a variable the request does not carry makes the pattern match nothing. */
function substitute(pattern: string, context: RequestContext): string | undefined {
  let missing = false;
  const out = pattern.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
    const value = context[key.toLowerCase()];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : out;
}

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * The condition operators the bootstrap policies use, with IAM's semantics for absent keys: `Null`
 * tests presence, `…IfExists` holds when the key is absent, every other operator fails on an absent key.
 * Operators the sandbox does not know never hold, so it never grants more than AWS would via an Allow.
 */
function conditionsHold(condition: Statement['Condition'], context: RequestContext): boolean {
  if (!condition) return true;
  for (const [rawOperator, block] of Object.entries(condition)) {
    const ifExists = rawOperator.endsWith('IfExists');
    const operator = ifExists ? rawOperator.slice(0, -'IfExists'.length) : rawOperator;
    for (const [key, expected] of Object.entries(block)) {
      const wanted = (Array.isArray(expected) ? expected : [expected]).map(String);
      const actual = context[key.toLowerCase()];
      if (operator === 'Null') {
        if ((actual === undefined) !== (wanted[0]?.toLowerCase() === 'true')) return false;
        continue;
      }
      if (actual === undefined) {
        if (!ifExists) return false;
        continue;
      }
      if (!operatorHolds(operator, actual, wanted)) return false;
    }
  }
  return true;
}

function operatorHolds(operator: string, actual: string, wanted: string[]): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return wanted.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !wanted.includes(actual);
    case 'StringEqualsIgnoreCase':
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return wanted.some((w) => wildcard(w, actual, false));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !wanted.some((w) => wildcard(w, actual, false));
    case 'Bool':
      return wanted.some((w) => w.toLowerCase() === actual.toLowerCase());
    case 'NumericLessThan':
      return wanted.some((w) => Number(actual) < Number(w));
    case 'NumericLessThanEquals':
      return wanted.some((w) => Number(actual) <= Number(w));
    case 'NumericGreaterThan':
      return wanted.some((w) => Number(actual) > Number(w));
    case 'NumericGreaterThanEquals':
      return wanted.some((w) => Number(actual) >= Number(w));
    default:
      return false;
  }
}
