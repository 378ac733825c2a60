import { explainAwsError } from '../../src/aws/errors.js';
import { SlipwayError } from '../../src/engine/errors.js';
import { checkStep } from '../shared/check-step.js';
import type { DoctorContext } from './context.js';

export const credentialsFound = checkStep<DoctorContext>('credentials', 'AWS credentials found', async (c) => {
  const shared = await c.credentials();
  try {
    const credentials = await shared.provider();
    // The key id is not secret, but the last four characters are enough to recognise it.
    return {
      profile: c.runtime.aws.profile ?? 'default chain',
      keyId: `…${credentials.accessKeyId.slice(-4)}`,
      temporary: Boolean(credentials.sessionToken),
    };
  } catch (error) {
    throw explainAwsError(error, 'Looking for AWS credentials');
  }
});

export const callerIdentity = checkStep<DoctorContext>('identity', 'Identity (sts:GetCallerIdentity)', async (c) => {
  if (!c.outputs.credentials) throw new SlipwayError('Not checked: there are no credentials to ask with (see above).');
  try {
    const identity = await c.callerIdentity();
    const root = /:root$/.test(identity.arn);
    if (root) {
      c.report.log('These are the ROOT user’s credentials. Root keys can do anything, cannot be limited and are a prime target.', 'warn');
      c.report.log('Create a temporary admin user, use its keys for `slipway bootstrap`, then delete the root access key.', 'warn');
    }
    return { account: identity.account, arn: identity.arn, root };
  } catch (error) {
    throw explainAwsError(error, 'sts:GetCallerIdentity');
  }
});
