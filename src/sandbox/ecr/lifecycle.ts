import type {
  DeleteLifecyclePolicyRequest,
  DeleteLifecyclePolicyResponse,
  GetLifecyclePolicyRequest,
  GetLifecyclePolicyResponse,
  PutLifecyclePolicyRequest,
  PutLifecyclePolicyResponse,
} from '@aws-sdk/client-ecr';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { EcrRepository } from '../state.js';
import { invalidParameter, repositoryArn, requireRepository } from './common.js';

const failure = (detail: string) => invalidParameter('LifecyclePolicyText', `Lifecycle policy validation failure: ${detail}`);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The checks and wording of the JSON-schema validator behind ECR's lifecycle policies. */
function expectType(value: unknown, type: 'object' | 'array' | 'string' | 'integer'): void {
  if (typeName(value) !== type) throw failure(`instance type (${typeName(value)}) does not match any allowed primitive type (allowed: ["${type}"])`);
}

function expectProperties(value: Json, required: string[], allowed: string[]): void {
  const missing = required.filter((key) => !(key in value)).sort();
  if (missing.length) throw failure(`object has missing required properties (${JSON.stringify(missing)})`);
  const extra = Object.keys(value).filter((key) => !allowed.includes(key)).sort();
  if (extra.length) throw failure(`object instance has properties which are not allowed by the schema: (${JSON.stringify(extra)})`);
}

function expectEnum(value: unknown, allowed: string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw failure(`instance value (${JSON.stringify(value)}) not found in enum (possible values: ${JSON.stringify(allowed)})`);
  }
}

function expectCount(value: unknown): void {
  expectType(value, 'integer');
  if ((value as number) < 1) throw failure(`numeric instance is lower than the required minimum (minimum: 1, found: ${value as number})`);
}

function expectStrings(value: unknown): void {
  expectType(value, 'array');
  for (const item of value as unknown[]) expectType(item, 'string');
  if ((value as unknown[]).length === 0) throw failure('array is too short: must have at least 1 elements but instance has 0 elements');
}

interface Rule {
  rulePriority: number;
  tagStatus: string;
}

function checkRule(rule: unknown): Rule {
  expectType(rule, 'object');
  const r = rule as Json;
  expectProperties(r, ['rulePriority', 'selection', 'action'], ['rulePriority', 'description', 'selection', 'action']);
  expectCount(r.rulePriority);
  if (r.description !== undefined) expectType(r.description, 'string');

  expectType(r.action, 'object');
  const action = r.action as Json;
  expectProperties(action, ['type'], ['type']);
  expectEnum(action.type, ['expire']);

  expectType(r.selection, 'object');
  const selection = r.selection as Json;
  expectProperties(selection, ['tagStatus', 'countType', 'countNumber'], ['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber']);
  expectEnum(selection.tagStatus, ['any', 'tagged', 'untagged']);
  // countType selects one of two sub-schemas: days since push (with countUnit) or a count (without).
  const since = selection.countType === 'sinceImagePushed' && selection.countUnit === 'days';
  const count = selection.countType === 'imageCountMoreThan' && selection.countUnit === undefined;
  if (!since && !count) throw failure('instance failed to match exactly one schema (matched 0 out of 2)');
  expectCount(selection.countNumber);

  const lists = ['tagPrefixList', 'tagPatternList'].filter((key) => selection[key] !== undefined);
  if (selection.tagStatus === 'tagged') {
    if (lists.length === 0) throw failure('tagPrefixList or tagPatternList must be specified when tagStatus is tagged');
    if (lists.length > 1) throw failure('tagPrefixList and tagPatternList cannot both be specified in a rule');
  } else if (lists.length) {
    throw failure(`${lists[0]} can only be specified when tagStatus is tagged`);
  }
  for (const key of lists) expectStrings(selection[key]);
  for (const pattern of (selection.tagPatternList as string[] | undefined) ?? []) {
    if ((pattern.match(/\*/g) ?? []).length > 4) throw failure(`tagPatternList value '${pattern}' has more than 4 wildcards`);
  }
  return { rulePriority: r.rulePriority as number, tagStatus: selection.tagStatus as string };
}

