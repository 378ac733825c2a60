import type { AwsCredentialIdentityProvider, InitializeMiddleware } from '@aws-sdk/types';
import { clientConfig, type ClientConfig } from '../../src/aws/clients.js';
import { createSharedCredentials, type SharedCredentials } from '../../src/aws/credentials.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import type { AwsSettings } from '../../src/aws/settings.js';
import type { Prompter } from '../../src/engine/prompter.js';
import type { Runtime } from './runtime.js';

/**
 * Builds an SDK client for a flow: one configuration (region, endpoint, adaptive retries), the given
 * credentials, and — in the sandbox — the simulated account beneath it. Flows never call `new XClient`.
 * Given slipway's shared credentials, a call refused for an expired session (an MFA role session that
 * ran out mid-flow, or a cached one that AWS already expired) is retried once with fresh credentials:
 * the session cache is dropped and the person is asked for a new MFA code.
 */
export async function awsClient<T extends { middlewareStack: unknown }>(
  runtime: Runtime,
  Client: new (config: ClientConfig) => T,
  credentials: AwsCredentialIdentityProvider | SharedCredentials,
  settings: Partial<AwsSettings> = {},
): Promise<T> {
  const shared = typeof credentials === 'function' ? undefined : credentials;
  const client = new Client(clientConfig({ ...runtime.aws, ...settings }, shared?.provider ?? (credentials as AwsCredentialIdentityProvider)));
  if (shared) renewExpiredSessions(client as unknown as RenewableClient, shared);
  if (runtime.sandbox) {
    const { attachSandbox } = await import('../../src/sandbox/attach.js');
    attachSandbox(client as never, runtime.sandbox);
  }
  return client;
}

interface RenewableClient {
  middlewareStack: { add(middleware: InitializeMiddleware<object, object>, options: { step: 'initialize'; priority: 'high'; name: string }): void };
  config: { credentials?: (options?: { forceRefresh?: boolean }) => Promise<{ accessKeyId?: string } | undefined> };
}

/** Outermost middleware: added before the sandbox's, so it also wraps the simulated account's answers. */
function renewExpiredSessions(client: RenewableClient, shared: SharedCredentials): void {
  const middleware: InitializeMiddleware<object, object> = (next) => async (args) => {
    // The key this request is signed with (the client's memo of the shared provider): if another
    // client has already renewed the session, this one only picks the new one up.
    const used = await client.config.credentials?.();
    try {
      return await next(args);
    } catch (error) {
      if (classifyAwsError(error) !== 'expired-token') throw error;
      shared.invalidate(used?.accessKeyId);
      // The SDK memoizes credentials until their stated expiry: make it ask the shared provider again.
      await client.config.credentials?.({ forceRefresh: true });
      return next(args);
    }
  };
  client.middlewareStack.add(middleware, { step: 'initialize', priority: 'high', name: 'slipwayRenewExpiredSession' });
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
