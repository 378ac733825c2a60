import { createHash } from 'node:crypto';
import { UsageError } from '../../../../src/engine/errors.js';
import type { Outputs, Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { describeExpress } from './service.js';
import { desiredExpress, expressChanges } from './spec.js';

/**
 * The protected-environment approval of steps/approval.ts for an Express Mode environment: the same
 * typed name (or --approve) and the same fingerprint (this image with these settings), listing the
 * roles and log group to create and what changes in the Express service.
 */
export function expressApproval(resourceSteps: Step<RolloutContext>[]): Step<RolloutContext> {
  return {
    id: 'approval',
    title: 'Approval (protected environment)',
    plan: (c) => `ask to type "${c.settings.env}" to approve`,
    async probe(c) {
      if (!c.environment().protected) return { required: false };
      const plan = await changePlan(c, resourceSteps);
      if (plan.lines.length === 0) return { required: true, approvedBy: 'nothing to change', fingerprint: plan.fingerprint };
      const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
      return earlier?.fingerprint === plan.fingerprint ? earlier : undefined;
    },
    async apply(c) {
      const plan = await changePlan(c, resourceSteps);
      c.report.log(`Changes to ${c.settings.env} (protected):`);
      for (const line of plan.lines) c.report.log(`  ${line}`);
      const approver = c.output('identity', 'arn');
      if (c.settings.approve) {
        c.report.log(`Approved with --approve by ${approver}.`, 'warn');
      } else if (!c.prompter.interactive) {
        throw new UsageError(`${c.settings.env} is a protected environment: these changes need approval.`, {
          why: plan.lines.join('; '),
          fix: 'Run interactively and type the environment name, or pass --approve in a pipeline that has its own approval.',
        });
      } else {
        await c.prompter.text({
          id: 'approval',
          message: `Type "${c.settings.env}" to approve these changes (Ctrl-C to stop)`,
          validate: (v) => (v.trim() === c.settings.env ? undefined : `Type ${c.settings.env} exactly to approve, or press Ctrl-C to stop without changing anything.`),
        });
      }
      return { required: true, approvedBy: approver, at: new Date().toISOString(), fingerprint: plan.fingerprint, image: c.output('image', 'image'), changes: plan.lines };
    },
  };
}

async function changePlan(c: RolloutContext, resourceSteps: Step<RolloutContext>[]): Promise<{ lines: string[]; fingerprint: string }> {
  const lines: string[] = [];
  for (const step of resourceSteps) {
    let done: Outputs | undefined;
    try {
      done = await step.probe(c);
    } catch {
      done = undefined;
    }
    if (!done) lines.push(`create: ${describePlan(step, c)}`);
  }
  const service = await describeExpress(c);
  const live = service && service.status?.statusCode !== 'INACTIVE' && service.status?.statusCode !== 'DRAINING' ? service : undefined;
  const current = [...(live?.activeConfigurations ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  // The role's ARN is known from its name before it exists; the comparison must not see a change.
  const wanted = desiredExpress(c, current?.executionRoleArn ?? `arn:aws:iam::${c.account()}:role/${c.names.executionRole}`);
  lines.push(...expressChanges(current, wanted, c.names.service));
  const fingerprint = createHash('sha256').update(JSON.stringify([c.output('image', 'image'), c.environment()])).digest('hex').slice(0, 16);
  return { lines, fingerprint };
}

function describePlan(step: Step<RolloutContext>, c: RolloutContext): string {
  try {
    return step.plan?.(c) ?? step.title;
  } catch {
    return step.title;
  }
}
