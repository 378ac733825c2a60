import type { Step } from '../../../src/engine/types.js';
import { readProjectSettings, writeProjectSettings } from '../../../src/local/project-settings.js';
import type { PublishContext } from '../context.js';

/** The published image, by digest, in slipway/project.json: what `slipway rollout` deploys. */
export const record: Step<PublishContext> = {
  id: 'record',
  title: 'Record the published digest',
  plan: () => 'write lastPublished to slipway/project.json',
  async probe(c) {
    const last = readProjectSettings(c.dir)?.lastPublished;
    return last && last.digest === c.outputs.push?.digest && last.tag === c.version() ? { image: `${last.uri}@${last.digest}` } : undefined;
  },
  async apply(c) {
    const current = readProjectSettings(c.dir);
    const uri = String(c.outputs.push?.uri);
    const digest = String(c.outputs.push?.digest);
    writeProjectSettings(c.dir, {
      ...(current ?? { version: 1, app: c.settings.app, ecr: { namespace: c.settings.namespace, keepImages: c.settings.keepImages } }),
      lastPublished: { uri, tag: c.version(), digest, at: new Date().toISOString() },
    });
    return { image: `${uri}@${digest}` };
  },
};
