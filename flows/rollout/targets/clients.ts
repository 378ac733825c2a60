import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { awsClient } from '../../shared/aws.js';
import type { Runtime } from '../../shared/runtime.js';
import type { RolloutContext } from '../context.js';

/**
 * The two clients only the EC2 target needs, built like the rollout's own (same region, endpoint,
 * retries, sandbox) and with the same credential provider — taken from the rollout's EC2 client, so an
 * MFA profile still asks for one code. Imported when the first EC2 step runs.
 */
const made = new WeakMap<Runtime, Map<string, Promise<unknown>>>();

async function client<T>(c: RolloutContext, key: string, load: () => Promise<new (config: never) => T>): Promise<T> {
  const byKey = made.get(c.runtime) ?? new Map<string, Promise<unknown>>();
  made.set(c.runtime, byKey);
  const id = `${key}:${c.settings.region}`;
  if (!byKey.has(id)) {
    byKey.set(
      id,
      (async () => {
        const credentials = (await c.ec2()).config.credentials as AwsCredentialIdentityProvider;
        return awsClient(c.runtime, (await load()) as never, credentials, { region: c.settings.region });
      })(),
    );
  }
  return byKey.get(id) as Promise<T>;
}

export const ssmOf = (c: RolloutContext) => client<SSMClient>(c, 'ssm', async () => (await import('@aws-sdk/client-ssm')).SSMClient as never);
export const autoScalingOf = (c: RolloutContext) => client<AutoScalingClient>(c, 'autoscaling', async () => (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient as never);
