import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanResult } from '../../../src/engine/plan.js';
import { environmentPath } from '../../../flows/rollout/environment-path.js';
import { publishImage } from '../rollout/harness.js';
import { slipway, useBinaryWorlds } from '../run/binary-world.js';

/**
 * `--plan` through the built binary, in the sandbox: what it says must be what the flow then does, and
 * it writes nothing — no AWS resource, no journal, no environment file.
 */
const world = useBinaryWorlds();

type World = Awaited<ReturnType<typeof world>>;

/** What the account holds that a rollout or teardown makes or deletes: equal before and after a plan. */
function resources(w: World) {
  const s = w.sandbox.snapshot();
  const region = 'us-east-1';
  return {
    groups: Object.keys(s.ec2.securityGroups?.[region] ?? {}).sort(),
    roles: Object.keys(s.iam.roles).sort(),
    loadBalancers: Object.keys(s.elbv2?.loadBalancers[region] ?? {}).sort(),
    services: Object.values(s.ecs?.services?.[region] ?? {}).map((x) => JSON.stringify([x.status, x.taskDefinition])).sort(),
    taskDefinitions: Object.keys(s.ecs?.taskDefinitions?.[region] ?? {}).length,
  };
}

function journals(w: World): string[] {
  const dir = join(String(w.binaryEnv.XDG_STATE_HOME), 'slipway', 'journals');
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function plan(w: World, ...args: string[]): Promise<{ code: number | null; plan: PlanResult; text: string }> {
  // slipway's own flags go before `--` (after it, every word is the one-off task's command).
  const cut = args.includes('--') ? args.indexOf('--') : args.length;
  const withFlags = (...flags: string[]) => [...args.slice(0, cut), ...flags, ...args.slice(cut)];
  const json = await slipway(w, withFlags('--plan', '--detailed-exitcode', '--json'));
  expect(json.stderr).not.toMatch(/Error/);
  const text = await slipway(w, withFlags('--plan'));
  expect(text.code, text.stderr).toBe(0); // without --detailed-exitcode a plan exits 0 whatever it found
  return { code: json.code, plan: JSON.parse(json.stdout) as PlanResult, text: text.stdout };
}

/** The steps a run changed something in (not found in place, not a check, not a watch or an approval). */
function applied(output: string, titles: string[]): string[] {
  const lines = output.split('\n');
  return titles.filter((title) => {
    const line = lines.find((l) => l.includes(` ${title} — `) || l.includes(` ${title} (`));
    return line !== undefined && !/already in place|already done|not needed here|adopted/.test(line);
  });
}

interface ObjectSchema {
  required: string[];
  properties: Record<string, { enum?: string[]; items?: ObjectSchema } & Partial<ObjectSchema>>;
}
const SCHEMA = JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as ObjectSchema;

/** The plan holds to schemas/plan.schema.json: its keys (required, none unknown) and the actions it names. */
function expectSchema(plan: PlanResult): void {
  const keys = (o: object) => Object.keys(o).sort();
  const shape = (o: object, schema: Partial<ObjectSchema>) => {
    expect(keys(o).filter((k) => !(k in (schema.properties ?? {})))).toEqual([]);
    for (const required of schema.required ?? []) expect(o).toHaveProperty(required);
  };
  shape(plan, SCHEMA);
  shape(plan.counts, SCHEMA.properties.counts!);
  shape(plan.target, SCHEMA.properties.target!);
  const step = SCHEMA.properties.steps!.items!;
  for (const s of plan.steps) {
    shape(s, step);
    expect(step.properties.action?.enum).toContain(s.action);
  }
}

const changing = (p: PlanResult) => p.steps.filter((s) => ['create', 'update', 'delete', 'unknown'].includes(s.action)).map((s) => s.title);
const observed = (p: PlanResult) => p.steps.filter((s) => s.action === 'check' || s.action === 'run').map((s) => s.title);

describe('--plan: what the flow would do, from the present, writing nothing', () => {
  it('rollout: a new environment’s plan, then the rollout does exactly what it said; again, nothing to change; a new image, an update of the service', async () => {
    const w = await world();
    const before = resources(w);
    const first = await plan(w, 'rollout', '--env', 'dev', '--yes');
    expect(first.code).toBe(3);
    expect(first.plan.changes).toBe(true);
    expectSchema(first.plan);
    expect(first.text).toMatch(/^ {2}\+ Security group for the load balancer: ec2:CreateSecurityGroup todo-dev-load-balancer/m);
    expect(first.text).toMatch(/^ {2}\+ Service deployment: .*\n {6}create: ECS service todo-dev with 1 task$/m);
    expect(first.text).toMatch(/^\d+ to create, \d+ unchanged; 1 step would run without changing anything\.$/m);
    // Nothing written: the account, the journals and the environment file are as they were.
    expect(resources(w)).toEqual(before);
    expect(journals(w)).toEqual([]);
    expect(existsSync(environmentPath(w.runtime.cwd, 'dev'))).toBe(false);

    const run = await slipway(w, ['rollout', '--env', 'dev', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    const titles = first.plan.steps.map((s) => s.title);
    expect(applied(run.stdout, titles).filter((t) => !observed(first.plan).includes(t))).toEqual(changing(first.plan));

    const again = await plan(w, 'rollout', '--env', 'dev', '--yes');
    expect(again.code, again.text).toBe(0);
    expect(again.plan.changes).toBe(false);
    expect(again.plan.counts).toMatchObject({ create: 0, update: 0, delete: 0 });

    const v2 = await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const update = await plan(w, 'rollout', '--env', 'dev', '--yes');
    expect(update.code).toBe(3);
    const service = update.plan.steps.find((s) => s.id === 'service');
    expect(service?.action).toBe('update');
    expect(service?.detail.join('\n')).toContain(v2.digest);
    const afterPlan = resources(w);
    const rolled = await slipway(w, ['rollout', '--env', 'dev', '--yes']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(applied(rolled.stdout, update.plan.steps.map((s) => s.title)).filter((t) => !observed(update.plan).includes(t))).toEqual(changing(update.plan));
    expect(resources(w)).not.toEqual(afterPlan); // the plan wrote nothing; the rollout did
  }, 120_000);

  it('teardown: each deletion listed, nothing deleted, no approval needed for a plan; run without a terminal --approve is still required', async () => {
    const w = await world();
    expect((await slipway(w, ['rollout', '--env', 'dev', '--yes'])).code).toBe(0);
    const before = resources(w);
    const journalsBefore = journals(w);
    const gone = await plan(w, 'teardown', '--env', 'dev');
    expect(gone.code).toBe(3);
    expectSchema(gone.plan);
    expect(gone.plan.counts.delete).toBeGreaterThan(3);
    expect(gone.text).toMatch(/^ {2}- /m);
    expect(gone.text).toMatch(/^ {2}> Confirmation: ask to type "dev" to delete$/m);
    expect(resources(w)).toEqual(before);
    expect(journals(w)).toEqual(journalsBefore);
    const refused = await slipway(w, ['teardown', '--env', 'dev']);
    expect(refused.code).toBe(2);
    // Then the teardown deletes exactly what its plan listed.
    const gone2 = await slipway(w, ['teardown', '--env', 'dev', '--approve']);
    expect(gone2.code, gone2.stderr).toBe(0);
    const titles = gone.plan.steps.map((s) => s.title);
    expect(applied(gone2.stdout, titles).filter((t) => !observed(gone.plan).includes(t))).toEqual(changing(gone.plan));
    const after = await plan(w, 'teardown', '--env', 'dev');
    expect(after.code, after.text).toBe(0);
  }, 120_000);

  it('run: no environment stops the plan as it stops the run; deployed, only the task is a change', async () => {
    const w = await world();
    const early = await slipway(w, ['run', '--env', 'dev', '--plan', '--', 'echo', 'hi']);
    const runEarly = await slipway(w, ['run', '--env', 'dev', '--', 'echo', 'hi']);
    expect(early.code).toBe(runEarly.code);
    expect(early.code).not.toBe(0);
    expect(early.stderr.split('\n')[0]).toBe(runEarly.stderr.split('\n')[0]);
    expect((await slipway(w, ['rollout', '--env', 'dev', '--yes'])).code).toBe(0);
    const job = await plan(w, 'run', '--env', 'dev', '--', 'echo', 'hi');
    expect(job.code).toBe(3);
    expect(job.plan.steps.map((s) => [s.id, s.action])).toEqual([
      ['identity', 'check'],
      ['environment', 'check'],
      ['prepare', 'unchanged'],
      ['task', 'create'],
      ['wait', 'run'],
    ]);
  }, 60_000);

  it('an unfinished run the flow would resume: the plan says so, and is made with that run’s answers', async () => {
    const w = await world();
    w.sandbox.update((state) => {
      state.scenario = 'crash-loop';
    });
    const failed = await slipway(w, ['rollout', '--env', 'dev', '--yes']);
    expect(failed.code).toBe(1);
    const resumed = await plan(w, 'rollout', '--env', 'dev', '--yes');
    expect(resumed.plan.resumes).toMatch(/^todo\/dev · \d{12} · us-east-1, stopped at "Deployment"$/);
    expect(resumed.text).toContain('The run would resume an unfinished one');
    expectSchema(resumed.plan);
  }, 60_000);

  it('a check that fails stops the plan with the run’s own error (bad input: exit 2), not a plan that says it would create', async () => {
    const w = await world();
    const bad = await slipway(w, ['rollout', '--env', 'dev', '--yes', '--plan', '--image', `${w.published.uri}@sha256:${'0'.repeat(64)}`]);
    expect(bad.code, bad.stdout).toBe(2);
    expect(bad.stdout).not.toMatch(/to create/);
  });

  it('bad input: --plan with a flow that only looks, --detailed-exitcode alone — exit 2, nothing written', async () => {
    const w = await world();
    for (const args of [['status', '--plan'], ['rollout', '--env', 'dev', '--detailed-exitcode']]) {
      const run = await slipway(w, args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--plan goes with a flow that changes something|--detailed-exitcode only goes with --plan/);
    }
    expect(journals(w)).toEqual([]);
  });
});
