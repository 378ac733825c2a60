import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { explainAwsError } from '../../src/aws/errors.js';
import type { Flow, Outputs } from '../../src/engine/types.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { rolloutClients, type RolloutContext } from '../rollout/context.js';
import { environmentPath } from '../rollout/environment-path.js';
import type { Runtime } from '../shared/runtime.js';
import { environmentContext } from '../status/existing.js';
import { teardownQuestions } from './questions.js';
import { INSTANCE_ROLE } from '../rollout/targets/names.js';
import { teardownTarget } from './inventory.js';
import { approvalNeeded } from './steps/plan.js';
import { TEARDOWN_STEPS_BY_TARGET } from './targets.js';
import { settleKnown } from '../shared/settled.js';

/** A Fargate environment's teardown, in the reference's cleanup order (§13), after the plan and its confirmation. */
export const TEARDOWN_STEPS = TEARDOWN_STEPS_BY_TARGET.FARGATE;
export const EC2_TEARDOWN_STEPS = TEARDOWN_STEPS_BY_TARGET.EC2;
export const EXPRESS_TEARDOWN_STEPS = TEARDOWN_STEPS_BY_TARGET.EXPRESS;

/**
 * `slipway teardown --env <env>`: deletes exactly what slipway made for one environment — found by
 * its tags, shown, confirmed by typing the environment's name — in an order AWS accepts. Each step's
 * probe is "already gone", so a teardown killed anywhere finishes when run again.
 */
export function teardownFlow(runtime: Runtime): Flow<RolloutContext> {
  const clients = rolloutClients(runtime);
  const saved = readProjectSettings(runtime.cwd);
  return {
    name: 'teardown',
    title: 'Tear down',
    questions: settleKnown(teardownQuestions({ region: runtime.aws.region, app: saved?.app, cwd: runtime.cwd }), runtime, saved),
    removes: true,
    target: async (answers, prompter, how) => {
      // Refused before any journal exists: a pipeline that forgot --approve exits 2 with nothing done
      // (a --plan deletes nothing and needs no approval).
      if (answers.approve !== true && !prompter.interactive && !how?.planning) throw approvalNeeded(String(answers.env));
      const region = String(answers.region);
      try {
        const who = await (await clients<STSClient>('sts', region, prompter)).send(new GetCallerIdentityCommand({}));
        return { account: who.Account, region, app: String(answers.app), env: String(answers.env) };
      } catch (error) {
        throw explainAwsError(error, 'Finding out whose credentials these are (sts:GetCallerIdentity)');
      }
    },
    context: environmentContext(runtime, clients),
    // Where the environment runs (its file) decides what there is to delete.
    steps: (answers) => TEARDOWN_STEPS_BY_TARGET[teardownTarget(runtime.cwd, answers)],
    explainError: (error, step) => explainAwsError(error, step.title),
    summary: (outputs) => teardownSummary(runtime.cwd, outputs),
  };
}

export function teardownSummary(dir: string, outputs: Record<string, Outputs>): string[] {
  const env = String(outputs.plan?.env ?? '');
  const deleted = Object.values(outputs).flatMap((o) => (Array.isArray(o.deleted) ? (o.deleted as string[]) : []));
  const kept = [
    outputs['log-group']?.kept ? `log group ${String(outputs['log-group'].kept)} kept (\`slipway teardown --env ${env} --delete-logs\` deletes it)` : undefined,
    outputs.cluster?.kept ? `cluster ${String(outputs.cluster.kept)} kept: it still runs ${String(outputs.cluster.because)}` : undefined,
    outputs.plan?.target === 'EC2' || ((outputs['auto-scaling-group']?.deleted as string[] | undefined)?.length ?? 0) > 0 ? `the IAM role and instance profile ${INSTANCE_ROLE} stay: every EC2 environment of the account shares them` : undefined,
  ].filter((x): x is string => Boolean(x));
  return [
    deleted.length ? `Deleted ${deleted.length} resource${deleted.length === 1 ? '' : 's'} slipway made for ${env}.` : `Nothing of ${env} was left to delete.`,
    ...kept.map((k) => `${k.charAt(0).toUpperCase()}${k.slice(1)}.`),
    `${environmentPath(dir, env)} stays: it is yours, versioned with the code. Delete it (and commit) if ${env} is gone for good; \`slipway rollout --env ${env}\` would make it again from it.`,
  ];
}
