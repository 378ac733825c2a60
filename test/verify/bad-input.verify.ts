import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { addToTally, recordFigure } from './figures.js';
import { scanForSecrets, sandboxSecrets } from './secrets.js';

/**
 * Figure 3: bad input through the built binary (dist/slipway.js, built by the global setup), each in
 * a fresh temporary HOME with slipway's state, a sandbox account and an application folder: a clear
 * message on stderr, exit 2, and nothing written — every file and folder under the temporary root
 * (HOME, state, sandbox file, app folder) hashed before and after.
 */
const FLOOR = 40;
const BIN = join(process.cwd(), 'dist', 'slipway.js');
const root = mkdtempSync(join(tmpdir(), 'slipway-verify-input-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface World {
  dir: string;
  home: string;
  app: string;
  state: string;
  env: NodeJS.ProcessEnv;
}

interface Case {
  name: string;
  args: string[];
  stderr: RegExp;
  env?: (w: World) => NodeJS.ProcessEnv;
  setup?: (w: World) => void;
}

const sandboxHome = (w: World) => join(w.state, 'slipway', 'sandbox', 'default.home');
const write = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text, { mode: 0o600 });
};
const environmentFile = (w: World) => join(w.app, 'slipway', 'environments', 'dev.json');
const answersFile = (w: World) => join(w.dir, 'answers.json');

