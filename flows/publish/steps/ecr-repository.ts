import { CreateRepositoryCommand, DescribeRepositoriesCommand, GetLifecyclePolicyCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { readProjectSettings, repositoryName, writeProjectSettings } from '../../../src/local/project-settings.js';
import { lifecyclePolicy, sameLifecyclePolicy } from '../../../recipes/ecr/lifecycle.js';
import type { PublishContext } from '../context.js';

/**
 * The ECR repository `<namespace>/<app>`, scanned on push, with the lifecycle policy (untagged images
 * expire, the last N tagged are kept). An existing one is adopted; its policy changes only if different.
 * The names are remembered in slipway/project.json, which is meant to be committed.
 */
export const ecrRepository: Step<PublishContext> = {
  id: 'ecr-repository',
  title: 'ECR repository with lifecycle policy',
  plan: (c) => `ecr:CreateRepository ${name(c)} (scan on push) + lifecycle policy keeping ${c.settings.keepImages} images`,
  async probe(c) {
    const ecr = await c.ecr();
    const repo = (await tolerate('not-found', () => ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name(c)] }), { abortSignal: c.signal })))?.repositories?.[0];
    if (!repo?.repositoryUri) return undefined;
    const policy = await tolerate('not-found', () => ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name(c) }), { abortSignal: c.signal }));
    if (!policy?.lifecyclePolicyText || !sameLifecyclePolicy(policy.lifecyclePolicyText, lifecyclePolicy(c.settings.keepImages))) return undefined;
    // slipway/project.json remembers the names — not during a --plan, which writes nothing.
    if (!c.planning) remember(c);
    return { name: name(c), uri: repo.repositoryUri };
  },
  async apply(c) {
    const ecr = await c.ecr();
    const created = await tolerate('already-exists', () =>
      ecr.send(
        new CreateRepositoryCommand({
          repositoryName: name(c),
          imageScanningConfiguration: { scanOnPush: true },
          tags: [
            { Key: 'slipway:app', Value: c.settings.app },
            { Key: 'slipway:managed', Value: 'true' },
          ],
        }),
        { abortSignal: c.signal },
      ),
    );
    const uri =
      created?.repository?.repositoryUri ??
      (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name(c)] }), { abortSignal: c.signal })).repositories?.[0]?.repositoryUri ??
      '';
    if (!created) c.report.log(`Repository ${name(c)} exists; adopting it.`);
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name(c), lifecyclePolicyText: lifecyclePolicy(c.settings.keepImages) }), { abortSignal: c.signal });
    remember(c);
    return { name: name(c), uri };
  },
};

function name(c: PublishContext): string {
  return repositoryName({ version: 1, app: c.settings.app, ecr: { namespace: c.settings.namespace, keepImages: c.settings.keepImages } });
}

/** Asked once: the next publish of this project takes these names from the file. */
function remember(c: PublishContext): void {
  const current = readProjectSettings(c.dir);
  const same = current && current.app === c.settings.app && current.ecr.namespace === c.settings.namespace && current.ecr.keepImages === c.settings.keepImages;
  if (same) return;
  writeProjectSettings(c.dir, { ...(current ?? {}), version: 1, app: c.settings.app, ecr: { namespace: c.settings.namespace, keepImages: c.settings.keepImages } });
}
