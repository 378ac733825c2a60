import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { enableMfaAsAPerson } from '../support/sandbox-mfa.js';

/**
 * "An install with nothing to download": the package `npm pack` makes is installed globally into a fresh
 * prefix, offline, with an empty npm cache and the registry pointed at a closed port, from a folder with
 * no node_modules above it. That only succeeds when the package needs nothing but its own tarball — every
 * runtime package is inside the bundle. The installed slipway then runs a whole sandbox bootstrap.
 */
const ROOT = process.cwd();
const PRELOAD = fileURLToPath(new URL('../cli/offline-preload.mjs', import.meta.url));
const CLOSED = 'http://127.0.0.1:9';
const LIMIT_BYTES = 15_000_000; // installed size goal: under 15 MB

let work: string;
let tarball: string;
let prefix: string;
let installed: string;
let elsewhere: string;
let packed: { name: string; version: string; size: number; unpackedSize: number; files: { path: string }[] };
let install: { status: number | null; output: string; network: string };

/** Only what npm needs: no npm_config_* inherited from `npx vitest`, no ~/.npmrc, a registry nobody answers. */
function npmEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return {
    ...env,
    // npm and the installed bin (#!/usr/bin/env node) run on the Node running this test.
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    npm_config_registry: `${CLOSED}/`,
    npm_config_update_notifier: 'false',
    HTTPS_PROXY: CLOSED,
    HTTP_PROXY: CLOSED,
    https_proxy: CLOSED,
    http_proxy: CLOSED,
  };
}

/** Every file under `dir` with its size; symlinks are not followed. */
function filesUnder(dir: string): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push({ path: relative(installed, path), size: lstatSync(path).size });
  }
  return out;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'slipway-tarball-'));
  const npmHome = join(work, 'npm-home');
  mkdirSync(npmHome);
  // The global setup built dist/ for this run; --ignore-scripts keeps prepack from building it again.
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: npmEnv(npmHome), encoding: 'utf8' });
  expect(pack.status, pack.stderr).toBe(0);
  const [only] = JSON.parse(pack.stdout) as (typeof packed)[];
  if (!only) throw new Error(`npm pack --json printed no package: ${pack.stdout}`);
  packed = only;
  tarball = join(work, `${packed.name}-${packed.version}.tgz`);

  // Installed from another folder, with an empty cache: what is not in the tarball cannot be had.
  prefix = join(work, 'prefix');
  elsewhere = join(work, 'elsewhere');
  mkdirSync(elsewhere);
  const log = join(work, 'npm-network.log');
  writeFileSync(log, '');
  const run = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--cache', join(work, 'empty-cache'), '--no-audit', '--no-fund', tarball], {
    cwd: elsewhere,
    // The preload records (and refuses) any connection npm tries to make off this machine.
    env: { ...npmEnv(npmHome), NODE_OPTIONS: `--import ${PRELOAD}`, SLIPWAY_OFFLINE_LOG: log },
    encoding: 'utf8',
  });
  install = { status: run.status, output: `${run.stdout}\n${run.stderr}`, network: readFileSync(log, 'utf8') };
  installed = join(prefix, 'lib', 'node_modules', packed.name);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function slipway(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(join(prefix, 'bin', 'slipway'), args, { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      stderr += String(error);
      resolve(null);
    });
    child.on('close', resolve);
  });
  return { code, stdout, stderr, output: `${stdout}\n${stderr}` };
}

