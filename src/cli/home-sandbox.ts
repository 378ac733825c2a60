import { readFileSync } from 'node:fs';
import { awsConfigPath, awsCredentialsPath } from '../local/aws-files.js';

/**
 * The home screen's way into the sandbox: its menu entry, and whether to offer it first (no AWS
 * credentials on this machine). Kept small and synchronous: it runs before the first frame.
 */
export const SANDBOX_ENTRY = {
  label: 'Rehearse in the sandbox (slipway --sandbox)',
  hint: 'every flow against a simulated AWS account kept on this machine; nothing leaves it',
} as const;

export const NO_CREDENTIALS_REASON = 'No AWS credentials found on this machine — rehearse first; nothing leaves this machine.';

/** The sandbox the home screen switches to. */
export const DEFAULT_SANDBOX = 'default';

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];

/**
 * Whether this machine looks like it has AWS credentials: a variable the SDK reads, a `--profile`, or
 * a profile in ~/.aws/credentials or ~/.aws/config. A guess, not a check (no SDK, no network).
 */
export function awsCredentialsFound(env: NodeJS.ProcessEnv, profile?: string): boolean {
  if (profile) return true;
  if (CREDENTIAL_VARIABLES.some((name) => env[name])) return true;
  return hasProfile(awsCredentialsPath(env)) || hasProfile(awsConfigPath(env));
}

function hasProfile(path: string): boolean {
  try {
    return /^[ \t]*\[[^\]\r\n]+\]/m.test(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** What the header shows in the sandbox: its runtime ignores AWS_PROFILE and AWS_REGION (src/cli/runtime.ts). */
export function sandboxHeader(args: { profile?: string; region?: string }): { profile?: string; region: string } {
  return { profile: args.profile, region: args.region ?? 'us-east-1' };
}
