import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { fromIni } from '@aws-sdk/credential-providers';
import type { ClientConfig } from '../aws/clients.js';
import { attachSandbox } from './attach.js';
import type { Sandbox } from './store.js';

/** The `roleAssumer` option of `fromIni` / `fromNodeProviderChain`. */
export type RoleAssumer = NonNullable<NonNullable<Parameters<typeof fromIni>[0]>['roleAssumer']>;

/**
 * A role assumer that calls AssumeRole on the sandbox, so profiles with `role_arn`, `source_profile`
 * and `mfa_serial` resolve exactly as against AWS (the SDK still reads the files and asks for the MFA
 * code); only the STS call beneath is simulated.
 */
export function sandboxRoleAssumer(sandbox: Sandbox, config: Partial<Pick<ClientConfig, 'region' | 'endpoint'>> = {}): RoleAssumer {
  return async (sourceCredentials, params) => {
    const sts = attachSandbox(new STSClient({ region: config.region ?? 'us-east-1', ...(config.endpoint ? { endpoint: config.endpoint } : {}), credentials: sourceCredentials }), sandbox);
    const { Credentials, AssumedRoleUser } = await sts.send(new AssumeRoleCommand(params));
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error(`sts:AssumeRole on ${params.RoleArn} returned no credentials.`);
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
      // The SDK records the account of assumed-role credentials; the ARN's fifth field is it.
      accountId: AssumedRoleUser?.Arn?.split(':')[4],
    };
  };
}
