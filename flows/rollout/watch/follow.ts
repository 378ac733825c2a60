import type { Deployment, Task } from '@aws-sdk/client-ecs';
import { abortableSleep } from '../../../src/aws/waiters.js';
import { CancelledError, SlipwayError } from '../../../src/engine/errors.js';
import type { Outputs } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { diagnose, diagnosisLines, type Diagnosis, type Evidence } from '../diagnosis/index.js';
import { describe } from '../steps/service.js';
import { countsLine, deploymentState, newEvents, type DeploymentState } from './deployment-view.js';
import { asStopped, deploymentEvents, deploymentTasks, diagnosisSettings, lastLogLines, placeInTime, stoppedTasks, targetHealth, type DeploymentScope } from './gather.js';
import { inSentence } from '../../../src/present/format.js';

/**
 * The deployment watch (steps/watch.ts for Fargate), with two seams for a target that has more to show and to
 * diagnose (EC2: its container instances): `poll` runs on every round and may end the watch early with
 * a reason (nothing could ever place the tasks), `evidence` adds to what the diagnosis reads.
 */
export interface WatchHooks {
  poll?(c: RolloutContext): Promise<{ giveUp?: string } | void>;
  evidence?(c: RolloutContext, base: Evidence): Promise<Evidence>;
}

/**
 * `--detach`: leave a deployment that ECS is carrying on. One that has already failed, been rolled back or
 * finished is not "started, ECS carries it on": then the watch runs and says what became of it.
 */
export async function detachFrom(c: RolloutContext): Promise<Outputs | undefined> {
  const deploymentId = c.output('service', 'deploymentId');
  const state = deploymentState(await describe(c), deploymentId);
  return state.kind === 'in-progress' ? { detached: true, deploymentId } : undefined;
}

export async function followDeployment(c: RolloutContext, hooks: WatchHooks = {}): Promise<Outputs> {
  const deploymentId = c.output('service', 'deploymentId');
  const revision = c.output('service', 'taskDefinitionArn');
  const started = Date.now();
  const deadline = c.now() + c.settings.watchMinutes * 60_000;
  const scope: DeploymentScope = { id: deploymentId, taskDefinition: revision };
  const seenEvents = new Set<string>();
  const stopped = new Map<string, Task>();
  let lastCounts = '';
  let first = true;
  try {
    for (;;) {
      const service = await describe(c);
      const fresh: Task[] = [];
      for (const task of await stoppedTasks(c, scope)) {
        if (!task.taskArn || stopped.has(task.taskArn)) continue;
        stopped.set(task.taskArn, task);
        fresh.push(task);
      }
      placeInTime(scope, service, [...stopped.values()]);
      // Only this deployment's events: re-attaching opens with its latest few, never an earlier deployment's last words.
      const events = newEvents(deploymentEvents(service, scope), seenEvents).filter((_, i, all) => !first || i >= all.length - 3);
      first = false;
      for (const line of events) c.report.log(line);
      for (const task of fresh.reverse()) c.report.log(stoppedLine(task), 'warn');
      const polled = await hooks.poll?.(c);
      const state = deploymentState(service, deploymentId);
      if (state.kind === 'superseded' || (state.kind === 'replaced' && ![...stopped.values()].some(failedTask))) throw superseded(c, deploymentId, revision, state.primary);
      if (state.kind !== 'replaced') {
        const d = state.deployment;
        c.report.progress('tasks running', d.runningCount ?? 0, d.desiredCount ?? 0, 'items');
        const counts = countsLine(d);
        if (counts !== lastCounts) c.report.log(counts);
        lastCounts = counts;
      }
      if (state.kind === 'completed') {
        // How long the deployment took, on the account's clock — also when this run only re-attached to it.
        const deployedMs = Math.max(0, c.now() - (state.deployment.createdAt?.getTime() ?? c.now()));
        return { deploymentId, taskDefinitionArn: revision, watchedMs: Date.now() - started, deployedMs, outcome: 'completed' };
      }
      if (state.kind === 'failed' || state.kind === 'replaced') throw await failure(c, hooks, state, scope, [...stopped.values()], false);
      if (polled && polled.giveUp) {
        c.report.log(polled.giveUp, 'warn');
        throw await failure(c, hooks, state, scope, [...stopped.values()], false);
      }
      if (c.now() > deadline) throw await failure(c, hooks, state, scope, [...stopped.values()], true);
      await abortableSleep(c.pollMs * (0.8 + Math.random() * 0.4), c.signal);
    }
  } catch (error) {
    if (error instanceof CancelledError || c.signal.aborted) {
      c.report.log(`Stopped watching. Deployment ${deploymentId} goes on in AWS; \`slipway rollout --env ${c.settings.env}\` watches it again.`, 'warn');
      throw new CancelledError(`Stopped watching; the deployment continues on AWS. Re-attach with: slipway rollout --env ${c.settings.env}`);
    }
    throw error;
  }
}

