import { DockerError, RegistryAuthError } from './errors.js';
import { dockerFailure } from './failure.js';
import { detectProblem } from './problem.js';
import { redact } from './redact.js';
import { registryHost } from './reference.js';
import type { DockerCallOptions } from './run.js';
import { runDocker } from './run.js';

export interface DockerLoginOptions extends DockerCallOptions {
  /** A host or an endpoint URL (ECR's proxyEndpoint is `https://…`); only the host is used. */
  registry: string;
  username: string;
  password: string;
}

const LOGIN_TIMEOUT_MS = 60_000;

/**
 * `docker login --password-stdin`: the password goes through stdin only, never argv (visible in
 * the process list), and is scrubbed from anything docker says before it reaches an error.
 */
export async function dockerLogin(opts: DockerLoginOptions): Promise<void> {
  const host = registryHost(opts.registry);
  if (!host) throw new DockerError('docker login needs a registry host.');
  if (!opts.username) throw new DockerError(`docker login to ${host} needs a username.`);
  if (!opts.password) throw new DockerError(`docker login to ${host} needs a password (it was empty).`);

  const result = await runDocker(['login', '--username', opts.username, '--password-stdin', host], {
    ...opts,
    input: opts.password,
    timeoutMs: LOGIN_TIMEOUT_MS,
  });
  if (result.exitCode === 0) return;

  const output = redact(`${result.stdout}\n${result.stderr}`, opts.username, opts.password).trim();
  // "login attempt to http://host/v2/ failed with status: 401 Unauthorized". A daemon problem is
  // ruled out first: its "permission denied" is about the socket, not the registry.
  if (!detectProblem(output) && /\b401\b|unauthorized|authentication required|denied/i.test(output)) {
    throw new RegistryAuthError(`docker login to ${host} was rejected:\n${output}`, host, {
      fix: 'Check the username and password; for ECR get a fresh token (they last 12 hours).',
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    });
  }
  throw dockerFailure(`docker login to ${host}`, result, output, loginFix(output));
}

/** Always names the registry: a bare `docker logout` would log out of Docker Hub. */
export async function dockerLogout(registry: string, opts: DockerCallOptions = {}): Promise<void> {
  const host = registryHost(registry);
  if (!host) throw new DockerError('docker logout needs a registry host.');
  const result = await runDocker(['logout', host], opts);
  // Not being logged in is fine: docker says so and exits 0.
  if (result.exitCode !== 0) {
    throw dockerFailure(`docker logout ${host}`, result, `${result.stdout}\n${result.stderr}`);
  }
}

function loginFix(output: string): string | undefined {
  if (/error (saving|storing) credentials|credential helper|credentials store/i.test(output)) {
    return 'The docker credential store failed; fix it, or use a private DOCKER_CONFIG directory without credsStore.';
  }
  return undefined;
}
