import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chooseTargets, findDockerfiles, hasDockerignore, parseStages } from '../../../src/docker/dockerfile.js';
import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';

/** Which Dockerfile, which stages: the test stage and the release stage, as the book's make targets. */
export const project: Step<PublishContext> = {
  id: 'project',
  title: 'Dockerfile and its stages',
  check: true,
  async probe(c) {
    const file = c.settings.file ? join(c.dir, c.settings.file) : await pickDockerfile(c);
    const parsed = parseStages(readFileSync(file, 'utf8'));
    if (parsed.errors.length > 0) throw new UsageError(`${relative(c.dir, file)} has problems: ${parsed.errors.join('; ')}`, { fix: 'Fix the Dockerfile, then run again.' });
    const targets = chooseTargets(parsed.stages, { testTarget: c.settings.testTarget || undefined, target: c.settings.target || undefined });
    if (!(await hasDockerignore(c.dir, file))) c.report.log('No .dockerignore: the whole folder (node_modules, .git, secrets…) is sent to the build. Add one.', 'warn');
    return { dockerfile: relative(c.dir, file), testTarget: targets.test ?? '', releaseTarget: String(targets.release), stages: parsed.stages.length };
  },
  async apply() {
    throw new Error('unreachable: the project probe always answers');
  },
};

async function pickDockerfile(c: PublishContext): Promise<string> {
  const found = await findDockerfiles(c.dir);
  if (found.length === 0) throw new UsageError(`No Dockerfile in ${c.dir}.`, { fix: 'Run slipway in the application folder, or pass --file <path>.' });
  if (found.length === 1 || !c.prompter.interactive) {
    if (found.length > 1) throw new UsageError(`There are ${found.length} Dockerfiles here: ${found.map((f) => relative(c.dir, f)).join(', ')}.`, { fix: 'Pass --file <one of them>.' });
    return found[0] ?? '';
  }
  const choice = await c.prompter.select({ id: 'file', flag: '--file', message: 'Which Dockerfile?', choices: found.map((f) => ({ value: f, label: relative(c.dir, f) })) });
  return choice;
}