/**
 * Validates a lifecycle policy as ECR does before storing it: the schema (rules, selection, action), then
 * the rules among themselves — unique priorities, one rule for untagged images, and a `tagStatus: any`
 * rule last (the highest rulePriority), since it would otherwise shadow the others. Returns the policy
 * as ECR keeps it (see `canonical`).
 */
export function checkLifecyclePolicy(text: string | undefined): string {
  if (text === undefined || text === null) throw invalidParameter('lifecyclePolicyText', 'Member must not be null');
  if (text.length < 100) throw invalidParameter('lifecyclePolicyText', 'Member must have length greater than or equal to 100');
  if (text.length > 30_720) throw invalidParameter('lifecyclePolicyText', 'Member must have length less than or equal to 30720');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw failure('Could not map policyString into LifecyclePolicy.');
  }
  if (!isObject(document)) throw failure('Could not map policyString into LifecyclePolicy.');
  expectProperties(document, ['rules'], ['rules']);
  expectType(document.rules, 'array');
  const rawRules = document.rules as unknown[];
  if (rawRules.length === 0) throw failure('array is too short: must have at least 1 elements but instance has 0 elements');
  const rules = rawRules.map(checkRule);

  const priorities = new Set<number>();
  for (const rule of rules) {
    if (priorities.has(rule.rulePriority)) throw failure(`Rule priorities must be unique: rulePriority ${rule.rulePriority} is used more than once`);
    priorities.add(rule.rulePriority);
  }
  if (rules.filter((r) => r.tagStatus === 'untagged').length > 1) throw failure('Only one rule can select untagged images');
  const highest = Math.max(...priorities);
  if (rules.some((r) => r.tagStatus === 'any' && r.rulePriority !== highest)) throw failure('Rule for tagStatus=ANY must have the lowest priority (the highest rulePriority)');
  return canonical(rawRules as Json[]);
}

const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = ['tagStatus', 'tagPatternList', 'tagPrefixList', 'countType', 'countUnit', 'countNumber'];

/**
 * ECR stores a policy its own way and GetLifecyclePolicy returns that, not the text that was put:
 * compact, rules sorted by priority, members in a fixed order. Flows must compare policies by meaning.
 */
function canonical(rules: Json[]): string {
  const ordered = (value: Json, keys: string[]) => Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]]));
  const sorted = [...rules].sort((a, b) => (a.rulePriority as number) - (b.rulePriority as number));
  return JSON.stringify({ rules: sorted.map((r) => ({ ...ordered(r, RULE_KEYS), selection: ordered(r.selection as Json, SELECTION_KEYS), action: { type: (r.action as Json).type } })) });
}

const policyNotFound = (ctx: CallContext, repository: EcrRepository) =>
  fault('LifecyclePolicyNotFoundException', `Lifecycle policy does not exist for the repository with name '${repository.name}' in the registry with id '${ctx.state.accountId}'`);

const byName = (input: { repositoryName?: string }, ctx: CallContext) => repositoryArn(ctx, input.repositoryName ?? '');

export const lifecycleOperations: Record<string, Operation> = {
  PutLifecyclePolicy: op<PutLifecyclePolicyRequest, Out<PutLifecyclePolicyResponse>>({
    resource: byName,
    run: (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId, true);
      repository.lifecyclePolicy = checkLifecyclePolicy(input.lifecyclePolicyText);
      // The answer echoes the text as sent; only later reads show ECR's own form.
      return { registryId: ctx.state.accountId, repositoryName: repository.name, lifecyclePolicyText: input.lifecyclePolicyText };
    },
  }),

  GetLifecyclePolicy: op<GetLifecyclePolicyRequest, Out<GetLifecyclePolicyResponse>>({
    resource: byName,
    run: (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId);
      if (repository.lifecyclePolicy === undefined) throw policyNotFound(ctx, repository);
      return { registryId: ctx.state.accountId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicy };
    },
  }),

  DeleteLifecyclePolicy: op<DeleteLifecyclePolicyRequest, Out<DeleteLifecyclePolicyResponse>>({
    resource: byName,
    run: (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId, true);
      const text = repository.lifecyclePolicy;
      if (text === undefined) throw policyNotFound(ctx, repository);
      delete repository.lifecyclePolicy;
      return { registryId: ctx.state.accountId, repositoryName: repository.name, lifecyclePolicyText: text };
    },
  }),
};
