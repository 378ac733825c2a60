import { dockerLogout, registryHost } from '../../../src/docker/index.js';
import { runDocker } from '../../../src/docker/run.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';

/** Log out and remove this app's dangling images — filtered by label, never a global prune. */
export const cleanup: Step<PublishContext> = {
  id: 'cleanup',
  title: 'Clean up',
  plan: (c) => (c.settings.cleanup ? `docker logout; remove dangling images labelled slipway.app=${c.settings.app}` : 'keep the login and images'),
  // Housekeeping on this machine after the publish: nothing in AWS changes, and it is never a reason to publish.
  readOnly: true,
  async probe(c) {
    return c.settings.cleanup ? undefined : { cleaned: 'not asked' };
  },
  async apply(c) {
    // Say what was done, no more: no logout when this run did not log in, no "reclaimed 0B".
    const done: string[] = [];
    if (c.outputs.login?.via === 'docker login') {
      await dockerLogout(registryHost(c.repositoryUri()), c.docker);
      done.push('logged out');
    }
    const pruned = await runDocker(['image', 'prune', '--force', '--filter', `label=slipway.app=${c.settings.app}`], c.docker);
    const reclaimed = /Total reclaimed space: (.+)/.exec(pruned.stdout)?.[1]?.trim();
    done.push(reclaimed && !/^0(\.0+)?\s*B$/i.test(reclaimed) ? `removed dangling images (${reclaimed})` : 'no dangling images');
    return { cleaned: done.join('; ') };
  },
};
