import type { Flow, Outputs } from '../../src/engine/types.js';
import { explainAwsError } from '../../src/aws/errors.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { rolloutClients, type RolloutContext } from '../rollout/context.js';
import { identity } from '../rollout/steps/identity.js';
import type { Runtime } from '../shared/runtime.js';
import { environmentContext, environmentStep, environmentTarget } from '../status/existing.js';
import { showCommand } from './command.js';
import { runQuestions } from './questions.js';
import { prepare } from './steps/prepare.js';
import { shortId, task } from './steps/task.js';
import { wait } from './steps/wait.js';
import { settleKnown } from '../shared/settled.js';

/**
 * `slipway run --env <env> -- <command…>`: a one-off task (a migration, a task runner) with the
 * environment's current revision and network (reference §8), its log streamed, and the container's
 * exit code handed on as slipway's own (the `exitCode` output of a finished run).
 */
export function runFlow(runtime: Runtime): Flow<RolloutContext> {
  const clients = rolloutClients(runtime);
  const saved = readProjectSettings(runtime.cwd);
  return {
    name: 'run',
    title: 'Run a one-off task',
    questions: settleKnown(runQuestions({ region: runtime.aws.region, app: saved?.app, cwd: runtime.cwd }), runtime, saved),
    target: environmentTarget(clients),
    context: environmentContext(runtime, clients),
    steps: [identity, environmentStep, prepare, task, wait],
    explainError: (error, step) => explainAwsError(error, step.title),
    summary: (outputs) => runSummary(outputs),
  };
}

export function runSummary(outputs: Record<string, Outputs>): string[] {
  const code = Number(outputs.wait?.exitCode);
  const what = `${showCommand((outputs.prepare?.command as string[] | undefined) ?? [])} (task ${shortId(String(outputs.task?.taskArn ?? ''))}, ${String(outputs.prepare?.revision ?? '')})`;
  return code === 0 ? [`${what} finished: exit code 0.`] : [`${what} exited with code ${code}; slipway exits with the same code.`];
}
