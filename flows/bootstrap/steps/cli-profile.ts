import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { profileConflicts, readAwsProfile, writeAwsProfile } from '../../../src/local/aws-profile-files.js';
import type { BootstrapContext } from '../context.js';
import { mfaSerial } from './mfa-device.js';

export function wantedProfileConfig(c: BootstrapContext): Record<string, string> {
  return {
    source_profile: c.names.profileName,
    role_arn: `arn:aws:iam::${c.account()}:role/${c.names.roleName}`,
    role_session_name: c.names.userName,
    mfa_serial: mfaSerial(c.account(), c.names.userName),
    region: c.names.region,
  };
}

/** `[profile <name>]` in ~/.aws/config: the user's keys assume the admin role with MFA. */
export const cliProfile: Step<BootstrapContext> = {
  id: 'cli-profile',
  title: 'CLI profile in ~/.aws/config',
  plan: (c) => `[profile ${c.names.profileName}] → role ${c.names.roleName} with MFA, region ${c.names.region}`,
  async probe(c) {
    const wanted = wantedProfileConfig(c);
    const config = readAwsProfile(c.names.profileName, c.runtime.env).config ?? {};
    return Object.entries(wanted).every(([k, v]) => config[k] === v) ? { profile: c.names.profileName } : undefined;
  },
  async apply(c) {
    const wanted = wantedProfileConfig(c);
    const conflicts = profileConflicts(c.names.profileName, { config: wanted }, c.runtime.env);
    if (conflicts.length > 0) {
      const message = `[profile ${c.names.profileName}] already sets ${conflicts.join(', ')} differently. Overwrite those settings?`;
      const ok = c.prompter.interactive && (await c.prompter.confirm({ id: 'overwrite-profile', message, default: false }));
      if (!ok) throw new UsageError(`The profile ${c.names.profileName} already exists with other settings (${conflicts.join(', ')}).`, { fix: 'Choose another --profile-name, or confirm the overwrite in a terminal.' });
    }
    writeAwsProfile({ profile: c.names.profileName, config: wanted }, c.runtime.env);
    return { profile: c.names.profileName };
  },
};
