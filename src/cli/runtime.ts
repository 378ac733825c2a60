import { UsageError } from '../engine/errors.js';
import { resolveAwsSettings, validateEndpoint, validateRegion } from '../aws/settings.js';
import type { Runtime } from '../../flows/shared/runtime.js';
import type { CliArgs } from './args.js';

const PROFILE = /^[A-Za-z0-9_.@+=,-]+$/;

/** Validates the AWS flags (exit 2 before anything runs) and resolves them with the environment. */
export function makeRuntime(args: CliArgs, env: NodeJS.ProcessEnv = process.env, fallbackRegion?: string): Runtime {
  if (args.region !== undefined) {
    const problem = validateRegion(args.region);
    if (problem) throw new UsageError(`--region: ${problem}`);
  }
  if (args.endpointUrl !== undefined) {
    const problem = validateEndpoint(args.endpointUrl);
    if (problem) throw new UsageError(`--endpoint-url: ${problem}`);
  }
  if (args.profile !== undefined && !PROFILE.test(args.profile)) {
    throw new UsageError(`--profile: "${args.profile}" is not a profile name.`, { fix: 'Profile names are letters, digits and _ . @ + = , - (see ~/.aws/config).' });
  }
  const aws = resolveAwsSettings({ profile: args.profile, region: args.region ?? fallbackRegion, endpointUrl: args.endpointUrl }, env);
  return { aws, env, platform: process.platform };
}
