import { explainAwsError } from '../../src/aws/errors.js';
import type { Flow, Outputs, Step } from '../../src/engine/types.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { rolloutClients, type RolloutContext } from '../rollout/context.js';
import { diagnosisLines } from '../rollout/diagnosis/index.js';
import { dirname } from 'node:path';
import { environmentNames, environmentPath } from '../rollout/environment-path.js';
import { identity } from '../rollout/steps/identity.js';
import { checkStep } from '../shared/check-step.js';
import type { Runtime } from '../shared/runtime.js';
import { environmentStatus } from './environment-status.js';
import { environmentContext, environmentTarget } from './existing.js';
import { statusQuestions } from './questions.js';
import type { EnvironmentStatus, LastFailure, StatusReport } from './schema.js';
import { settleKnown } from '../shared/settled.js';

/**
 * `slipway status [--env <env>]`: what runs where, read-only. A `checks` flow: it changes nothing, so
 * there is nothing to resume and its journal is never listed as unfinished.
 */
export function statusFlow(runtime: Runtime): Flow<RolloutContext> {
  const clients = rolloutClients(runtime);
  const saved = readProjectSettings(runtime.cwd);
  return {
    name: 'status',
    title: 'Status',
    kind: 'checks',
    questions: settleKnown(statusQuestions({ region: runtime.aws.region, app: saved?.app, cwd: runtime.cwd }), runtime, saved),
    target: environmentTarget(clients),
    context: environmentContext(runtime, clients),
    steps: [identity, report],
    explainError: (error, step) => explainAwsError(error, step.title),
    summary: (outputs) => statusSummary(outputs.report as StatusReport | undefined),
  };
}

const report: Step<RolloutContext> = checkStep('report', 'Environments', async (c) => {
  const envs = c.settings.env ? [c.settings.env] : environmentNames(c.dir);
  if (envs.length === 0) c.report.log(`No environments in ${dirname(environmentPath(c.dir, 'x'))} yet: \`slipway rollout --env dev\` makes the first.`);
  const environments: EnvironmentStatus[] = [];
  for (const env of envs) {
    const status = await environmentStatus(c, env);
    environments.push(status);
    for (const line of describe(status)) c.report.log(line);
    if (status.deployed && status.lastFailure) {
      for (const line of diagnosisLines(status.lastFailure.diagnosis as Parameters<typeof diagnosisLines>[0])) c.report.log(`  ${line}`, status.rolloutState === 'FAILED' ? 'error' : 'warn');
    }
  }
  return { app: c.settings.app, region: c.settings.region, account: c.account(), environments } satisfies StatusReport & Outputs;
});

function describe(s: EnvironmentStatus): string[] {
  if (!s.deployed) return [`${s.env}: nothing deployed`];
  const digest = s.imageDigest ? ` · ${s.imageDigest.slice(0, 19)}…` : '';
  const pending = s.pendingCount ? ` · pending ${s.pendingCount}` : '';
  const counts = s.runningCount === null ? '' : ` · running ${s.runningCount}/${s.desiredCount ?? 0}${pending}`;
  const express = s.express ? ` · Express ${s.express.status}${s.express.deploymentStatus ? ` (deployment ${s.express.deploymentStatus})` : ''} · revision ${s.express.serviceRevisionArn.split('/').pop()}` : '';
  const lines = [`${s.env}: ${s.revision}${digest}${express}${counts} · ${s.rolloutState ?? 'no deployment'}${s.url ? ` · ${s.url}` : ''}`];
  if (s.rolloutState === 'FAILED' && s.rolloutStateReason) lines.push(`  ${s.rolloutStateReason}`);
  if (s.lastFailure) lines.push(failureLine(s.lastFailure));
  if (s.fileProblem) lines.push(`  environment file: ${s.fileProblem}`);
  return lines;
}

export function statusSummary(report: StatusReport | undefined): string[] {
  if (!report) return [];
  if (report.environments.length === 0) return ['No environments yet: `slipway rollout --env dev` makes the first.'];
  return report.environments.flatMap((s) => {
    if (!s.deployed) return [`${s.env}: nothing deployed — \`slipway rollout --env ${s.env}\``];
    return [describe(s)[0]!, ...(s.lastFailure ? [failureLine(s.lastFailure)] : [])];
  });
}

/** "  last failure (deployment ecs-svc/… · todo-dev:2 · started …; stopped …): …", or an earlier deployment's, said so. */
function failureLine(f: LastFailure): string {
  const of = [f.deploymentId ? `deployment ${f.deploymentId}` : undefined, f.revision ?? undefined, f.deploymentCreatedAt ? `started ${f.deploymentCreatedAt}` : undefined].filter(Boolean).join(' · ');
  const when = [of, f.stoppedAt ? `stopped ${f.stoppedAt}` : undefined].filter(Boolean).join('; ');
  const label = f.current === false ? 'last failure, of an earlier deployment (not the one running now)' : 'last failure';
  return `  ${label}${when ? ` (${when})` : ''}: ${f.diagnosis.title}`;
}
