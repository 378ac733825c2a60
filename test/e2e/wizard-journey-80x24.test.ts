import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { totpAtStep, totpStep } from '../../src/sandbox/totp.js';
import { journeyReady, ROOT, useSandboxApp } from './sandbox-app.js';
import { Terminal } from './terminal.js';

/**
 * The newcomer's sandbox journey through the full-screen wizard (not --plain, not --yes) of the built
 * binary, in a terminal of 80×24, keys sent in bursts as a quick typist sends them (Down Down Enter,
 * a name and Enter, a code and Enter — one `tmux send-keys` each): from the home screen, bootstrap
 * (the QR code whole on the screen, its finder patterns included; the codes read off it), publish and
 * a rollout; then `slipway run` of a job that fails (its log and exit code stay on the finished
 * screen, and slipway exits with that code); then, from the home screen again, the teardown, whose
 * confirmation lists the resources it deletes. Nothing of the environment is left in the sandbox.
 *
 * With SLIPWAY_CAPTURE_DIR set, the QR screen, the teardown's confirmation and the finished run are
 * written there as plain text (qr.txt, teardown.txt, run.txt), exactly as the 80×24 terminal shows them.
 */
const WIDTH = 80;
const HEIGHT = 24;
const ready = journeyReady('the wizard journey test');

/** Keys for one burst; a function picks them from the question's screen. */
type Keys = (string | ((screen: string) => string[]))[];
/** An environment asked by name — typed, or picked from a list of the environments there are. */
const environment = (name: string) => (screen: string) => (new RegExp(`❯ ${name}\\b`).test(screen) ? ['Enter'] : [name, 'Enter']);
/** Every row within the terminal's width (capture-pane -J joins a wrapped row back into one line). */
const fits = (screen: string) => screen.split('\n').every((line) => [...line].length <= WIDTH);
/**
 * The header's top border is the first row: nothing of the frame scrolled off the top. Checked on the
 * home screen, every question, the QR code, the confirmation, and on every screen polled while a flow
 * runs and once it has finished (the step list folds, the log pane shrinks: screens/layout/).
 */
const headerOnTop = (screen: string) => screen.split('\n')[0]?.startsWith('╭') === true;
/** The wizard's flow screen is up: its footer names Ctrl-C, or the keys to leave a finished run. */
const flowScreenUp = (screen: string) => /ctrl-c (cancel step|stop)|enter\/q leave/.test(screen);

