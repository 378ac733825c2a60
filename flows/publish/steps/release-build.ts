import { join } from 'node:path';
import { execa } from 'execa';
import { dockerBuild } from '../../../src/docker/index.js';
import { runDocker } from '../../../src/docker/run.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';
import { openLog } from './build-log.js';

/** The release image, labelled with where it came from; the build cache makes a rebuild cheap. */
export const releaseBuild: Step<PublishContext> = {
  id: 'release-build',
  title: 'Release image',
  plan: (c) => `docker build --target ${String(c.outputs.project?.releaseTarget)} -t ${c.localImage()}`,
  async probe(c) {
    // A -dirty tag names no fixed content: always rebuild it.
    if (c.outputs.version?.dirty) return undefined;
    // The name says the commit, not the stage or platform it was built for: another --target or
    // --platform under the same name is another image.
    const found = await localImage(c, c.localImage());
    const wanted = `${c.settings.platform} ${String(c.outputs.project?.releaseTarget)}`;
    return found && `${found.platform} ${found.stage}` === wanted ? { imageId: found.id, image: c.localImage() } : undefined;
  },
  async apply(c) {
    const log = openLog(c.runtime.env, `${c.settings.app}-release`);
    const release = String(c.outputs.project?.releaseTarget);
    try {
      const labels = {
        'org.opencontainers.image.revision': String(c.outputs.version?.sha ?? c.version()),
        'org.opencontainers.image.source': c.dir,
        // The commit's time, not the build's: the same commit builds the same image (and digest)
        // from the cache, so a build interrupted and redone publishes what it would have.
        'org.opencontainers.image.created': await commitTime(c),
        'slipway.app': c.settings.app,
        'slipway.stage': release,
      };
      const built = await dockerBuild({
        ...c.docker,
        context: c.dir,
        file: join(c.dir, String(c.outputs.project?.dockerfile)),
        ...(/^\d+$/.test(release) ? {} : { target: release }),
        tags: [c.localImage()],
        platform: c.settings.platform,
        labels,
        onLine: (line) => {
          log.stream.write(`${line}\n`);
          c.report.log(line);
        },
      });
      return { imageId: built.imageId, image: c.localImage() };
    } finally {
      log.stream.end();
    }
  },
};

async function commitTime(c: PublishContext): Promise<string> {
  const result = await execa('git', ['show', '-s', '--format=%cI', 'HEAD'], { cwd: c.dir, reject: false });
  return result.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : new Date().toISOString();
}

/** The local image's id, platform (`linux/amd64`) and the stage slipway built it from. */
async function localImage(c: PublishContext, ref: string): Promise<{ id: string; platform: string; stage: string } | undefined> {
  const result = await runDocker(['image', 'inspect', '--format', '{{.Id}} {{.Os}}/{{.Architecture}} {{index .Config.Labels "slipway.stage"}}', ref], c.docker);
  if (result.exitCode !== 0) return undefined;
  const [id = '', platform = '', stage = ''] = result.stdout.trim().split(' ');
  return { id, platform, stage };
}

/** The local image's id, or undefined when there is none by that name. */
export async function localImageId(c: PublishContext, ref: string): Promise<string | undefined> {
  const result = await runDocker(['image', 'inspect', '--format', '{{.Id}}', ref], c.docker);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
