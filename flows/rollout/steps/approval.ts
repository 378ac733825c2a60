import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { MissingOutputError, UsageError } from '../../../src/engine/errors.js';
import { KNOWN_LATER, planSteps } from '../../../src/engine/plan.js';
import type { Outputs, Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { desiredTaskDefinition, taskDefinitionChanges } from '../task-definition-spec.js';

/**
 * A protected environment (prod by default) changes only after the person has seen what changes —
 * image, env vars, size, count, new resources — and typed the environment's name (the book's manual
 * approval, chapter 13, done as the reference's direct-API route). Non-interactive runs need --approve.
 * The approval is journaled with who gave it, so a resumed run does not ask again for the same change:
 * its inputs bind it to this image with these settings (not to the plan's lines, which shrink as
 * resources get created), and the engine shows it to the probe only while they hold.
 */
export function approvalStep(resourceSteps: Step<RolloutContext>[], serviceChanges: ServiceChanges = ecsServiceChanges): Step<RolloutContext> {
  return {
    id: 'approval',
    title: 'Approval (for a protected environment)',
    inputs: (c) => (c.environment().protected ? { image: c.output('image', 'image'), environment: c.environment() } : {}),
    plan: (c) => `ask to type "${c.settings.env}" to approve`,
    readOnly: true,
    async probe(c) {
      if (!c.environment().protected) return { required: false };
      const plan = await changePlan(c, resourceSteps, serviceChanges);
      if (plan.lines.length === 0) return { required: true, approvedBy: 'nothing to change' };
      const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
      if (earlier) return earlier;
      // Known before anything is done: an approval nobody can give is bad input (exit 2, nothing written).
      if (!c.settings.approve && !c.prompter.interactive) throw approvalNeeded(c, plan.lines);
      return undefined;
    },
    async apply(c) {
      const plan = await changePlan(c, resourceSteps, serviceChanges);
      c.report.log(`Changes to ${c.settings.env} (protected):`);
      for (const line of plan.lines) c.report.log(`  ${line}`);
      const approver = c.output('identity', 'arn');
      if (c.settings.approve) {
        c.report.log(`Approved with --approve by ${approver}.`, 'warn');
      } else if (!c.prompter.interactive) {
        throw approvalNeeded(c, plan.lines);
      } else {
        await c.prompter.text({
          id: 'approval',
          message: `Type "${c.settings.env}" to approve these changes (Ctrl-C to stop)`,
          details: { title: `Changes to ${c.settings.env} (protected):`, lines: plan.lines },
          validate: (v) => (v.trim() === c.settings.env ? undefined : `Type ${c.settings.env} exactly to approve, or press Ctrl-C to stop without changing anything.`),
        });
      }
      return { required: true, approvedBy: approver, at: new Date().toISOString(), image: c.output('image', 'image'), changes: plan.lines };
    },
  };
}

function approvalNeeded(c: RolloutContext, lines: string[]): UsageError {
  return new UsageError(`${c.settings.env} is a protected environment: these changes need approval.`, {
    why: lines.join('; '),
    fix: 'Run interactively and type the environment name, or pass --approve in a pipeline that has its own approval.',
  });
}

/** What changes in the service itself, one line each: the ECS service's task definition and count here; Express Mode passes its own. */
export type ServiceChanges = (c: RolloutContext) => Promise<string[]>;

/** What this rollout would change, as lines. */
export async function changePlan(c: RolloutContext, resourceSteps: Step<RolloutContext>[], serviceChanges: ServiceChanges): Promise<{ lines: string[] }> {
  // The approval runs before the resource steps, so their outputs are not in `c` yet: `--plan`'s own
  // planSteps probes them into a scratch copy the later probes read (the task security group needs the
  // load balancer's group id), so what is "create" here is what `--plan` says is "+".
  const scratch: Record<string, Outputs> = { ...c.outputs };
  const planned = await planSteps(resourceSteps, scratchContext(c, scratch), scratch, { cancel: c.signal });
  const lines = planned.filter((p) => p.action === 'create' || p.action === 'unknown' || p.action === 'update').map((p) => `create: ${p.detail[0] === KNOWN_LATER || p.detail.length === 0 ? p.title : p.detail[0]}`);
  lines.push(...(await serviceChanges(c)));
  return { lines };
}

export async function ecsServiceChanges(c: RolloutContext): Promise<string[]> {
  const lines: string[] = [];
  const ecs = await c.ecs();
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: c.names.cluster, services: [c.names.service] }), { abortSignal: c.signal }).catch(() => undefined))?.services?.find((s) => s.status === 'ACTIVE');
  const current = service?.taskDefinition ? (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }), { abortSignal: c.signal })).taskDefinition : undefined;
  const desired = desiredTaskDefinition({
    names: c.names,
    environment: c.environment(),
    image: c.output('image', 'image'),
    // The role's ARN is known from its name before it exists; the comparison must not see a change.
    executionRoleArn: current?.executionRoleArn ?? `arn:aws:iam::${c.account()}:role/${c.names.executionRole}`,
    region: c.settings.region,
    tags: c.tags,
  });
  lines.push(...taskDefinitionChanges(current, desired));
  const count = c.environment().desiredCount;
  if (service && service.desiredCount !== count) lines.push(`count: ${service.desiredCount} → ${count}`);
  if (!service) lines.push(`create: ECS service ${c.names.service} with ${count} task${count === 1 ? '' : 's'}`);
  if (service && lines.length === 0 && c.settings.force) lines.push(`redeploy: a new deployment of ${service.taskDefinition?.split('/').pop()} (--force): every task starts again`);
  return lines;
}

/** `c` reading outputs from `scratch`, without the approval's own journal entry (it is not theirs). */
function scratchContext(c: RolloutContext, scratch: Record<string, Outputs>): RolloutContext {
  const output = <T = string>(step: string, key: string): T => {
    const value = scratch[step]?.[key];
    if (value === undefined) throw new MissingOutputError(step);
    return value as T;
  };
  return { ...c, outputs: scratch, output, journaled: undefined };
}