describe('the npm package', () => {
  it('holds the built bundle, the licence and no source maps', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/slipway.js');
    expect(paths).toContain('package.json');
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('README.md');
    expect(paths.filter((p) => p.startsWith('dist/chunks/') && p.endsWith('.js')).length).toBeGreaterThan(10);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    // Only the bundle, the recipes and what npm always ships.
    expect(paths.filter((p) => !/^(dist\/.*\.js|recipes\/.*|package\.json|README\.md|LICENSE)$/.test(p))).toEqual([]);
    expect(existsSync(tarball)).toBe(true);
  });

  it('declares no runtime dependency: the bundle carries them all', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
      expect(Object.keys(manifest[field] ?? {}), field).toEqual([]);
    }
  });

  it('installs globally offline, with an empty cache and no registry, and nothing tries the network', () => {
    expect(install.status, install.output).toBe(0);
    expect(install.network).toBe('');
    // Nothing beside slipway in the prefix, nothing under it.
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual([packed.name]);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(existsSync(join(prefix, 'bin', 'slipway'))).toBe(true);
  });

  it(`takes under ${LIMIT_BYTES / 1e6} MB installed`, () => {
    const files = filesUnder(installed);
    const total = files.reduce((sum, f) => sum + f.size, 0);
    expect(files.map((f) => f.path)).toContain(join('dist', 'slipway.js'));
    expect(total).toBeGreaterThan(1_000_000); // the bundle is really there
    expect(total, `${(total / 1e6).toFixed(1)} MB in ${files.length} files`).toBeLessThan(LIMIT_BYTES);
  });

  it('every import of the installed bundle resolves inside the installed folder', async () => {
    // esbuild follows every static and dynamic import of the installed entry, resolving packages from
    // where it lies: a package left out of the bundle (external) has no node_modules to be found in.
    const result = await build({
      entryPoints: [join(installed, 'dist', 'slipway.js')],
      absWorkingDir: elsewhere,
      outdir: join(work, 'closure'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // ink imports it only when DEV=true (React DevTools); it never was a dependency.
      external: ['react-devtools-core'],
    }).catch((error: { errors?: { text: string }[] }) => ({ errors: error.errors ?? [{ text: String(error) }], metafile: undefined }));
    expect(result.errors.map((e) => e.text)).toEqual([]);
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.length).toBeGreaterThan(10);
    expect(inputs.filter((path) => !path.includes(join('node_modules', packed.name, 'dist')))).toEqual([]);
  });

  it('the installed slipway runs from another folder: --version, --help, and a whole sandbox bootstrap', async () => {
    const home = join(work, 'home');
    const env: NodeJS.ProcessEnv = {
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      LANG: 'C.UTF-8',
      HOME: home,
      XDG_STATE_HOME: join(work, 'state'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const version = await slipway(['--version'], env);
    expect(version.code, version.output).toBe(0);
    expect(version.stdout.trim()).toBe(`slipway ${packed.version}`);
    const help = await slipway(['--help'], env);
    expect(help.code, help.output).toBe(0);
    expect(help.stdout).toMatch(/Usage:/);

    // The flow loads the lazily imported chunks: the line front end, the IAM and STS clients, the sandbox.
    const answers = ['--sandbox-name', 'packaged', '--region', 'eu-west-1', '--user-name', 'carol', '--profile-name', 'carol', '--console-password', 'no', '--yes', '--plain'];
    const first = await slipway(['bootstrap', ...answers], env);
    expect(first.output).toMatch(/IAM user in both groups — /);
    expect(first.output).toMatch(/needs a person with an authenticator app/);
    expect(first.code, first.output).toBe(1);

    // The person enables the MFA device with two consecutive codes, then the run finishes with a third.
    const sandbox = createSandbox({ name: 'packaged', env: { XDG_STATE_HOME: join(work, 'state') } });
    const { nextCode } = await enableMfaAsAPerson(sandbox, 'carol', 'eu-west-1');

    const second = await slipway(['bootstrap', ...answers], { ...env, SLIPWAY_MFA_CODE: nextCode });
    expect(second.output).toMatch(/Assume the admin role with MFA/);
    expect(second.code, second.output).toBe(0);
    expect(readFileSync(join(work, 'state', 'slipway', 'sandbox', 'packaged.home', '.aws', 'config'), 'utf8')).toContain('[profile carol]');

    const list = await slipway(['sandbox', 'list'], env);
    expect(list.code, list.output).toBe(0);
    expect(list.stdout).toMatch(/^packaged\s+\d{12}/m);
  }, 120_000);
});
