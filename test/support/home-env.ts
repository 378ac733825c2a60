import { join } from 'node:path';

// No vitest imports here: child processes of the crash tests use it too.

/** The variables that put ~/.aws, ~/.ssh and slipway's journals under `home`, and keep the SDK off EC2's metadata service. */
export function homeEnv(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    XDG_STATE_HOME: join(home, '.local', 'state'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
