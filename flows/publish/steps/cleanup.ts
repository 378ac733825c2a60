import { dockerLogout, registryHost } from '../../../src/docker/index.js';
import { runDocker } from '../../../src/docker/run.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';

/** Log out and remove this app's dangling images — filtered by label, never a global prune. */
export const cleanup: Step<PublishContext> = {
  id: 'cleanup',
  title: 'Clean up',
  plan: (c) => (c.settings.cleanup ? `docker logout; remove dangling images labelled slipway.app=${c.settings.app}` : 'keep the login and images'),
  async probe(c) {
    return c.settings.cleanup ? undefined : { cleaned: 'not asked' };
  },
  async apply(c) {
    if (c.outputs.login?.via === 'docker login') await dockerLogout(registryHost(c.repositoryUri()), c.docker);
    const pruned = await runDocker(['image', 'prune', '--force', '--filter', `label=slipway.app=${c.settings.app}`], c.docker);
    const reclaimed = /Total reclaimed space: (.+)/.exec(pruned.stdout)?.[1] ?? '0B';
    return { cleaned: `logged out; reclaimed ${reclaimed}` };
  },
};