describe.skipIf(!ready)('the wizard at 80×24, keys in bursts: bootstrap → publish → rollout → run → teardown', () => {
  const fixture = useSandboxApp('wizard', 'slipway-wizard-');
  let term: Terminal;
  let session = 0;
  afterEach(() => term?.stop());

  /** Starts slipway in the app's folder, in a fresh 80×24 terminal, with nothing of this machine's AWS setup. */
  function slipway(args: string): void {
    term?.stop();
    term = new Terminal(`slipway-wizard-${process.pid}-${++session}`);
    term.start(WIDTH, HEIGHT);
    const env = ['env', '-i', `PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${fixture.home}`, `XDG_STATE_HOME=${fixture.stateHome}`];
    term.type(`cd ${fixture.app} && ${env.join(' ')} node ${join(ROOT, 'dist', 'slipway.js')} ${args}; echo EXIT=$?`);
  }

  /** The rows exactly as the terminal shows them (no joining), for the captures. */
  function capture(name: string): void {
    const dir = process.env.SLIPWAY_CAPTURE_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), term.tmux('capture-pane', '-p', '-t', 'main'));
  }

  /** A moment to read the screen before typing, as a person does (ink listens for keys once the frame is drawn). */
  const read = () => new Promise((r) => setTimeout(r, 150));

  /** Waits for a question, checks its frame is whole at 80×24, then sends the answer as one burst. */
  async function answer(question: string, ...keys: Keys): Promise<string> {
    const screen = await term.waitFor(question, (s) => s.includes(question));
    expect(headerOnTop(screen), screen).toBe(true);
    expect(fits(screen), screen).toBe(true);
    await read();
    term.keys(...keys.flatMap((k) => (typeof k === 'function' ? k(screen) : [k])));
    return screen;
  }

  /** Waits for the flow's end; a failure shows its screen. */
  async function finished(what: string, ms: number): Promise<string> {
    // Every screen polled on the way: a frame taller than 24 rows would have pushed the header off.
    const tooTall: string[] = [];
    const screen = await term.waitFor(what, (s) => {
      if (flowScreenUp(s) && !headerOnTop(s)) tooTall.push(s);
      return /(Done|Finished) in/.test(s) || s.includes('✖') || / failed\. Fix /.test(s) || s.includes('Cancelled.');
    }, ms);
    expect(tooTall[0] ?? '', 'a frame taller than the terminal').toBe('');
    expect(screen, screen).toMatch(/(Done|Finished) in/);
    expect(headerOnTop(screen), screen).toBe(true);
    expect(fits(screen), screen).toBe(true);
    return screen;
  }

  /**
   * Answers a flow's questions in order. A question marked optional (where to work, which app: values
   * slipway may settle without asking) is answered when it comes, and passed over when a later
   * question — or `then`, what follows the questions — shows instead.
   */
  async function answerAll(questions: [question: string, keys: Keys, optional?: 'optional'][], then: string): Promise<void> {
    for (const [i, [question, keys, optional]] of questions.entries()) {
      if (!optional) {
        await answer(question, ...keys);
        continue;
      }
      const later = [...questions.slice(i + 1).map(([q]) => q), then];
      const screen = await term.waitFor(`${question} (or ${later.join(', or ')})`, (s) => s.includes(question) || later.some((q) => s.includes(q)));
      if (screen.includes(question)) await answer(question, ...keys);
    }
  }

  /** On the home screen, moves from wherever the focus is to `label` and chooses it — in one burst. */
  async function choose(label: string): Promise<string> {
    const screen = await term.waitFor('the home screen', (s) => s.includes('slipway · home') && s.includes(label) && s.includes('❯'));
    expect(headerOnTop(screen), screen).toBe(true);
    expect(fits(screen), screen).toBe(true);
    expect(screen).toContain('SANDBOX wizard');
    const entries = screen.split('\n').filter((line) => /^ (❯| ) \S/.test(line) && !line.includes('↑↓'));
    const focused = entries.findIndex((line) => line.startsWith(' ❯'));
    const target = entries.findIndex((line) => line.includes(label));
    expect(target, screen).toBeGreaterThanOrEqual(0);
    const moves = target - focused;
    await read();
    term.keys(...Array<string>(Math.abs(moves)).fill(moves > 0 ? 'Down' : 'Up'), 'Enter');
    return screen;
  }

  async function leave(expected: number): Promise<string> {
    term.keys('q');
    const after = await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s));
    expect(after).toContain(`EXIT=${expected}`);
    return term.history();
  }

  it('goes all the way in the wizard — home, questions, QR code, confirmation and finished run whole at 80×24 — and leaves nothing behind', async () => {
    // ── Home: every flow on one screen; bootstrap is the first.
    slipway('--sandbox-name wizard');
    const menu = await choose('Set up this AWS account safely (slipway bootstrap)');
    for (const flow of ['publish', 'rollout', 'run', 'teardown']) expect(menu).toContain(`(slipway ${flow})`);

    // ── Bootstrap: defaults taken with Enter; the user name typed and sent with its Enter.
    await answerAll(
      [
        ['Region to work in', ['Enter'], 'optional'],
        ['Account alias for the sign-in URL', ['Enter']],
        ['Your IAM user name', ['alice', 'Enter']],
        ['Name of the AWS CLI profile', ['Enter']],
        ['Admin role name', ['Enter']],
        ['Group allowed to assume the role', ['Enter']],
        ['Group that requires MFA', ['Enter']],
        ['Create a console password', ['y', 'Enter']], // "y\r" in one read
        ['EC2 key pair name', ['Enter']],
      ],
      'One-time console password for alice',
    );
    await term.waitFor('the one-time password', (s) => s.includes('One-time console password for alice'));
    await read();
    term.keys('Enter');

    // The QR code, whole: title on the top row, the quiet zone, every row of the code with the three
    // finder patterns (top left, top right, bottom left), the quiet zone, then the key and the hint.
    const qr = await term.waitFor('the QR code', (s) => s.includes('Or type the key above by hand'));
    capture('qr.txt');
    expect(fits(qr), qr).toBe(true);
    const rows = qr.replace(/\n+$/, '').split('\n');
    expect(rows.length).toBeLessThanOrEqual(HEIGHT);
    expect(rows[0]).toContain('Scan with your authenticator app');
    expect(rows[1]?.trim()).toBe('');
    const code = rows.slice(2, rows.findIndex((row, i) => i > 2 && row.trim() === ''));
    const modules = code[0]?.trim().length ?? 0; // the top row runs from the left finder to the right one
    expect(modules).toBeGreaterThanOrEqual(21);
    expect(code).toHaveLength(Math.ceil(modules / 2));
    // Half blocks: a finder's 7 module rows are 4 text rows; top left and top right on the same rows…
    expect(code[0]).toMatch(/^ {2}█▀▀▀▀▀█ .* █▀▀▀▀▀█$/);
    expect(code[1]).toMatch(/^ {2}█ ███ █ .* █ ███ █$/);
    expect(code[2]).toMatch(/^ {2}█ ▀▀▀ █ .* █ ▀▀▀ █$/);
    expect(code[3]).toMatch(/^ {2}▀▀▀▀▀▀▀ .* ▀▀▀▀▀▀▀$/);
    // …bottom left on the last four.
    expect(code.at(-4)).toMatch(/^ {2}█▀▀▀▀▀█ /);
    expect(code.at(-3)).toMatch(/^ {2}█ ███ █ /);
    expect(code.at(-2)).toMatch(/^ {2}█ ▀▀▀ █ /);
    expect(code.at(-1)).toMatch(/^ {2}▀▀▀▀▀▀▀ /);
    expect(rows[2 + code.length]?.trim()).toBe('');
    const seed = (/^((?:[A-Z2-7]{8} )+[A-Z2-7]{1,8})$/m.exec(qr)?.[1] ?? '').replace(/\s/g, '');
    expect(seed).toMatch(/^[A-Z2-7]{32,}$/);
    expect(rows.at(-1)).toContain('Enter once it is in your app');
    expect(qr).not.toContain('IAM user in both groups'); // the step list gives the code the room
    await read();
    term.keys('Enter');

    // Three codes from the app, each typed and sent with its Enter.
    const step = totpStep(Date.now());
    const first = await answer('First code from the app', totpAtStep(seed, step - 1), 'Enter');
    expect(first).toContain('Account alias (not needed here)'); // none asked for, none made
    expect(first).toContain('✔ IAM user in both groups');
    await answer('Wait for the next code', totpAtStep(seed, step), 'Enter');
    await answer('A new code from the app', totpAtStep(seed, step + 1), 'Enter');
    const bootstrapped = await finished('the end of bootstrap', 60_000);
    expect(bootstrapped).toContain('Use it: export AWS_PROFILE=slipway-admin');
    term.keys('h');

    // ── Publish, from the home screen: a real build, test stage and push into the sandbox's registry.
    await choose('Build and publish this app to ECR (slipway publish)');
    await answerAll(
      [
        ['Region of the ECR registry', ['Enter'], 'optional'],
        ['Application name', ['Enter'], 'optional'],
        ['Repository namespace', ['Enter']],
        ['How many tagged images to keep', ['Enter']],
        ['Log out of the registry', ['y', 'Enter']],
      ],
      'Docker and AWS ready',
    );
    const published = await finished('the end of publish', 180_000);
    expect(published).toMatch(/Published 127\.0\.0\.1:\d+\/apps\/todo:[0-9a-f]{7} \(and :latest\)/);
    expect(published).toMatch(/✔ Test stage — passed/);
    expect(headerOnTop(published), published).toBe(true);
    expect(fits(published), published).toBe(true);
    term.keys('h');

    // ── Rollout, from the home screen: a new environment, its questions answered, watched to its URL.
    await choose('Roll out to an environment on ECS (slipway rollout)');
    await answerAll(
      [
        ['Region to run in', ['Enter'], 'optional'],
        ['Application name', ['Enter'], 'optional'],
        ['Environment (dev, staging, prod…)', [environment('dev')]],
      ],
      'Where should the app run?',
    );
    const target = await answer('Where should the app run?', 'Down', 'Up', 'Enter');
    expect(target).toContain('❯ Fargate service');
    await answerAll(
      [
        ['Port your app listens on', ['Enter']],
        ['Health check path', ['Enter']],
        ['How many copies', ['Enter']],
        ['Task size', ['j', 'k', 'Enter']], // "jk\r" in one read: down, up, choose
        ['Keep logs for how many days', ['Enter']],
        ['Protect it', ['n', 'Enter']],
      ],
      'Deployment',
    );
    const rolledOut = await finished('the end of the rollout', 120_000);
    expect(rolledOut).toMatch(/Running at http:\/\/todo-dev-\d+\.us-east-1\.elb\.amazonaws\.com\//);
    expect(rolledOut).toContain('✔ Deployment');
    // The answers as typed, bursts included ("jk\r" went down and back up to the smallest size).
    expect(JSON.parse(readFileSync(join(fixture.app, 'slipway', 'environments', 'dev.json'), 'utf8'))).toMatchObject({ launchType: 'FARGATE', cpu: 256, memory: 512, desiredCount: 1, protected: false });
    // Leaving prints the record of every flow run in this session on the normal screen.
    const record = await leave(0);
    expect(record).toContain('export AWS_PROFILE=slipway-admin');
    expect(record).toMatch(/Published 127\.0\.0\.1:\d+\/apps\/todo/);
    expect(record).toContain('Running at http://todo-dev-');
    expect(record).not.toContain(seed); // the MFA seed stayed in the alternate screen

    // ── A one-off job that prints and fails, from the command line: its log and exit code stay on screen.
    slipway("run --sandbox-name wizard --env dev -- sh -c 'echo migrating; echo 3 tables; exit 3'");
    await answerAll(
      [
        ['Region to run in', ['Enter'], 'optional'],
        ['Application name', ['Enter'], 'optional'],
      ],
      'Start the one-off task',
    );
    const ran = await finished('the end of the run', 90_000);
    capture('run.txt');
    expect(ran).toMatch(/│ │ sh -c echo migrating; echo 3 tables; exit 3\s*│/); // the task's log, in the pane
    expect(ran).toMatch(/task [0-9a-f]{8}: STOPPED/); // its states as polled (which ones show depends on timing)
    expect(ran).toMatch(/task [0-9a-f]{8} exited with code 3/);
    expect(ran).toContain("sh -c 'echo migrating; echo 3 tables; exit 3'");
    expect(ran).toMatch(/exited with code 3; slipway exits with the same code\./);
    expect(ran).toMatch(/Finished in .+, with exit code 3\./); // not "Done": the job failed
    expect(headerOnTop(ran), ran).toBe(true);
    expect(fits(ran), ran).toBe(true);
    await leave(3);

    // ── Teardown, from the home screen: the confirmation lists what goes, the name typed approves it.
    slipway('--sandbox-name wizard');
    await choose('Tear down an environment (slipway teardown)');
    await answerAll(
      [
        ['Region to run in', ['Enter'], 'optional'],
        ['Application name', ['Enter'], 'optional'],
        ['Environment to tear down', [environment('dev')]],
        ['Delete its log group too', ['n', 'Enter']],
      ],
      'Type "dev" to delete',
    );
    const confirm = await term.waitFor('the confirmation', (s) => s.includes('Type "dev" to delete'));
    capture('teardown.txt');
    expect(headerOnTop(confirm), confirm).toBe(true);
    expect(fits(confirm), confirm).toBe(true);
    expect(confirm).toContain('What will be deleted in dev:');
    expect(confirm).toMatch(/- ECS service todo-dev \(\d+ running\): scaled to 0, then deleted/);
    expect(confirm).toContain('- listener todo-dev HTTP:80');
    expect(confirm).toMatch(/- load balancer todo-dev \(todo-dev-\d+\.us-east-1\.elb\.amazonaws\.com\)/);
    expect(confirm).toContain('- target group todo-dev-tg');
    expect(confirm).toMatch(/- security group todo-dev-load-balancer \(sg-[0-9a-f]+\)/);
    expect(confirm).toMatch(/- security group todo-dev-tasks \(sg-[0-9a-f]+\)/);
    expect(confirm).toContain('- task definition todo-dev:1 (deregistered)');
    expect(confirm).toContain('- IAM role todo-dev-ecs-execution');
    expect(confirm).toContain('- ECS cluster todo-dev');
    expect(confirm).toContain('- the log group /slipway/todo/dev (--delete-logs deletes it)'); // kept, as answered
    expect(confirm).not.toContain('✔ Delete the service'); // nothing done before the name is typed
    await read();
    term.keys('dev', 'Enter');
    const gone = await finished('the end of the teardown', 90_000);
    expect(gone).toMatch(/Deleted \d+ resources slipway made for dev\./);
    expect(gone).toContain('✔ Delete the cluster');
    term.keys('h');
    await term.waitFor('the home screen again', (s) => s.includes('slipway · home'));
    const teardownRecord = await leave(0);
    expect(teardownRecord).toMatch(/Deleted \d+ resources slipway made for dev\./);

    const state = createSandbox({ name: 'wizard', env: { XDG_STATE_HOME: fixture.stateHome } }).snapshot();
    const region = 'us-east-1';
    expect(Object.values(state.ecs?.services?.[region] ?? {}).filter((s) => s.status === 'ACTIVE')).toEqual([]);
    expect(Object.keys(state.elbv2?.loadBalancers[region] ?? {})).toEqual([]);
    expect(Object.values(state.ec2.securityGroups?.[region] ?? {}).filter((g) => g.name !== 'default')).toEqual([]);
    expect(Object.keys(state.iam.roles).filter((r) => r.startsWith('todo-'))).toEqual([]);
  }, 900_000);
});
