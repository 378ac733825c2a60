import type { Flow, Outputs } from '../../src/engine/types.js';
import { explainAwsError } from '../../src/aws/errors.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { rolloutClients, type RolloutContext } from '../rollout/context.js';
import { identity } from '../rollout/steps/identity.js';
import type { Runtime } from '../shared/runtime.js';
import { settleKnown } from '../shared/settled.js';
import { environmentContext, environmentStep, environmentTarget } from '../status/existing.js';
import { execQuestions } from './questions.js';
import { agentWait } from './steps/agent.js';
import { consent } from './steps/consent.js';
import { enableExec } from './steps/enable.js';
import { pickTask } from './steps/pick-task.js';
import { pluginCheck, session } from './steps/session.js';
import { execState } from './steps/state.js';
import { execTaskDefinition } from './steps/task-definition.js';
import { taskRole } from './steps/task-role.js';
import { shortTaskId } from '../shared/task-id.js';

/**
 * `slipway exec --env <env> [--task ID] [-- <command…>]`: ECS Exec into a task of the environment's
 * service. Turning exec on is a planned, resumable change like any flow's (the task role, a task
 * definition naming it, the service with enableExecuteCommand and a new deployment, a wait for the
 * agent); then the session hands the terminal to AWS's Session Manager plugin and slipway exits with
 * its code. Always line mode: the terminal belongs to the session, never to the full-screen wizard.
 */
export function execFlow(runtime: Runtime): Flow<RolloutContext> {
  const clients = rolloutClients(runtime);
  const saved = readProjectSettings(runtime.cwd);
  return {
    name: 'exec',
    title: 'ECS Exec into a task',
    questions: settleKnown(execQuestions({ region: runtime.aws.region, app: saved?.app, cwd: runtime.cwd }), runtime, saved),
    target: environmentTarget(clients),
    context: environmentContext(runtime, clients),
    steps: [identity, environmentStep, pluginCheck, execState, consent, taskRole, execTaskDefinition, enableExec, agentWait, pickTask, session],
    explainError: (error, step) => explainAwsError(error, step.title),
    summary: (outputs) => execSummary(outputs),
  };
}

export function execSummary(outputs: Record<string, Outputs>): string[] {
  const s = outputs.session;
  if (!s) return [];
  const code = Number(s.exitCode);
  const what = `Session in ${String(s.container)} of task ${shortTaskId(String(s.taskArn))} ended`;
  return [code === 0 ? `${what}.` : `${what} with exit code ${code}; slipway exits with the same code.`];
}