const CASES: Case[] = [
  // usage
  { name: 'unknown option', args: ['--bogus'], stderr: /Unknown option '--bogus'/ },
  { name: 'unknown command', args: ['launch'], stderr: /Unknown command "launch"/ },
  { name: 'stray argument', args: ['doctor', 'extra'], stderr: /Unexpected argument "extra"/ },
  { name: 'option without its value', args: ['doctor', '--region'], stderr: /argument missing|needs a value/ },
  { name: "another flow's option", args: ['doctor', '--user-name', 'alice'], stderr: /Unknown option '--user-name'/ },
  { name: '--list outside resume', args: ['doctor', '--list'], stderr: /--list only goes with `slipway resume`/ },
  { name: 'resume of a run that is not there', args: ['resume', '7'], stderr: /no unfinished run number 7/ },
  { name: 'resume by a word', args: ['resume', 'abc'], stderr: /no unfinished run number abc/ },
  // regions, endpoints, profiles
  { name: 'unknown region', args: ['doctor', '--region', 'mars-1'], stderr: /"mars-1" is not an AWS region/ },
  { name: 'region with a typo', args: ['bootstrap', '--sandbox', '--region', 'us-east-1x'], stderr: /"us-east-1x" is not an AWS region name/ },
  { name: 'endpoint that is not a URL', args: ['doctor', '--endpoint-url', 'nope'], stderr: /--endpoint-url: "nope" is not a URL/ },
  { name: 'profile name with a space', args: ['doctor', '--profile', 'has space'], stderr: /is not a profile name/ },
  // bootstrap names
  { name: 'account alias too short', args: ['bootstrap', '--sandbox', '--account-alias', 'x'], stderr: /--account-alias x: An account alias is 3–63/ },
  { name: 'account alias with capitals', args: ['bootstrap', '--sandbox', '--account-alias', 'Has_Upper'], stderr: /--account-alias Has_Upper: An account alias/ },
  { name: 'user name with a space', args: ['bootstrap', '--sandbox', '--user-name', 'has space'], stderr: /--user-name has space: A user name may use letters/ },
  { name: 'profile named default', args: ['bootstrap', '--sandbox', '--profile-name', 'default'], stderr: /never writes a \[default\] profile/ },
  { name: 'console password neither yes nor no', args: ['bootstrap', '--sandbox', '--console-password', 'maybe'], stderr: /expected yes or no/ },
  { name: 'key pair name as a path', args: ['bootstrap', '--sandbox', '--key-pair', '../evil'], stderr: /A key pair name may use/ },
  { name: 'role name too long', args: ['bootstrap', '--sandbox', '--role-name', 'x'.repeat(65)], stderr: /at most 64 characters/ },
  { name: 'group name with a slash', args: ['bootstrap', '--sandbox', '--admin-group', 'bad/group'], stderr: /--admin-group bad\/group: A group name may use/ },
  { name: 'sandbox name with a space', args: ['bootstrap', '--sandbox-name', 'bad name'], stderr: /is not a sandbox name/ },
  // rollout: sizes, ports, names, paths
  { name: 'task size 400/600', args: ['rollout', '--sandbox', '--size', '400/600'], stderr: /--size 400\/600: expected one of 256\/512/ },
  { name: 'task size without memory', args: ['rollout', '--sandbox', '--size', '256'], stderr: /--size 256: expected one of/ },
  { name: 'port 0', args: ['rollout', '--sandbox', '--port', '0'], stderr: /--port 0: A whole number from 1 to 65535/ },
  { name: 'port 70000', args: ['rollout', '--sandbox', '--port', '70000'], stderr: /--port 70000: A whole number from 1 to 65535/ },
  { name: 'port as a word', args: ['rollout', '--sandbox', '--port', 'http'], stderr: /--port http: expected a number/ },
  { name: 'zero tasks', args: ['rollout', '--sandbox', '--count', '0'], stderr: /--count 0: A whole number from 1 to 100/ },
  { name: 'environment name with capitals and !', args: ['rollout', '--sandbox', '--env', 'Prod!'], stderr: /--env Prod!: An environment name is 1–20 lowercase/ },
  { name: 'application name in capitals', args: ['rollout', '--sandbox', '--app', 'UPPER'], stderr: /--app UPPER: An application name is lowercase/ },
  { name: 'watch for 0 minutes', args: ['rollout', '--sandbox', '--watch-minutes', '0'], stderr: /--watch-minutes 0: A whole number from 1 to 180/ },
  { name: 'health path without /', args: ['rollout', '--sandbox', '--health-path', 'noslash'], stderr: /--health-path noslash: A path starting with "\/"/ },
  { name: 'log retention CloudWatch does not offer', args: ['rollout', '--sandbox', '--log-retention-days', '13'], stderr: /--log-retention-days 13: CloudWatch Logs keeps/ },
  { name: 'image that is not an ECR image', args: ['rollout', '--sandbox', '--image', 'notanimage'], stderr: /--image notanimage: An image is <account>\.dkr\.ecr/ },
  { name: 'launch type ECS does not have', args: ['rollout', '--sandbox', '--launch-type', 'LAMBDA'], stderr: /--launch-type LAMBDA: expected one of FARGATE, EXPRESS, EC2/ },
  // publish
  { name: 'keep 0 images', args: ['publish', '--sandbox', '--keep-images', '0'], stderr: /--keep-images 0: A whole number from 1 to 1000/ },
  { name: 'keep "many" images', args: ['publish', '--sandbox', '--keep-images', 'many'], stderr: /--keep-images many: expected a number/ },
  { name: 'platform ECS cannot run', args: ['publish', '--sandbox', '--platform', 'windows/386'], stderr: /--platform windows\/386: linux\/amd64/ },
  { name: 'namespace ECR refuses', args: ['publish', '--sandbox', '--namespace', 'Bad_NS!'], stderr: /--namespace Bad_NS!: A namespace is lowercase/ },
  { name: 'skip tests neither yes nor no', args: ['publish', '--sandbox', '--skip-tests', 'perhaps'], stderr: /--skip-tests perhaps: expected yes or no/ },
  // logs
  { name: 'logs of an environment that is not there', args: ['logs', '--sandbox', '--env', 'qa'], stderr: /There is no environment "qa" here/ },
  { name: 'logs since "10x"', args: ['logs', '--sandbox', '--since', '10x'], stderr: /--since 10x: expected how long ago/ },
  { name: 'logs of a task id with a space', args: ['logs', '--sandbox', '--task', 'no such'], stderr: /--task no such: A task id is/ },
  // the sandbox commands
  { name: 'unknown sandbox scenario', args: ['sandbox', 'scenario', 'bogus'], stderr: /"bogus" is not a sandbox scenario/ },
  {
    name: 'sandbox reset without --yes where nobody can be asked',
    args: ['sandbox', 'reset'],
    stderr: /--yes/,
    setup: (w) => void createSandbox({ name: 'default', env: w.env }),
  },
  // files
  { name: 'answers file that does not exist', args: ['doctor', '--answers', '/nonexistent/answers.json'], stderr: /Cannot read the answers file/ },
  {
    name: 'malformed answers file',
    args: ['bootstrap', '--sandbox', '--answers', '<answers>'],
    stderr: /not valid JSON/,
    setup: (w) => write(answersFile(w), '{"userName": '),
  },
  {
    name: 'answers file that is a list',
    args: ['bootstrap', '--sandbox', '--answers', '<answers>'],
    stderr: /answers/i,
    setup: (w) => write(answersFile(w), '["alice"]'),
  },
  {
    name: 'answers file with a question the flow does not have',
    args: ['bootstrap', '--sandbox', '--answers', '<answers>'],
    stderr: /Unknown answer "colour"/,
    setup: (w) => write(answersFile(w), '{"colour": "blue"}'),
  },
  {
    name: 'answers file with a bad value',
    args: ['rollout', '--sandbox', '--answers', '<answers>'],
    stderr: /--port 99999: A whole number from 1 to 65535/,
    setup: (w) => write(answersFile(w), '{"port": 99999}'),
  },
  {
    name: 'environment file that is not JSON',
    args: ['rollout', '--sandbox', '--app', 'todo', '--env', 'dev'],
    stderr: /dev\.json is not valid JSON/,
    setup: (w) => write(environmentFile(w), '{bad'),
  },
  {
    name: 'environment file with a wrong launch type',
    args: ['rollout', '--sandbox', '--app', 'todo', '--env', 'dev'],
    stderr: /dev\.json is not a valid environment/,
    setup: (w) => write(environmentFile(w), '{"version": 1, "launchType": "LAMBDA"}'),
  },
  {
    name: 'corrupted journal, resumed',
    args: ['resume', '1'],
    stderr: /That journal cannot be read/,
    setup: (w) => write(join(w.state, 'slipway', 'runs', 'bootstrap__123456789012__us-east-1__-__-.json'), '{"version": 1, "runId": "x", "steps": {'),
  },
  {
    name: 'corrupted journal, discarded by a number that is not there',
    args: ['resume', '3', '--discard'],
    stderr: /no unfinished run number 3/,
    setup: (w) => write(join(w.state, 'slipway', 'runs', 'bootstrap__123456789012__us-east-1__-__-.json'), '\u0000\u0000garbage'),
  },
  {
    name: 'malformed ~/.aws/config, its profile asked for',
    args: ['bootstrap', '--sandbox', '--profile', 'acme', '--profile-name', 'acme', '--user-name', 'alice', '--yes'],
    stderr: /--profile acme: the profile cannot be read[\s\S]*not a section header/,
    setup: (w) => write(join(sandboxHome(w), '.aws', 'config'), '[profile acme\nregion = \nrole_arn\n'),
  },
  {
    name: 'state folder (XDG_STATE_HOME) that is a file: nowhere to write',
    args: ['bootstrap', '--sandbox', '--user-name', 'alice', '--profile-name', 'acme', '--yes'],
    stderr: /cannot keep its state[\s\S]*is a file, not a folder/,
    env: (w) => ({ XDG_STATE_HOME: join(w.dir, 'state-is-a-file') }),
    setup: (w) => write(join(w.dir, 'state-is-a-file'), 'not a folder'),
  },
];

