import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * `slipway bootstrap` through the built binary, in a real terminal (tmux), over HTTP against moto (an
 * AWS slipway did not write), from each starting credential source, in ONE run. Then, for keys in the
 * environment, a re-run with --yes: it must reuse the role session the first run cached (no MFA code
 * can be asked under --yes). Nothing the AWS SDK prints may reach the terminal or stderr.
 *
 * In front of moto a loopback server plays the AWS SSO portal (GetRoleCredentials, which moto lacks)
 * for the SSO profile and hands every other request on to moto; AWS_ENDPOINT_URL points at it, so the
 * SDK's own SSO provider reads the token cached under ~/.aws/sso/cache and calls it there.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BINARY = join(ROOT, 'dist', 'slipway.js');
const TOOLS = ['/work/shared/tools', join(ROOT, '..', 'shared', 'tools'), process.env.SLIPWAY_SHARED_TOOLS ?? ''].find((d) => d && existsSync(join(d, 'moto', 'moto-server')));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasPython = spawnSync(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', ['-c', 'import boto3, werkzeug, flask, flask_cors, responses, jinja2, jose, sshpubkeys, xmltodict, yaml, dateutil, jsondiff']).status === 0;
const missing = [!TOOLS && 'moto (../shared/tools/moto)', !hasTmux && 'tmux', !hasPython && "moto's python packages (moto-server start installs them)"].filter(Boolean);
if (missing.length) console.warn(`start-sources: SKIPPED — missing ${missing.join(', ')}`);

const KEY_ID = 'AKIASTARTER000000001';
const SECRET = 'startersecret0000000000000000000000000000';
const SSO_TOKEN = 'sso-access-token-from-the-cache';
const ANSWERS = ['--region', 'us-east-1', '--user-name', 'alice', '--profile-name', 'acme', '--account-alias', 'acme-test', '--role-name', 'admin', '--admin-group', 'Administrators', '--users-group', 'Users', '--console-password', 'no', '--key-pair', 'admin'];
const SDK_NOISE = /Multiple credential sources|@aws-sdk|@smithy|NodeVersionSupportWarning|CredentialsProviderError/;

type Source = 'env-keys' | 'default-profile' | 'named-profile' | 'role-mfa-profile' | 'sso-profile';

describe.skipIf(missing.length > 0)('bootstrap in one run from every starting credential source (built binary, moto over HTTP)', () => {
  let motoPort = 0;
  let front: Server;
  let endpoint = '';
  const ssoCalls: { path: string; token?: string }[] = [];
  const homes: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BINARY)) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    motoPort = await freePort();
    const started = spawnSync(join(TOOLS!, 'moto', 'moto-server'), ['start', String(motoPort)], { encoding: 'utf8', timeout: 600_000 });
    if (started.status !== 0) throw new Error(`moto-server start: ${started.stderr}`);
    front = createServer((req, res) => {
      if (req.url?.startsWith('/federation/credentials')) {
        ssoCalls.push({ path: req.url, token: req.headers['x-amz-sso_bearer_token'] as string | undefined });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ roleCredentials: { accessKeyId: 'ASIASSOROLE000000001', secretAccessKey: 'sso-role-secret', sessionToken: 'sso-role-session', expiration: Date.now() + 3_600_000 } }));
        return;
      }
      const upstream = request({ host: '127.0.0.1', port: motoPort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }, 600_000);
  beforeEach(async () => {
    await fetch(`http://127.0.0.1:${motoPort}/moto-api/reset`, { method: 'POST' });
    ssoCalls.length = 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => front?.close(() => resolve()));
    if (motoPort) spawnSync(join(TOOLS!, 'moto', 'moto-server'), ['stop', String(motoPort)]);
    homes.forEach((h) => rmSync(h, { recursive: true, force: true }));
  });

  /** A HOME giving slipway `source` as its starting credentials: the environment and flags to start it with. */
  function startingFrom(source: Source): { home: string; env: string[]; flags: string[] } {
    const home = mkdtempSync(join(tmpdir(), `slipway-sources-${source}-`));
    homes.push(home);
    const aws = join(home, '.aws');
    mkdirSync(aws, { recursive: true, mode: 0o700 });
    const write = (file: string, text: string) => writeFileSync(join(aws, file), text, { mode: 0o600 });
    const keys = `aws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
    const env = [`PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${home}`, `XDG_STATE_HOME=${join(home, 'state')}`, 'AWS_EC2_METADATA_DISABLED=true', `AWS_ENDPOINT_URL=${endpoint}`];
    switch (source) {
      case 'env-keys':
        return { home, env: [...env, `AWS_ACCESS_KEY_ID=${KEY_ID}`, `AWS_SECRET_ACCESS_KEY=${SECRET}`], flags: [] };
      case 'default-profile':
        write('credentials', `[default]\n${keys}`);
        write('config', '[default]\nregion = us-east-1\n');
        return { home, env, flags: [] };
      case 'named-profile':
        write('credentials', `[ops]\n${keys}`);
        write('config', '[profile ops]\nregion = us-east-1\n');
        return { home, env, flags: ['--profile', 'ops'] };
      case 'role-mfa-profile':
        write('credentials', `[base]\n${keys}`);
        write('config', '[profile base]\nregion = us-east-1\n\n[profile boss]\nrole_arn = arn:aws:iam::123456789012:role/starter-admin\nmfa_serial = arn:aws:iam::123456789012:mfa/starter\nsource_profile = base\nregion = us-east-1\n');
        return { home, env, flags: ['--profile', 'boss'] };
      case 'sso-profile': {
        write('config', '[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = AdministratorAccess\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n');
        // What `aws sso login` leaves: the token, keyed by the sso-session's name.
        mkdirSync(join(aws, 'sso', 'cache'), { recursive: true });
        const file = join(aws, 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`);
        writeFileSync(file, JSON.stringify({ accessToken: SSO_TOKEN, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), region: 'us-east-1', startUrl: 'https://corp.awsapps.com/start' }));
        return { home, env, flags: ['--profile', 'corp'] };
      }
    }
  }

  it.each<Source>((process.env.SLIPWAY_TEST_SOURCES?.split(',') as Source[] | undefined) ?? ['env-keys', 'default-profile', 'named-profile', 'role-mfa-profile', 'sso-profile'])(
    'from %s: done in one run, the new profile used for the key pair, nothing from the SDK on screen or stderr',
    async (source) => {
      const start = startingFrom(source);
      const run = await bootstrapInTmux(start.env, [...start.flags, ...ANSWERS], join(start.home, 'stderr'));
      expect(run.screen, run.screen).toContain('Done in');
      expect(run.exit).toBe(0);
      expect(run.screen).not.toMatch(SDK_NOISE);
      expect(run.stderr).not.toMatch(SDK_NOISE);
      expect(readFileSync(join(start.home, '.aws', 'config'), 'utf8')).toContain('[profile acme]');
      expect(existsSync(join(start.home, '.ssh', 'admin.pem'))).toBe(true);
      if (source === 'sso-profile') {
        expect(ssoCalls.length).toBeGreaterThan(0);
        expect(ssoCalls.every((c) => c.token === SSO_TOKEN && c.path.includes('account_id=123456789012') && c.path.includes('role_name=AdministratorAccess'))).toBe(true);
      }

      if (source !== 'env-keys') return;
      // A finished bootstrap again, unattended, keys still in the environment: the role session cached
      // by the verification is reused (--yes cannot ask for an MFA code), and the SDK stays quiet.
      // Not spawnSync: the SSO-portal front that forwards to moto lives in this process.
      const again = await runBinary(start.env, ['bootstrap', '--yes', ...ANSWERS]);
      expect(again.status, `${again.stdout}\n${again.stderr}`).toBe(0);
      expect(again.stdout).toContain('EC2 key pair in ~/.ssh — already in place');
      expect(again.stderr).not.toMatch(/MFA code/);
      expect(`${again.stdout}${again.stderr}`).not.toMatch(SDK_NOISE);
    },
    120_000,
  );
});

