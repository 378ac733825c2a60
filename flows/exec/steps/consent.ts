import { CancelledError, UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { typedExecAnswers } from '../questions.js';
import { serviceTasks } from './enable.js';
import { currentService, execReady } from './state.js';
import { execTaskRoleName } from './task-role.js';

/** What turning ECS Exec on changes, in the words the consent and the plan use. */
export function enablingLines(c: RolloutContext): string[] {
  const roleArn = c.output('exec-state', 'taskRoleArn');
  const allows = c.output<boolean>('exec-state', 'roleAllows');
  return [
    ...(roleArn ? [] : [`a task role ${execTaskRoleName(c)} with only the four ssmmessages permissions the ECS Exec agent needs`, `a new revision of ${c.names.family} naming that task role`]),
    ...(roleArn && !allows ? [`the task role ${roleArn.split('/').pop()} gets the four ssmmessages permissions the ECS Exec agent needs`] : []),
    `the service ${c.names.service}: enableExecuteCommand on and a new deployment (its tasks are replaced — a minute or two)`,
  ];
}

/** Off, or on for the service while every running task predates it (they never get the agent). */
const offFor = (c: RolloutContext) => (execReady(c) ? `ECS Exec is on for ${c.settings.env} but none of its running tasks was started with it` : `ECS Exec is off for ${c.settings.env}`);

/**
 * ECS Exec off is the usual first state: slipway offers to turn it on, saying what that changes — a new
 * deployment replaces every task — and goes ahead only when told to (here, or with --enable). Nobody to
 * ask and no --enable is bad input, found before anything changed (exit 2, nothing written).
 */
export const consent: Step<RolloutContext> = {
  id: 'consent',
  title: 'Turn ECS Exec on (asks first)',
  readOnly: true,
  // A consent given for the service as it was: once another deployment is primary (someone redeployed it,
  // or this run's own deployment went out), the present decides again.
  inputs: async (c) => ({ env: c.settings.env, deployment: (await currentService(c)).deployments?.find((d) => d.status === 'PRIMARY')?.id ?? '' }),
  plan: (c) => `ask to turn ECS Exec on: ${enablingLines(c).join('; ')}`,
  async probe(c) {
    // On, and tasks launched since run with the agent (or are starting with it): nothing to change. On but
    // every task older than that needs a new deployment too, and that is asked like the rest.
    if (execReady(c) && (await serviceTasks(c)).some((t) => t.enableExecuteCommand === true)) return { required: false };
    if (c.journaled?.status === 'done' && c.journaled.outputs?.required === true) return c.journaled.outputs;
    if (!typedExecAnswers(c.answers).enable && !c.prompter.interactive) {
      throw new UsageError(`${offFor(c)}: turning it on starts a new deployment.`, {
        why: enablingLines(c).join('; '),
        fix: `Run it in a terminal to be asked, or pass --enable: slipway exec --env ${c.settings.env} --enable`,
      });
    }
    return undefined;
  },
  async apply(c) {
    c.report.log(`${offFor(c)}. Turning it on makes:`);
    for (const line of enablingLines(c)) c.report.log(`  ${line}`);
    if (typedExecAnswers(c.answers).enable) {
      c.report.log('Turned on with --enable.');
      return { required: true, by: '--enable' };
    }
    const yes = await c.prompter.confirm({ id: 'enable', flag: '--enable', message: `Turn ECS Exec on for ${c.settings.env}? It takes a new deployment, a minute or two`, default: true });
    if (!yes) throw new CancelledError(`ECS Exec stays off for ${c.settings.env}; nothing was changed.`);
    return { required: true, by: 'asked' };
  },
};
