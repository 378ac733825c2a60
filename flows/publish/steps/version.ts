import { projectVersion, versionTag, workTreeDigest } from '../../../src/local/git-version.js';
import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';

/** The image version: the git short SHA (the book's APP_VERSION), `-dirty` only when allowed. */
export const version: Step<PublishContext> = {
  id: 'version',
  title: 'Version from git',
  check: true,
  async probe(c) {
    // Publishing records its digest in slipway/project.json: that change alone is not "dirty".
    const ignore = ['slipway/project.json'];
    const v = await projectVersion(c.dir, c.runtime.env, { ignore });
    if (v.kind === 'none') {
      if (!c.prompter.interactive) throw new UsageError('This folder is not a git repository, so there is no commit to version the image by.', { fix: 'git init && git commit, or run interactively to type a version.' });
      const typed = await c.prompter.text({ id: 'version', message: 'Not a git repository: version to tag the image with', validate: (t) => (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(t) ? undefined : 'Letters, digits, _ . - (Docker tag rules).') });
      return { tag: typed, dirty: false, source: 'typed' };
    }
    let allowDirty = c.settings.allowDirty;
    if (v.dirty && !allowDirty && c.prompter.interactive) {
      allowDirty = await c.prompter.confirm({ id: 'allowDirty', message: `The work tree has uncommitted changes. Publish them anyway as ${v.sha}-dirty?`, default: false });
    }
    const tag = versionTag(v, { allowDirty });
    // Every -dirty tree of a commit has the same tag: what it holds tells them apart (tests, pushes).
    return { tag, dirty: v.dirty, source: 'git', sha: v.sha, ...(v.dirty ? { tree: await workTreeDigest(c.dir, c.runtime.env, { ignore }) } : {}) };
  },
  async apply() {
    throw new Error('unreachable: the version probe always answers');
  },
};
