import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Step } from '../../../src/engine/types.js';
import { checkStep } from '../../shared/check-step.js';
import type { RolloutContext } from '../context.js';

/** Whose account this rollout changes; the root user gets a warning (it works, but should not be used). */
export const identity: Step<RolloutContext> = checkStep('identity', 'Who and where', async (c) => {
  const who = await (await c.sts()).send(new GetCallerIdentityCommand({}), { abortSignal: c.signal });
  if (who.Arn?.endsWith(':root')) c.report.log('You are signed in as the root user: run `slipway bootstrap` and use the admin role profile instead.', 'warn');
  c.report.log(`${who.Arn} in ${c.settings.region}`);
  return { account: who.Account ?? '', arn: who.Arn ?? '' };
});
