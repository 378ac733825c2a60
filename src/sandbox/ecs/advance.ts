import type { IdSource } from '../ids.js';
import type { SandboxState } from '../state.js';
import { ecsForUpdate, phaseMs } from './common.js';
import { serviceOf, type Sim } from './effects.js';
import { step } from './lifecycle.js';
import { onTaskFailed, onTaskHealthy, reconcile } from './scheduler.js';

/** A runaway guard: far more steps than any real sandbox makes between two calls. */
const MAX_STEPS = 200_000;

function earliest(sim: Sim): number | undefined {
  let at: number | undefined;
  const consider = (t: number | undefined) => {
    if (t !== undefined && (at === undefined || t < at)) at = t;
  };
  for (const tasks of Object.values(sim.ecs.tasks)) for (const task of Object.values(tasks)) consider(task.next?.at);
  for (const services of Object.values(sim.ecs.services)) for (const service of Object.values(services)) consider(service.wakeAt);
  return at;
}

/** Takes every task step and scheduler pass due at `t`, in a fixed order (reproducible with a seed). */
function stepAt(sim: Sim, t: number): void {
  const due = Object.values(sim.ecs.tasks)
    .flatMap((tasks) => Object.values(tasks))
    .filter((task) => task.next !== undefined && task.next.at <= t)
    .sort((a, b) => a.next!.at - b.next!.at || a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  for (const task of due) {
    const at = task.next!.at;
    const signal = step(sim, task, at);
    const service = serviceOf(sim, task);
    if (!service) continue;
    if (signal === 'failed') onTaskFailed(sim, service, task, at);
    else if (signal === 'healthy') onTaskHealthy(service, task, at);
    else service.wakeAt = Math.min(service.wakeAt ?? at, at);
  }
  for (const region of Object.keys(sim.ecs.services).sort()) {
    const services = sim.ecs.services[region]!;
    for (const key of Object.keys(services).sort()) {
      const service = services[key]!;
      if (service.wakeAt !== undefined && service.wakeAt <= t) reconcile(sim, service, t);
    }
  }
}

/**
 * Moves every deployment and task forward to `now`, event by event in time order, exactly as ECS
 * would have carried them on meanwhile; then notes when the next thing is due. Returns whether
 * anything changed. Deterministic: the same state, time and ids give the same result.
 */
export function advanceEcs(state: SandboxState, now: number, ids: IdSource): boolean {
  if (!state.ecs) return false;
  const sim: Sim = { state, ecs: ecsForUpdate(state), ids, phase: phaseMs(state) };
  let changed = false;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const t = earliest(sim);
    if (t === undefined || t > now) break;
    stepAt(sim, t);
    changed = true;
  }
  const next = earliest(sim);
  if (next === undefined) delete state.ecs.nextEventAt;
  else state.ecs.nextEventAt = next;
  return changed;
}
