import { join } from 'node:path';
import { dockerBuild } from '../../../src/docker/index.js';
import { runDocker } from '../../../src/docker/run.js';
import { LineTail } from '../../../src/docker/tail.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';
import { openLog } from './build-log.js';
import { publishedDigest } from './push.js';

/**
 * Builds the test stage and runs it, streaming its output. Never publish after failed tests. Tests that
 * passed earlier in this run's journal are not run again — for the same content only: a new commit or
 * another edit of a dirty tree is tested afresh.
 */
export const testStage: Step<PublishContext> = {
  id: 'test-stage',
  title: 'Test stage',
  inputs: (c) => ({
    version: c.version(),
    content: String(c.outputs.version?.tree ?? c.outputs.version?.sha ?? c.version()),
    dockerfile: c.outputs.project?.dockerfile,
    testTarget: c.outputs.project?.testTarget,
    platform: c.settings.platform,
    skipTests: c.settings.skipTests,
  }),
  plan: (c) => `docker build --target ${String(c.outputs.project?.testTarget || 'test')}, then run it`,
  async probe(c) {
    const target = String(c.outputs.project?.testTarget ?? '');
    if (c.settings.skipTests) return { result: 'skipped (--skip-tests)' };
    if (!target) {
      c.report.log('The Dockerfile has no "test" stage; nothing to test. (Add one: FROM … AS test.)', 'warn');
      return { result: 'no test stage' };
    }
    if (c.journaled?.status === 'done') return { result: 'passed', version: c.version() };
    // Nothing is published after failing tests: this exact image in ECR means they passed. A -dirty tag
    // names no fixed content, so it proves nothing.
    if (!c.outputs.version?.dirty && (await publishedDigest(c))) return { result: 'passed before it was published', version: c.version() };
    return undefined;
  },
  async apply(c) {
    const target = String(c.outputs.project?.testTarget);
    const image = `slipway-test/${c.settings.app}:${c.version()}`;
    const log = openLog(c.runtime.env, `${c.settings.app}-test`);
    const tail = new LineTail(20);
    const line = (text: string) => {
      log.stream.write(`${text}\n`);
      tail.push(text);
      c.report.log(text);
    };
    try {
      await dockerBuild({
        ...c.docker,
        context: c.dir,
        file: join(c.dir, String(c.outputs.project?.dockerfile)),
        target,
        tags: [image],
        platform: c.settings.platform,
        labels: { 'slipway.app': c.settings.app },
        onLine: line,
      });
      const run = await runDocker(['run', '--rm', '--platform', c.settings.platform, image], { ...c.docker, onLine: line });
      if (run.exitCode !== 0) {
        throw new SlipwayError(`The tests failed (exit code ${run.exitCode ?? 'none'}).`, {
          why: tail.text(),
          fix: `Fix the tests and run again; the whole log is in ${log.path}. (--skip-tests skips them, not recommended.)`,
        });
      }
    } finally {
      log.stream.end();
    }
    return { result: 'passed', version: c.version() };
  },
};
