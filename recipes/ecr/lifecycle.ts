import { UsageError } from '../../src/engine/errors.js';
import { samePolicy } from '../iam/policies.js';
import template from './lifecycle-policy.json' with { type: 'json' };

/**
 * The ECR lifecycle policy of every repository slipway creates (shared/reference/build-and-publish.md
 * §8): untagged images — left behind each time `latest` moves — expire after 7 days; beyond that, only
 * the newest `keep` images stay. The second rule selects `tagStatus: any`, so ECR requires it to carry
 * the highest priority number; `{{keep}}` in the JSON is filled in here.
 */
export interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: {
    tagStatus: 'untagged' | 'tagged' | 'any';
    countType: 'sinceImagePushed' | 'imageCountMoreThan';
    countUnit?: 'days';
    countNumber: number;
    tagPrefixList?: string[];
    tagPatternList?: string[];
  };
  action: { type: 'expire' };
}

export interface LifecyclePolicy {
  rules: LifecycleRule[];
}

export const KEEP_IMAGES_MIN = 1;
export const KEEP_IMAGES_MAX = 1000;

/** For prompts and settings files: a message, or undefined when `keep` is usable. */
export function validateKeepImages(keep: unknown): string | undefined {
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < KEEP_IMAGES_MIN || keep > KEEP_IMAGES_MAX) {
    return `The number of images to keep is a whole number from ${KEEP_IMAGES_MIN} to ${KEEP_IMAGES_MAX}.`;
  }
  return undefined;
}

export function lifecyclePolicyDocument(keep: number): LifecyclePolicy {
  const problem = validateKeepImages(keep);
  if (problem) {
    throw new UsageError(`Cannot keep ${String(keep)} images in ECR.`, {
      why: problem,
      fix: 'Pass --keep-images with, for example, 30 — more than the number of releases you may want to roll back to.',
    });
  }
  // A quoted placeholder becomes a bare number (countNumber); one inside a sentence becomes text.
  const text = JSON.stringify(template).replaceAll('"{{keep}}"', String(keep)).replaceAll('{{keep}}', String(keep));
  return JSON.parse(text) as LifecyclePolicy;
}

/** The `lifecyclePolicyText` slipway sends with ecr:PutLifecyclePolicy: compact JSON, keys in the reference's order. */
export function lifecyclePolicy(keep: number): string {
  return JSON.stringify(lifecyclePolicyDocument(keep));
}

/**
 * ECR hands the policy back reformatted, with rules sorted by priority; compare meaning, not text,
 * so an unchanged policy is not put again. Text that is not JSON is never "the same".
 */
export function sameLifecyclePolicy(a: string | object, b: string | object): boolean {
  const left = normalised(a);
  const right = normalised(b);
  return left !== undefined && right !== undefined && samePolicy(left, right);
}

function normalised(policy: string | object): unknown {
  let value: unknown = policy;
  if (typeof policy === 'string') {
    try {
      value = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object' || !Array.isArray((value as { rules?: unknown }).rules)) return value;
  const rules = [...(value as { rules: unknown[] }).rules].sort((x, y) => priority(x) - priority(y));
  return { ...value, rules };
}

function priority(rule: unknown): number {
  const value = rule && typeof rule === 'object' ? (rule as { rulePriority?: unknown }).rulePriority : undefined;
  return typeof value === 'number' ? value : Number.MAX_SAFE_INTEGER;
}
