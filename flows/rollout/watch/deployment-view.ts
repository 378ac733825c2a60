import type { Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';

/** Where our deployment stands, from one DescribeServices answer. */
export type DeploymentState =
  | { kind: 'in-progress'; deployment: Deployment }
  | { kind: 'completed'; deployment: Deployment }
  /** `rolledBackTo`: the revision the circuit breaker went back to, when it did. */
  | { kind: 'failed'; deployment: Deployment; reason: string; rolledBackTo?: string }
  /** Ours disappeared and another revision is PRIMARY: the circuit breaker rolled back (or someone redeployed). */
  | { kind: 'replaced'; primary?: Deployment }
  /** Ours is still listed but no longer PRIMARY, and it did not fail: a newer deployment took its place. */
  | { kind: 'superseded'; deployment: Deployment; primary?: Deployment };

export function deploymentState(service: Service | undefined, deploymentId: string): DeploymentState {
  const ours = service?.deployments?.find((d) => d.id === deploymentId);
  if (!ours) return { kind: 'replaced', primary: service?.deployments?.find((d) => d.status === 'PRIMARY') };
  if (ours.rolloutState === 'FAILED') {
    const primary = service?.deployments?.find((d) => d.status === 'PRIMARY' && d.id !== ours.id && d.taskDefinition !== ours.taskDefinition);
    return { kind: 'failed', deployment: ours, reason: ours.rolloutStateReason ?? 'the deployment failed', ...(primary?.taskDefinition ? { rolledBackTo: primary.taskDefinition } : {}) };
  }
  if (ours.status !== 'PRIMARY' && ours.rolloutState !== 'COMPLETED') return { kind: 'superseded', deployment: ours, primary: service?.deployments?.find((d) => d.status === 'PRIMARY') };
  // Success is ours PRIMARY, COMPLETED, and all its tasks running (reference §6).
  if (ours.rolloutState === 'COMPLETED' && ours.status === 'PRIMARY' && (ours.runningCount ?? 0) >= (ours.desiredCount ?? 0)) return { kind: 'completed', deployment: ours };
  return { kind: 'in-progress', deployment: ours };
}

/** "12:03:07 (service x) has started 1 tasks…" — of these events (newest first), the ones not shown yet, oldest first. */
export function newEvents(events: ServiceEvent[], seen: Set<string>): string[] {
  const fresh = events.filter((e) => e.id && !seen.has(e.id));
  for (const e of fresh) seen.add(e.id!);
  return fresh.reverse().map((e) => e.message ?? '');
}

export function countsLine(d: Deployment): string {
  return `${d.rolloutState ?? d.status ?? '?'} · running ${d.runningCount ?? 0}/${d.desiredCount ?? 0} · pending ${d.pendingCount ?? 0} · failed ${d.failedTasks ?? 0}`;
}
