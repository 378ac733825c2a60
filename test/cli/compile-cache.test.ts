import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'dist', 'slipway.js');
const root = mkdtempSync(join(tmpdir(), 'slipway-compile-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { PATH: process.env.PATH, HOME: join(root, 'home'), XDG_STATE_HOME: join(root, 'state'), XDG_CACHE_HOME: join(root, 'cache'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const cache = join(root, 'cache', 'slipway', 'node-compile-cache');
const slipway = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
const filesUnder = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : []);

it('the compile cache: nothing after bad input; its folder after a run that was not refused; then used', () => {
  expect(slipway('resume', '7').status).toBe(2);
  expect(existsSync(join(root, 'cache'))).toBe(false);
  expect(slipway('resume', '--list').status).toBe(0);
  const supported = 'enableCompileCache' in nodeModule;
  expect(existsSync(cache)).toBe(supported);
  expect(slipway('resume', '--list').status).toBe(0);
  if (supported) expect(filesUnder(cache).length).toBeGreaterThan(0);
  // And bad input once the cache exists still exits 2 (the cache is Node's, not a result of the run).
  expect(slipway('resume', '7').status).toBe(2);
});
