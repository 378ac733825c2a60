import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Prompter } from '../engine/prompter.js';
import { validateMfaCode } from '../engine/prompter.js';
import { awsConfigPath, awsCredentialsPath, readProfileConfig } from '../local/aws-files.js';
import type { Sandbox } from '../sandbox/store.js';
import { sdkLogger } from './sdk-output.js';
import { isFresh, SessionCache } from './session-cache.js';
import type { AwsSettings } from './settings.js';

export interface SharedCredentials {
  provider: AwsCredentialIdentityProvider;
  /**
   * Forget the session whose key AWS just called expired (ExpiredToken mid-flow): the next call asks
   * for a fresh MFA code. When another client has already renewed it (the current key is a different
   * one), nothing is forgotten, so one expiry costs one code however many clients share the provider.
   */
  invalidate(expiredAccessKeyId?: string): void;
}

/**
 * One credential provider per process, shared by every client. It resolves the standard chain
 * (env, profile, SSO, role + MFA…), asks for an MFA code through the Prompter, and dedupes concurrent
 * refreshes: an MFA code is single-use, so two clients refreshing at once must share one AssumeRole.
 */
export async function createSharedCredentials(settings: AwsSettings, prompter: Prompter, env: NodeJS.ProcessEnv = process.env, sandbox?: Sandbox): Promise<SharedCredentials> {
  // The sandbox starts as its own admin user; a named profile resolves from the sandbox HOME's files,
  // with the role assumption answered by the sandbox.
  if (sandbox && !settings.profile) {
    const fixed = sandbox.adminCredentials();
    return { provider: async () => fixed, invalidate() {} };
  }
  const roleAssumer = sandbox ? (await import('../sandbox/role-assumer.js')).sandboxRoleAssumer(sandbox, { region: settings.region }) : undefined;
  const { fromIni, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const profile = settings.profile ?? 'default';
  const profileConfig = readProfileConfig(profile, env);
  // The role session is cached whenever this profile is what the credentials come from: a named
  // profile always is (keys in the environment do not change that), [default] only without them.
  const fromProfile = settings.profile !== undefined || !(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  const cache = fromProfile && profileConfig.role_arn && profileConfig.mfa_serial ? new SessionCache(profile, profileConfig.role_arn, profileConfig.mfa_serial, env) : undefined;

  const askMfa = async (serial: string): Promise<string> => {
    const code = await prompter.mfaCode({ serial, message: `MFA code for ${serial}` });
    const problem = validateMfaCode(code);
    if (problem) throw new Error(problem);
    return code.trim();
  };

  let chain = makeChain();
  function makeChain(): AwsCredentialIdentityProvider {
    const init = {
      // The same files slipway reads (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured).
      filepath: awsCredentialsPath(env),
      configFilepath: awsConfigPath(env),
      // The SDK keeps each ini file it has read for the life of the process (@smithy/core
      // shared-ini-file-loader readFile), also a "no such file": a profile slipway wrote after the
      // first client looked would stay unknown. Read them afresh on every resolution.
      ignoreCache: true,
      logger: sdkLogger,
      mfaCodeProvider: askMfa,
      ...(roleAssumer ? { roleAssumer } : {}),
      // No logger for the nested STS/SSO clients: theirs would also log every refused call as an error.
      clientConfig: { region: settings.region ?? 'us-east-1', ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) },
    };
    // A named profile is resolved by the ini provider alone: the default chain would skip the
    // environment's keys anyway, and warn on screen that both are set (credential-provider-node
    // defaultProvider, "Multiple credential sources detected").
    return settings.profile !== undefined ? fromIni({ ...init, profile: settings.profile }) : fromNodeProviderChain(init);
  }

  let current: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;

  const resolve = async (): Promise<AwsCredentialIdentity> => {
    const cached = cache?.read();
    if (cached) return (current = cached);
    const resolved = await chain();
    if (cache && resolved.sessionToken && resolved.expiration) cache.write(resolved);
    return (current = resolved);
  };

  const provider: AwsCredentialIdentityProvider = async () => {
    if (current && isFresh(current)) return current;
    if (!inFlight) {
      // Cleared when this resolution settles, never before it is stored: a cache hit settles without
      // waiting, and a `finally` inside it would run before the assignment, leaving a stale promise
      // that every later refresh (an expired session) would be handed again.
      const resolving = resolve();
      inFlight = resolving;
      const done = () => {
        if (inFlight === resolving) inFlight = undefined;
      };
      resolving.then(done, done);
    }
    return inFlight;
  };

  return {
    provider,
    invalidate(expiredAccessKeyId) {
      if (expiredAccessKeyId && current && current.accessKeyId !== expiredAccessKeyId) return;
      current = undefined;
      cache?.clear();
      chain = makeChain();
    },
  };
}