/**
 * Cases that do not exit 2 today, reported rather than failing every CI run: each says what happens.
 * A known case that starts passing is listed as fixed.
 */
const KNOWN: Record<string, string> = {};

function newWorld(index: number): World {
  const dir = join(root, `case-${index}`);
  const home = join(dir, 'home');
  const app = join(dir, 'app');
  const state = join(dir, 'state');
  mkdirSync(home, { recursive: true });
  mkdirSync(app, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: home,
    XDG_STATE_HOME: state,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The binary must find nothing else to write to: no registry of its own.
    SLIPWAY_SANDBOX_REGISTRY_BINARY: 'none',
  };
  const world = { dir, home, app, state, env };
  // What a person who rehearsed before has: a sandbox account and a published app.
  createSandbox({ name: 'default', env });
  write(join(app, 'slipway', 'project.json'), JSON.stringify({ version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 } }));
  return world;
}

/** Every file and folder under the world, with its mode and a hash of its bytes. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const stat = lstatSync(path);
    const rel = relative(dir, path) || '.';
    if (stat.isDirectory()) {
      out[rel] = `dir ${(stat.mode & 0o7777).toString(8)}`;
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      out[rel] = `${(stat.mode & 0o7777).toString(8)} ${stat.isSymbolicLink() ? 'link' : createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

async function slipway(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('bad input through the built binary', () => {
  const passed: string[] = [];
  const problems: string[] = [];
  const knownSeen: string[] = [];

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: exit 2, a clear message, nothing written', async (_name, c, index) => {
    expect(existsSync(BIN)).toBe(true);
    const world = newWorld(index);
    c.setup?.(world);
    const env = { ...world.env, ...c.env?.(world) };
    const args = c.args.map((a) => (a === '<answers>' ? answersFile(world) : a));
    const before = fingerprint(world.dir);
    const run = await slipway(args, env, world.app);
    const after = fingerprint(world.dir);
    const secrets = sandboxSecrets(createSandbox({ name: 'default', env: world.env }).snapshot());
    const scan = scanForSecrets(secrets, [{ name: 'stdout', content: run.stdout }, { name: 'stderr', content: run.stderr }]);
    addToTally('secrets', { hits: scan.hits.length, bytes: scan.bytes, scans: 1 });
    const wrong: string[] = [];
    if (run.code !== 2) wrong.push(`exit ${run.code}`);
    if (!c.stderr.test(run.stderr)) wrong.push(`stderr ${JSON.stringify(run.stderr.slice(0, 300))} stdout ${JSON.stringify(run.stdout.slice(-300))}`);
    const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
    if (changed.length) wrong.push(`wrote ${changed.join(', ')}`);
    if (scan.hits.length) wrong.push(`secrets on screen: ${scan.hits.map((h) => h.kind).join(', ')}`);
    const known = KNOWN[c.name];
    if (known) {
      knownSeen.push(wrong.length ? `KNOWN GAP ${c.name} (${args.join(' ')}): ${known}` : `FIXED (remove it from KNOWN) ${c.name}`);
      if (!wrong.length) passed.push(c.name);
      return;
    }
    if (wrong.length) problems.push(`${c.name} (${args.join(' ')}): ${wrong.join('; ')}`);
    else passed.push(c.name);
    expect(wrong).toEqual([]);
  });

  afterAll(() => {
    recordFigure({
      name: '3 bad input',
      value: `${passed.length}/${CASES.length} bad inputs refused with exit 2, a message on stderr, nothing written (${knownSeen.filter((k) => k.startsWith('KNOWN')).length} known gaps reported)`,
      floor: `≥ ${FLOOR} refused cleanly, none unexpected`,
      ok: passed.length >= FLOOR && problems.length === 0,
      details: [...problems.map((p) => `NOT CLEAN ${p}`.slice(0, 700)), ...knownSeen],
    });
  });
});
