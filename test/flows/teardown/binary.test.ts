import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { runRollout } from '../rollout/harness.js';
import { slipway, useBinaryWorlds } from '../run/binary-world.js';
import { taggedFor } from './world.js';

const world = useBinaryWorlds();

describe('slipway teardown, the built binary', () => {
  it('without a terminal and without --approve: exit 2 naming --approve, nothing touched; with it: done', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter())).result.status).toBe('done');
    const before = taggedFor(w.sandbox.snapshot(), 'dev');
    const refused = await slipway(w, ['teardown', '--env', 'dev']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Tearing down dev needs a confirmation/);
    expect(refused.stderr).toContain('--approve');
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual(before);

    const done = await slipway(w, ['teardown', '--env', 'dev', '--approve', 'yes', '--delete-logs', 'yes']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Deleted 10 resources slipway made for dev\./);
    expect(done.stdout).toMatch(/slipway\/environments\/dev\.json stays/);
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual([]);
  });
});
