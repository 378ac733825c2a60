import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, nodeSupport, unsupportedNodeNotice } from '../../src/cli/node-support.js';

const today = new Date('2026-12-07T12:00:00Z');

describe('the Node.js versions slipway supports', () => {
  it("package.json's engines says the same floor as doctor and the start-up notice", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
  });

  it('20 is past its end of life and below the floor; 22 and 24 are supported, with their end of life', () => {
    expect(nodeSupport('v20.20.2', today)).toEqual({ version: '20.20.2', major: 20, supported: false, endOfLife: '2026-04-30', pastEndOfLife: true });
    expect(nodeSupport('22.23.5', today)).toMatchObject({ supported: true, endOfLife: '2027-04-30', pastEndOfLife: false });
    expect(nodeSupport('24.22.3', today)).toMatchObject({ supported: true, endOfLife: '2028-04-30', pastEndOfLife: false });
    // A line not in the table yet is judged by the floor alone.
    expect(nodeSupport('27.0.0', today)).toMatchObject({ supported: true, endOfLife: undefined, pastEndOfLife: false });
    expect(nodeSupport('22.1.0', new Date('2027-06-01'))).toMatchObject({ supported: true, pastEndOfLife: true });
  });

  it('the notice names the version, its end of life, the floor, and where the fix is', () => {
    expect(unsupportedNodeNotice(nodeSupport('20.20.2', today))).toBe(
      'Node.js 20.20.2 reached its end of life on 2026-04-30 and is older than slipway supports (22 or newer; the AWS SDK requires 22 from January 2027). It may still run for now; `slipway doctor` says how to upgrade.',
    );
    expect(unsupportedNodeNotice(nodeSupport('24.22.3', today))).toBeUndefined();
  });

  it('the binary says it once on stderr on an unsupported Node, and nothing on a supported one', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const run = spawnSync(process.execPath, ['dist/slipway.js', '--version'], { env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const notice = unsupportedNodeNotice(nodeSupport(process.versions.node));
    expect(run.stderr).toBe(notice ? `slipway: ${notice}\n` : '');
  });
});
