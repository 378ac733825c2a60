import { join } from 'node:path';
import { checkRegistry, RegistryError } from '../sandbox/registry-client.js';
import type { SandboxRegistry } from '../sandbox/state.js';
import { checkNamedProfile } from '../aws/profile-check.js';
import { createSandbox } from '../sandbox/store.js';
import { checkStateDirWritable } from '../engine/state-check.js';
import { resolveAwsSettings, validateEndpoint, validateRegion } from '../aws/settings.js';
import { UsageError } from '../engine/errors.js';
import { stateDir } from '../engine/paths.js';
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
  checkStateDirWritable(env);
  if (args.sandbox !== undefined) {
    const runtime = sandboxRuntime(args, env, fallbackRegion);
    if (args.profile !== undefined) checkNamedProfile(args.profile, runtime.env);
    return runtime;
  }
  if (args.profile !== undefined) checkNamedProfile(args.profile, env);
  const aws = resolveAwsSettings({ profile: args.profile, region: args.region ?? fallbackRegion, endpointUrl: args.endpointUrl }, env);
  return { aws, env, platform: process.platform, cwd: process.cwd() };
}

/**
 * The sandbox: a simulated account in a local file, and a HOME of its own so ~/.aws and ~/.ssh are
 * written there, never into the real ones. No request leaves the machine.
 */
function sandboxRuntime(args: CliArgs, env: NodeJS.ProcessEnv, fallbackRegion?: string): Runtime {
  const name = args.sandbox ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UsageError(`--sandbox-name: "${name}" is not a sandbox name.`, { fix: 'Use letters, digits, ".", "_" and "-".' });
  const home = join(stateDir(env), 'sandbox', `${name}.home`);
  const sandboxEnv: NodeJS.ProcessEnv = {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    // The journals stay where the person's are, so `slipway resume` lists sandbox runs too.
    XDG_STATE_HOME: join(stateDir(env), '..'),
  };
  // The person's own AWS identity must not leak into a rehearsal.
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete sandboxEnv[name];
  const propagation = env.SLIPWAY_SANDBOX_PROPAGATION_SECONDS;
  const registry = configuredRegistry(env);
  const sandbox = createSandbox({ name, env, ...(propagation !== undefined ? { propagationSeconds: Number(propagation) } : {}), ...(registry ? { registry } : {}) });
  const aws = resolveAwsSettings({ profile: args.profile, region: args.region ?? fallbackRegion ?? 'us-east-1' }, sandboxEnv);
  return { aws: { ...aws, endpoint: undefined }, env: sandboxEnv, platform: process.platform, sandbox, cwd: process.cwd(), dockerConfig: join(home, '.docker') };
}

/**
 * A registry the person runs, given to the sandbox's ECR (SLIPWAY_SANDBOX_REGISTRY=host:port with
 * …_USER and …_PASSWORD). Without it, publish starts one of its own (src/sandbox/local-registry.ts).
 */
function configuredRegistry(env: NodeJS.ProcessEnv): SandboxRegistry | undefined {
  const endpoint = env.SLIPWAY_SANDBOX_REGISTRY;
  if (!endpoint) return undefined;
  try {
    return checkRegistry({ endpoint, username: env.SLIPWAY_SANDBOX_REGISTRY_USER ?? '', password: env.SLIPWAY_SANDBOX_REGISTRY_PASSWORD ?? '' });
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    throw new UsageError(`SLIPWAY_SANDBOX_REGISTRY: ${error.message}`, {
      fix: 'Set SLIPWAY_SANDBOX_REGISTRY=127.0.0.1:<port>, SLIPWAY_SANDBOX_REGISTRY_USER and SLIPWAY_SANDBOX_REGISTRY_PASSWORD (htpasswd auth), or unset them to let slipway start its own.',
    });
  }
}
