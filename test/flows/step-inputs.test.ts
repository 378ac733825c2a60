import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The engine hides a journaled result from a step only when the step says what the result was made
 * from (Step.inputs). A step that trusts `journaled` outputs or the journal's `history` without declaring
 * its inputs would trust a result made from other inputs: every such file must declare them.
 */
const ROOT = new URL('../../flows', import.meta.url).pathname;
const TRUSTS_THE_JOURNAL = /journaled\?\.status === 'done'|\.history\?\./;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

describe('steps that trust the journal declare their inputs', () => {
  const trusting = sources(ROOT).filter((file) => TRUSTS_THE_JOURNAL.test(readFileSync(file, 'utf8')));

  it('finds the steps that trust the journal (the check is not empty)', () => {
    expect(trusting.map((file) => relative(ROOT, file)).sort()).toEqual(
      expect.arrayContaining(['publish/steps/test-stage.ts', 'rollout/steps/image.ts', 'rollout/steps/service.ts', 'rollout/steps/approval.ts']),
    );
  });

  it.each(sources(ROOT).filter((file) => TRUSTS_THE_JOURNAL.test(readFileSync(file, 'utf8'))).map((file) => [relative(ROOT, file), file]))('%s declares inputs', (_name, file) => {
    expect(readFileSync(file, 'utf8')).toMatch(/\binputs(: |\()/);
  });
});
