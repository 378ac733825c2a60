import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { clientConfig, type ClientConfig } from '../../src/aws/clients.js';
import { createSharedCredentials, type SharedCredentials } from '../../src/aws/credentials.js';
import type { AwsSettings } from '../../src/aws/settings.js';
import type { Prompter } from '../../src/engine/prompter.js';
import type { Runtime } from './runtime.js';

/**
 * Builds an SDK client for a flow: one configuration (region, endpoint, adaptive retries), the given
 * credentials, and — in the sandbox — the simulated account beneath it. Flows never call `new XClient`.
 */
export async function awsClient<T extends { middlewareStack: unknown }>(
  runtime: Runtime,
  Client: new (config: ClientConfig) => T,
  credentials: AwsCredentialIdentityProvider,
  settings: Partial<AwsSettings> = {},
): Promise<T> {
  const client = new Client(clientConfig({ ...runtime.aws, ...settings }, credentials));
  if (runtime.sandbox) {
    const { attachSandbox } = await import('../../src/aws/sandbox/attach.js');
    attachSandbox(client as never, runtime.sandbox);
  }
  return client;
}

/** The credentials slipway starts with: the profile or default chain, or the sandbox's own admin. */
export async function startingCredentials(runtime: Runtime, prompter: Prompter, settings: Partial<AwsSettings> = {}): Promise<SharedCredentials> {
  return createSharedCredentials({ ...runtime.aws, ...settings }, prompter, runtime.env, runtime.sandbox);
}

/**
 * One promise per key for the life of a flow object: the journal lookup (target) and the steps share
 * clients and credentials, so an MFA-protected profile asks for one code, not one per client.
 */
export function memoByKey(): <T>(key: string, make: () => Promise<T>) => Promise<T> {
  const made = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!made.has(key)) made.set(key, make());
    return made.get(key) as Promise<T>;
  };
}
