import { CancelledError, UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { typedExecAnswers } from '../questions.js';
import { execReady } from './state.js';
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

/**
 * ECS Exec off is the usual first state: slipway offers to turn it on, saying what that changes — a new
 * deployment replaces every task — and goes ahead only when told to (here, or with --enable). Nobody to
 * ask and no --enable is bad input, found before anything changed (exit 2, nothing written).
 */
export const consent: Step<RolloutContext> = {
  id: 'consent',
  title: 'Turn ECS Exec on (asks first)',
  readOnly: true,
  inputs: (c) => ({ env: c.settings.env }),
  plan: (c) => `ask to turn ECS Exec on: ${enablingLines(c).join('; ')}`,
  async probe(c) {
    if (execReady(c)) return { required: false };
    if (c.journaled?.status === 'done' && c.journaled.outputs?.required === true) return c.journaled.outputs;
    if (!typedExecAnswers(c.answers).enable && !c.prompter.interactive) {
      throw new UsageError(`ECS Exec is off for ${c.settings.env}: turning it on starts a new deployment.`, {
        why: enablingLines(c).join('; '),
        fix: `Run it in a terminal to be asked, or pass --enable: slipway exec --env ${c.settings.env} --enable`,
      });
    }
    return undefined;
  },
  async apply(c) {
    c.report.log(`ECS Exec is off for ${c.settings.env}. Turning it on makes:`);
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
