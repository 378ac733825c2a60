import type { ContainerDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import type { SandboxState } from '../state.js';
import { startFailure, type Launch } from './preflight.js';
import type { TaskOutcome } from './state.js';

export interface OutcomeOptions {
  /** Service tasks keep serving; one-off tasks run their command and exit. */
  kind: 'service' | 'one-off';
  /** A circuit-breaker rollback restores a revision that worked: rehearsed failures do not apply. */
  rollback?: boolean;
  overrides?: TaskOverride;
}

/** The container whose exit decides the task: the first essential one. */
export function mainContainer(containers: ContainerDefinition[]): ContainerDefinition {
  return containers.find((c) => c.essential ?? true) ?? containers[0]!;
}

function port(container: ContainerDefinition): number {
  return container.portMappings?.[0]?.containerPort ?? 8080;
}

const startupLines = (container: ContainerDefinition) => ['Starting application (NODE_ENV=production)', `Listening on 0.0.0.0:${port(container)}`];

/**
 * A one-off task's exit code: 0, unless its command says `exit <n>` somewhere (e.g.
 * `["sh", "-c", "./migrate && exit 3"]` ends with 3) — so a test can script a failing job.
 */
export function scriptedExitCode(command: string[]): number {
  const match = /\bexit\s+(\d{1,3})\b/.exec(command.join(' '));
  return match ? Number(match[1]) % 256 : 0;
}

/**
 * What a task will do, decided when it starts: first what the account itself makes of it (network,
 * roles, image, log group — see preflight.ts), then the rehearsed scenario (service tasks), then for
 * one-off tasks their command.
 */
export function decideOutcome(state: SandboxState, launch: Launch, taskId: string, options: OutcomeOptions): TaskOutcome {
  const failure = startFailure(state, launch, taskId);
  if (failure) return { kind: 'fail', reason: failure };
  const main = mainContainer(launch.def.containerDefinitions);
  const scenario = options.rollback ? 'success' : (state.scenario ?? 'success');
  // An image built for the wrong architecture fails whatever it runs.
  if (scenario === 'exec-format') return { kind: 'exit', exitCode: 255, runPhases: 0, logs: ['exec /usr/local/bin/docker-entrypoint.sh: exec format error'] };
  if (options.kind === 'one-off') {
    const command = options.overrides?.containerOverrides?.find((o) => o.name === main.name)?.command;
    if (!command) return { kind: 'serve', healthy: true, logs: startupLines(main) };
    return { kind: 'exit', exitCode: scriptedExitCode(command), runPhases: 1, logs: [command.join(' ')] };
  }
  switch (scenario) {
    case 'crash-loop':
      return {
        kind: 'exit',
        exitCode: 1,
        runPhases: 1,
        logs: ['Starting application (NODE_ENV=production)', 'Loading configuration from environment', 'Connecting to database at localhost:5432', 'Error: connect ECONNREFUSED 127.0.0.1:5432'],
      };
    case 'out-of-memory':
      return { kind: 'exit', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage', runPhases: 2, logs: [...startupLines(main), 'Warming up caches'] };
    case 'stuck-pending':
      return { kind: 'stuck' };
    case 'health-check-failing':
      return { kind: 'serve', healthy: false, logs: startupLines(main) };
    default:
      return { kind: 'serve', healthy: true, logs: startupLines(main) };
  }
}
