import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FLOWS } from '../../src/cli/flows.js';

const home = mkdtempSync(join(tmpdir(), 'slipway-titles-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the header’s title does not change once the flow is loaded', () => {
  it.each(FLOWS.map((entry) => [entry.name, entry] as const))('%s: the registry’s title is the flow’s own', async (_name, entry) => {
    const flow = await entry.load({ aws: { region: 'us-east-1' }, env: { HOME: home }, platform: 'linux', cwd: home });
    expect(entry.title).toBe(flow.title);
  });
});