/** A task that stopped because something went wrong (not a scale-in or a replacement). */
function failedTask(task: Task): boolean {
  return task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited' || /health check/i.test(task.stoppedReason ?? '');
}

/**
 * A newer deployment took ours' place before it finished and none of ours failed: not a failure to
 * diagnose, and not a rollback either — someone (another slipway, the console) deployed meanwhile.
 */
function superseded(c: RolloutContext, deploymentId: string, revision: string, primary: Deployment | undefined): SlipwayError {
  const now = primary ? `deployment ${primary.id} of ${primary.taskDefinition?.split('/').pop()}` : 'another deployment';
  c.report.log(`Deployment ${deploymentId} is no longer the service’s: ${now} took its place.`, 'warn');
  return new SlipwayError(`Deployment ${deploymentId} of ${revision.split('/').pop()} was superseded by ${now} before it finished.`, {
    why: 'A newer deployment of the service was started meanwhile (another slipway run, the console, a pipeline); ECS stops the older one. None of its tasks ECS still shows (about an hour) failed.',
    fix: `\`slipway status --env ${c.settings.env}\` shows what runs now; \`slipway rollout --env ${c.settings.env}\` deploys this image again.`,
  });
}

function stoppedLine(task: Task): string {
  const id = task.taskArn?.split('/').pop()?.slice(0, 8);
  const container = task.containers?.find((k) => k.exitCode !== undefined) ?? task.containers?.[0];
  const exit = container?.exitCode !== undefined ? ` (exit code ${container.exitCode}${container.reason ? `, ${container.reason}` : ''})` : '';
  return `task ${id} stopped: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${exit}`;
}

async function failure(c: RolloutContext, hooks: WatchHooks, state: DeploymentState, scope: DeploymentScope, stopped: Task[], timedOut: boolean): Promise<SlipwayError> {
  const newest = stopped.sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
  const service = await describe(c).catch(() => undefined);
  placeInTime(scope, service, newest);
  const running = await deploymentTasks(c, scope, 'RUNNING').catch(() => []);
  const failedTask = newest.find((t) => t.stopCode === 'EssentialContainerExited') ?? newest[0];
  const base: Evidence = {
    deployment: state.kind === 'replaced' ? undefined : state.deployment,
    rolledBack: state.kind === 'replaced',
    stoppedTasks: newest.map(asStopped),
    events: deploymentEvents(service, scope).map((e) => e.message ?? ''),
    targetHealth: await targetHealth(c, [...running, ...newest]),
    logLines: await lastLogLines(c, failedTask?.taskArn),
    timedOut,
    settings: diagnosisSettings(c),
  };
  const diagnosis = diagnose(hooks.evidence ? await hooks.evidence(c, base).catch(() => base) : base);
  for (const line of diagnosisLines(diagnosis)) c.report.log(line, 'error');
  return new SlipwayError(headline(state, timedOut, c.settings.watchMinutes, diagnosis), { why: whyText(diagnosis), fix: fixText(c, diagnosis, timedOut) });
}

function headline(state: DeploymentState, timedOut: boolean, minutes: number, d: Diagnosis): string {
  const cause = inSentence(d.title);
  if (timedOut) return `The deployment has not finished after ${minutes} min: ${cause}.`;
  const back = state.kind === 'replaced' ? state.primary?.taskDefinition : state.kind === 'failed' ? state.rolledBackTo : undefined;
  if (back) return `The deployment failed and ECS rolled back to ${back.split('/').pop()}: ${cause}.`;
  if (state.kind === 'in-progress') return `The deployment cannot finish: ${cause}.`;
  return `The deployment failed: ${cause}.`;
}

function whyText(d: Diagnosis): string {
  return [d.why, ...d.evidence.map((e) => `ECS said: ${e}`), ...(d.logLines?.length ? ['Last log lines:', ...d.logLines.map((l) => `  │ ${l}`)] : [])].join('\n');
}

function fixText(c: RolloutContext, d: Diagnosis, timedOut: boolean): string {
  const again = timedOut
    ? `ECS keeps trying on its own: \`slipway rollout --env ${c.settings.env}\` watches it again.`
    : `Then \`slipway rollout --env ${c.settings.env}\` deploys again.`;
  return `${d.fix} ${again}`;
}
