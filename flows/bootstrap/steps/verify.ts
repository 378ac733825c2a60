import { readFileSync } from 'node:fs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { classifyAwsError } from '../../../src/aws/errors.js';
import { SessionCache } from '../../../src/aws/session-cache.js';
import { retryWhileNotReady } from '../../../src/aws/waiters.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import { validateMfaCode } from '../../../src/engine/prompter.js';
import type { Step } from '../../../src/engine/types.js';
import { awsCredentialsPath } from '../../../src/local/aws-files.js';
import { parseIni } from '../../../src/local/ini.js';
import { awsClient } from '../../shared/aws.js';
import type { BootstrapContext } from '../context.js';
import { wantedProfileConfig } from './cli-profile.js';

/**
 * Proves the new setup end to end, as the AWS CLI would use it: the profile's own keys assume the role
 * with a fresh MFA code. New keys and group memberships take a while to reach every IAM endpoint, so
 * "not yet" errors are retried, visibly and within a budget. The session is cached for later steps.
 */
export const verify: Step<BootstrapContext> = {
  id: 'verify',
  title: 'Assume the admin role with MFA',
  plan: (c) => `sts:AssumeRole ${c.names.roleName} with profile ${c.names.profileName} and an MFA code`,
  // It proves the setup works; nothing in AWS changes (the session it caches is a local convenience).
  readOnly: true,
  async probe(c) {
    // Done when a fresh cached session of this profile exists (a verified run within the last hour).
    const config = wantedProfileConfig(c);
    const cached = new SessionCache(c.names.profileName, config.role_arn ?? '', config.mfa_serial ?? '', c.runtime.env).read();
    if (!cached) return undefined;
    return { assumedRoleArn: await whoAmI(c, cached) };
  },
  async apply(c) {
    const config = wantedProfileConfig(c);
    const keys = profileKeys(c);
    const sts = await awsClient(c.runtime, STSClient, async () => keys, { region: c.names.region });
    for (;;) {
      const code = await c.prompter.mfaCode({ serial: config.mfa_serial ?? '', message: 'A new code from the app (not one used a moment ago)' });
      if (validateMfaCode(code)) continue;
      try {
        const session = await retryWhileNotReady(
          () =>
            sts.send(
              new AssumeRoleCommand({ RoleArn: config.role_arn, RoleSessionName: config.role_session_name, SerialNumber: config.mfa_serial, TokenCode: code.trim(), DurationSeconds: 3600 }),
              { abortSignal: c.signal },
            ),
          { retryOn: ['invalid-credentials', 'access-denied', 'not-propagated'], waitingFor: 'Waiting for IAM to make the new user, key and groups visible', report: c.report, signal: c.signal },
        );
        const credentials = session.Credentials;
        if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new SlipwayError('sts:AssumeRole returned no credentials.');
        const identity = { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: credentials.Expiration };
        new SessionCache(c.names.profileName, config.role_arn ?? '', config.mfa_serial ?? '', c.runtime.env).write(identity);
        return { assumedRoleArn: await whoAmI(c, identity) };
      } catch (error) {
        if (classifyAwsError(error) !== 'invalid-mfa-code') throw error;
        c.report.log('AWS did not accept that code; wait for the next one and try again.', 'warn');
      }
    }
  },
};

async function whoAmI(c: BootstrapContext, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<string> {
  const sts = await awsClient(c.runtime, STSClient, async () => credentials, { region: c.names.region });
  return (await sts.send(new GetCallerIdentityCommand({}), { abortSignal: c.signal })).Arn ?? '';
}

/** The profile's long-term keys, read from ~/.aws/credentials into memory only. */
function profileKeys(c: BootstrapContext): { accessKeyId: string; secretAccessKey: string } {
  const section = parseIni(readFileSync(awsCredentialsPath(c.runtime.env), 'utf8')).get(c.names.profileName);
  if (!section?.aws_access_key_id || !section.aws_secret_access_key) {
    throw new SlipwayError(`~/.aws/credentials has no keys for [${c.names.profileName}].`, { fix: 'Run bootstrap again: the access-key step writes them.' });
  }
  return { accessKeyId: section.aws_access_key_id, secretAccessKey: section.aws_secret_access_key };
}
