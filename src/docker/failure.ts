import { DockerError } from './errors.js';
import { detectProblem, howToFix } from './problem.js';
import type { RunResult } from './run.js';

/**
 * Turns a failed docker run into a DockerError whose message quotes docker's last words and whose
 * fix comes from the daemon problem (missing, down, no permission) when that is the cause.
 */
export function dockerFailure(
  what: string,
  result: RunResult,
  output: string,
  fallbackFix?: string,
): DockerError {
  if (result.notInstalled) {
    return new DockerError(`${what} failed: the docker command was not found.`, {
      problem: 'not-installed',
      fix: howToFix('not-installed', process.platform),
    });
  }
  const problem = detectProblem(output);
  const how = result.timedOut
    ? 'timed out'
    : `failed (exit ${result.exitCode ?? 'killed by a signal'})`;
  const body = output.trim();
  return new DockerError(`${what} ${how}${body ? `:\n${body}` : '.'}`, {
    ...(problem ? { problem, fix: howToFix(problem, process.platform) } : {}),
    ...(!problem && fallbackFix ? { fix: fallbackFix } : {}),
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
  });
}
