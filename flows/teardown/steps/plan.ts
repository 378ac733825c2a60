import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { checkStep } from '../../shared/check-step.js';
import { countOf, planLines, takeInventory, teardownTarget } from '../inventory.js';

export const deleteLogs = (c: RolloutContext) => c.answers.deleteLogs === true;

/** What would go, found by tags and shown before anything is touched (again on resume: what is left). */
export const plan: Step<RolloutContext> = checkStep('plan', 'What slipway made for this environment', async (c) => {
  const target = teardownTarget(c.dir, c.answers);
  const inventory = await takeInventory(c, target);
  const lines = planLines(c, inventory, deleteLogs(c), target);
  for (const line of lines) c.report.log(line);
  return { env: c.settings.env, target, count: countOf(inventory, deleteLogs(c)), plan: lines };
});

/**
 * Teardown cannot be undone: the person types the environment's name (`--approve` in a pipeline with
 * its own approval). The confirmation is journaled, so a resumed teardown does not ask again.
 */
export const confirm: Step<RolloutContext> = {
  id: 'confirm',
  title: 'Confirmation',
  // What was confirmed: deleting this environment — not the list of what is left, which shrinks as a
  // resumed teardown goes on.
  inputs: (c) => ({ env: c.settings.env, approve: c.answers.approve === true }),
  plan: (c) => `ask to type "${c.settings.env}" to delete`,
  readOnly: true,
  async probe(c) {
    if (c.output<number>('plan', 'count') === 0) return { required: false };
    const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
    return typeof earlier?.approvedBy === 'string' ? earlier : undefined;
  },
  async apply(c) {
    const approver = c.output('identity', 'arn');
    if (c.answers.approve === true) {
      c.report.log(`Approved with --approve by ${approver}.`, 'warn');
      return { required: true, approvedBy: approver, how: '--approve', at: new Date().toISOString() };
    }
    if (!c.prompter.interactive) throw approvalNeeded(c.settings.env);
    await c.prompter.text({
      id: 'confirm-teardown',
      message: `Type "${c.settings.env}" to delete all of the above (Ctrl-C to stop)`,
      details: { title: `What will be deleted in ${c.settings.env}:`, lines: c.output<string[]>('plan', 'plan') ?? [] },
      validate: (v) => (v.trim() === c.settings.env ? undefined : `Type ${c.settings.env} exactly to delete it, or press Ctrl-C to stop without deleting anything.`),
    });
    return { required: true, approvedBy: approver, how: 'typed', at: new Date().toISOString() };
  },
};

export function approvalNeeded(env: string): UsageError {
  return new UsageError(`Tearing down ${env} needs a confirmation, and nobody can be asked here.`, {
    why: 'Teardown deletes the service, load balancer, security groups, role and cluster of the environment; it cannot be undone.',
    fix: `Run \`slipway teardown --env ${env}\` in a terminal and type the environment's name, or pass --approve (in a pipeline with its own approval).`,
  });
}
