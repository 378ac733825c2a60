import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import { lifecyclePolicy, lifecyclePolicyDocument, sameLifecyclePolicy, validateKeepImages } from '../../recipes/ecr/lifecycle.js';
import type { LifecyclePolicy } from '../../recipes/ecr/lifecycle.js';

const goldenText = readFileSync(new URL('./golden/lifecycle-policy.keep-30.json', import.meta.url), 'utf8');

describe('ECR lifecycle policy recipe (golden)', () => {
  it('is exactly the golden policy, as compact JSON in the same key order', () => {
    expect(lifecyclePolicy(30)).toBe(JSON.stringify(JSON.parse(goldenText)));
  });

  it('fills keep as a number, in the count and in the description', () => {
    const policy = lifecyclePolicyDocument(7);
    expect(policy.rules[1]?.selection.countNumber).toBe(7);
    expect(policy.rules[1]?.description).toBe('Keep the newest 7 images');
    expect(lifecyclePolicy(1000)).not.toContain('{{');
  });

  it('follows ECR’s rules for a policy', () => {
    const { rules } = lifecyclePolicyDocument(30);
    const priorities = rules.map((r) => r.rulePriority);
    expect(new Set(priorities).size).toBe(priorities.length);
    // A tagStatus "any" rule must carry the highest priority number.
    const any = rules.filter((r) => r.selection.tagStatus === 'any');
    for (const rule of any) expect(rule.rulePriority).toBe(Math.max(...priorities));
    expect(rules.filter((r) => r.selection.tagStatus === 'untagged')).toHaveLength(1);
    for (const rule of rules.filter((r) => r.selection.tagStatus === 'tagged')) {
      expect(rule.selection.tagPrefixList ?? rule.selection.tagPatternList).toBeDefined();
    }
    expect(rules.every((r) => r.action.type === 'expire')).toBe(true);
    expect(lifecyclePolicy(1000).length).toBeLessThanOrEqual(30720);
  });

  // The golden was taken from the shared reference; when it is beside the repo, check they still agree.
  const reference = new URL('../../../shared/reference/build-and-publish.md', import.meta.url);
  it.runIf(existsSync(reference))('agrees with shared/reference/build-and-publish.md §8', () => {
    const section = readFileSync(reference, 'utf8').split('## 8. Lifecycle policy')[1]?.split('\n## ')[0] ?? '';
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? '') as unknown);
    expect(blocks).toHaveLength(2);
    const [bookPolicy, secondRule] = blocks as [LifecyclePolicy, LifecyclePolicy['rules'][number]];
    expect(lifecyclePolicyDocument(50)).toEqual({ rules: [...bookPolicy.rules, secondRule] });
  });
});

describe('keep validation', () => {
  it('takes whole numbers from 1 to 1000', () => {
    for (const ok of [1, 30, 1000]) expect(validateKeepImages(ok)).toBeUndefined();
    for (const bad of [0, -1, 1001, 2.5, Number.NaN, '30', undefined]) expect(validateKeepImages(bad), String(bad)).toMatch(/whole number from 1 to 1000/);
  });
  it('refuses to build a policy from a bad number, as a usage error', () => {
    expect(() => lifecyclePolicy(0)).toThrow(UsageError);
    expect(() => lifecyclePolicy(1.5)).toThrow(/Cannot keep 1.5 images/);
  });
});

describe('lifecycle policy comparison', () => {
  it('treats ECR’s reformatted text (keys and rules reordered, whitespace) as the same', () => {
    const ours = lifecyclePolicyDocument(30);
    const fromEcr = JSON.stringify({
      rules: [...ours.rules].reverse().map((r) => ({ action: r.action, selection: { ...r.selection }, description: r.description, rulePriority: r.rulePriority })),
    });
    expect(sameLifecyclePolicy(fromEcr, lifecyclePolicy(30))).toBe(true);
    expect(sameLifecyclePolicy(goldenText, lifecyclePolicy(30))).toBe(true);
    expect(sameLifecyclePolicy(ours, lifecyclePolicy(30))).toBe(true);
  });
  it('sees a different count, a missing rule, or text that is not JSON', () => {
    expect(sameLifecyclePolicy(lifecyclePolicy(31), lifecyclePolicy(30))).toBe(false);
    const one = { rules: lifecyclePolicyDocument(30).rules.slice(0, 1) };
    expect(sameLifecyclePolicy(one, lifecyclePolicy(30))).toBe(false);
    expect(sameLifecyclePolicy('not json', 'not json')).toBe(false);
  });
});
