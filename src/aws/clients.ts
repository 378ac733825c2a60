import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsSettings } from './settings.js';

/** The configuration every SDK client gets: one region, one endpoint, one shared credential provider. */
export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  retryMode: 'adaptive';
  maxAttempts: number;
}

export function clientConfig(settings: AwsSettings, credentials: AwsCredentialIdentityProvider): ClientConfig {
  return {
    region: settings.region ?? 'us-east-1',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    credentials,
    // Adaptive retries add client-side rate limiting on top of backoff: throttling during a long rollout
    // slows slipway down instead of failing it.
    retryMode: 'adaptive',
    maxAttempts: 6,
  };
}
