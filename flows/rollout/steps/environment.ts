import { isDeepStrictEqual } from 'node:util';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { environmentPath, readEnvironment, writeEnvironment } from '../environment.js';
import { settingsFromAnswers } from '../targets/environment.js';

/**
 * The environment's settings: `slipway/environments/<env>.json` when it exists (it is the truth, and is
 * versioned with the code), else made from the answers — and written only by `environmentFile`, after
 * the approval: a rollout refused (a protected environment nobody can approve) leaves no file behind.
 */
export const environment: Step<RolloutContext> = {
  id: 'environment',
  title: 'Environment settings',
  check: true,
  plan: (c) => `read ${environmentPath(c.dir, c.settings.env)}, or make it from the answers`,
  async probe(c) {
    const path = environmentPath(c.dir, c.settings.env);
    const existing = readEnvironment(c.dir, c.settings.env);
    const settings = existing ?? settingsFromAnswers(c);
    const described = `${settings.launchType}${settings.protected ? ', protected' : ''}`;
    c.report.log(existing ? `Using ${path} (${described}).` : `A new environment (${described}); its file is written once the rollout goes ahead.`);
    return { settings, env: c.settings.env, path, new: !existing };
  },
  async apply() {
    throw new Error('unreachable: the environment probe always answers');
  },
};

/** Writes a new environment's file, from the settings the approval showed. */
export const environmentFile: Step<RolloutContext> = {
  id: 'environment-file',
  title: 'Environment file',
  plan: (c) => `write ${environmentPath(c.dir, c.settings.env)}`,
  async probe(c) {
    const written = readEnvironment(c.dir, c.settings.env);
    return written && isDeepStrictEqual(written, c.environment()) ? { path: environmentPath(c.dir, c.settings.env) } : undefined;
  },
  async apply(c) {
    const path = environmentPath(c.dir, c.settings.env);
    writeEnvironment(c.dir, c.settings.env, c.environment());
    c.report.log(`Wrote ${path} — commit it with your code; edit it to change the environment.`);
    return { path };
  },
};
