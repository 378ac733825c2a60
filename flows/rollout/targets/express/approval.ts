import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { approvalStep } from '../../steps/approval.js';
import { describeExpress } from './service.js';
import { desiredExpress, expressChanges } from './spec.js';

/**
 * The protected-environment approval of steps/approval.ts for an Express Mode environment: the same
 * typed name (or --approve), bound to the image and settings, with what changes in the Express service.
 */
export function expressApproval(resourceSteps: Step<RolloutContext>[]): Step<RolloutContext> {
  return approvalStep(resourceSteps, async (c) => {
    const service = await describeExpress(c);
    const live = service && service.status?.statusCode !== 'INACTIVE' && service.status?.statusCode !== 'DRAINING' ? service : undefined;
    const current = [...(live?.activeConfigurations ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
    // The role's ARN is known from its name before it exists; the comparison must not see a change.
    const wanted = desiredExpress(c, current?.executionRoleArn ?? `arn:aws:iam::${c.account()}:role/${c.names.executionRole}`);
    return expressChanges(current, wanted, c.names.service);
  });
}
