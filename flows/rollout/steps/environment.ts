import type { Step } from '../../../src/engine/types.js';
import { parseSize } from '../fargate-sizes.js';
import { environmentPath, readEnvironment, writeEnvironment, type EnvironmentSettings } from '../environment.js';
import type { RolloutContext } from '../context.js';

/**
 * The environment file, `slipway/environments/<env>.json`: read when it exists (it is the truth, and is
 * versioned with the code), written from the answers the first time.
 */
export const environment: Step<RolloutContext> = {
  id: 'environment',
  title: 'Environment settings',
  plan: (c) => `write ${environmentPath(c.dir, c.settings.env)} from the answers`,
  async probe(c) {
    const settings = readEnvironment(c.dir, c.settings.env);
    if (!settings) return undefined;
    c.report.log(`Using ${environmentPath(c.dir, c.settings.env)}${settings.protected ? ' (protected)' : ''}.`);
    return { settings, env: c.settings.env, path: environmentPath(c.dir, c.settings.env) };
  },
  async apply(c) {
    const size = parseSize(c.settings.size) ?? { cpu: 256, memory: 512 };
    const settings: EnvironmentSettings = {
      version: 1,
      launchType: 'FARGATE',
      containerPort: c.settings.port,
      healthCheckPath: c.settings.healthPath,
      healthCheckGracePeriodSeconds: 60,
      desiredCount: c.settings.desiredCount,
      cpu: size.cpu,
      memory: size.memory,
      cpuArchitecture: 'X86_64',
      environment: {},
      network: { vpc: 'default', subnets: [], public: true },
      logRetentionDays: c.settings.retentionDays,
      protected: c.settings.protected,
    };
    writeEnvironment(c.dir, c.settings.env, settings);
    c.report.log(`Wrote ${environmentPath(c.dir, c.settings.env)} — commit it with your code; edit it to change the environment.`);
    return { settings, env: c.settings.env, path: environmentPath(c.dir, c.settings.env) };
  },
};
