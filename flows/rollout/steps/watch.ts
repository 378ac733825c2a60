import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { detachFrom, followDeployment } from '../watch/follow.js';

/**
 * Stays with the deployment until it is COMPLETED or FAILED (or rolled back), showing its counts, the
 * service's new events and every stopped task as they happen; on failure, the diagnosis. ECS carries on
 * without us, so Ctrl-C (or a crash) only stops the watching: running rollout again re-attaches.
 */
export const watch: Step<RolloutContext> = {
  id: 'watch',
  title: 'Deployment',
  plan: () => 'watch the deployment until it completes',
  readOnly: true,
  probe: (c) => (c.settings.detach ? detachFrom(c) : Promise.resolve(undefined)),
  apply: (c) => followDeployment(c),
};