/**
 * Runs `slipway bootstrap` in a tmux terminal and plays the person: Enter on the QR screen, then
 * codes (moto accepts any; slipway checks their shape) whenever one is asked.
 */
async function bootstrapInTmux(env: string[], args: string[], stderrFile: string): Promise<{ exit: number; screen: string; stderr: string }> {
  const socket = `slipway-sources-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...a: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', '-u', ...a], { encoding: 'utf8' }).stdout;
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `env -i ${env.map(quote).join(' ')} ${process.execPath} ${BINARY} bootstrap ${args.map(quote).join(' ')} 2>${stderrFile}; echo EXIT=$?`;
  tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', 'bash --norc --noprofile');
  try {
    tmux('send-keys', '-t', 'b', '-l', command);
    tmux('send-keys', '-t', 'b', 'Enter');
    const answered = new Set<string>();
    let code = 100000;
    let last = '';
    let finalScreen: string | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const screen = tmux('capture-pane', '-p', '-J', '-t', 'b');
      last = screen;
      const exit = /EXIT=(\d+)/.exec(screen);
      if (exit) return { exit: Number(exit[1]), screen: finalScreen ?? screen, stderr: readFileSync(stderrFile, 'utf8') };
      if (/Done in|A step failed/.test(screen) && !answered.has('end')) {
        answered.add('end');
        finalScreen = screen;
        tmux('send-keys', '-t', 'b', 'q');
      } else if (screen.includes('Enter this key by hand') && !answered.has('qr')) {
        answered.add('qr');
        tmux('send-keys', '-t', 'b', 'Enter');
      } else {
        const ask = ['First code from the app', 'Wait for the next code', 'A new code from the app', 'MFA code for'].find((q) => screen.includes(q) && !answered.has(q));
        if (ask) {
          answered.add(ask);
          tmux('send-keys', '-t', 'b', '-l', String(code++));
          tmux('send-keys', '-t', 'b', 'Enter');
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`bootstrap did not finish; screen:\n${last}`);
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  }
}
async function runBinary(env: string[], args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('env', ['-i', ...env, process.execPath, BINARY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { status, stdout, stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
