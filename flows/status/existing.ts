import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { explainAwsError } from '../../src/aws/errors.js';
import { UsageError } from '../../src/engine/errors.js';
import type { Answers, Step, Target } from '../../src/engine/types.js';
import type { Prompter } from '../../src/engine/prompter.js';
import { rolloutContext, type RolloutClients, type RolloutContext } from '../rollout/context.js';
import { environmentPath, readEnvironment, type EnvironmentSettings } from '../rollout/environment.js';
import { checkStep } from '../shared/check-step.js';
import type { Runtime } from '../shared/runtime.js';

/**
 * What the day-2 commands share: an environment a rollout made. They see it through the rollout's own
 * context (names, tags, clients), so they find exactly what it created.
 */

/** The journal's target: whose account, where, which app and environment (none: all of them). */
export function environmentTarget(clients: RolloutClients) {
  return async (answers: Answers, prompter: Prompter): Promise<Target> => {
    const region = String(answers.region);
    try {
      const sts = await clients<STSClient>('sts', region, prompter);
      const who = await sts.send(new GetCallerIdentityCommand({}));
      const env = String(answers.env ?? '');
      return { account: who.Account, region, app: String(answers.app), ...(env ? { env } : {}) };
    } catch (error) {
      throw explainAwsError(error, 'Finding out whose credentials these are (sts:GetCallerIdentity)');
    }
  };
}

/** The rollout's context without what only a rollout needs: it never (re)starts the sandbox's local registry. */
export function environmentContext(runtime: Runtime, clients: RolloutClients) {
  return rolloutContext(runtime, clients, { sandboxStorage: false });
}

/** The environment file, which must exist: a day-2 command never writes it. */
export function existingEnvironment(dir: string, env: string): EnvironmentSettings {
  const settings = readEnvironment(dir, env);
  if (!settings) throw noSuchEnvironment(dir, env);
  return settings;
}

export function noSuchEnvironment(dir: string, env: string): UsageError {
  return new UsageError(`There is no environment "${env}" here.`, {
    why: `${environmentPath(dir, env)} does not exist (environments are the files in ${environmentPath(dir, '*')}).`,
    fix: `Check --env, run slipway in the app's folder, or make the environment with \`slipway rollout --env ${env}\`.`,
  });
}

/** For the command line's checkGiven: a named environment must exist and be valid (exit 2 otherwise). */
export function checkExistingEnvironment(dir: string, given: { env?: unknown }): void {
  if (typeof given.env === 'string' && given.env !== '') existingEnvironment(dir, given.env);
}

/** The environment file as a read-only step: its output is what `c.environment()` returns. */
export const environmentStep: Step<RolloutContext> = checkStep('environment', 'Environment settings', async (c) => {
  const settings = existingEnvironment(c.dir, c.settings.env);
  return { settings, env: c.settings.env, path: environmentPath(c.dir, c.settings.env) };
});
