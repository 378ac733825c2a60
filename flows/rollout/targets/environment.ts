import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { environmentPath, environmentSchema, readEnvironment, writeEnvironment, type EnvironmentSettings } from '../environment.js';
import { parseSize } from '../fargate-sizes.js';
import { instanceArchitecture } from './ec2/instance-types.js';

/**
 * The environment file for an EC2 or Express environment: read when it exists, written from the answers
 * the first time — with its target's own settings (steps/environment.ts writes Fargate's).
 */
export const targetEnvironment: Step<RolloutContext> = {
  id: 'environment',
  title: 'Environment settings',
  plan: (c) => `write ${environmentPath(c.dir, c.settings.env)} from the answers`,
  async probe(c) {
    const settings = readEnvironment(c.dir, c.settings.env);
    if (!settings) return undefined;
    c.report.log(`Using ${environmentPath(c.dir, c.settings.env)} (${settings.launchType}${settings.protected ? ', protected' : ''}).`);
    return { settings, env: c.settings.env, path: environmentPath(c.dir, c.settings.env) };
  },
  async apply(c) {
    const settings = settingsFromAnswers(c);
    writeEnvironment(c.dir, c.settings.env, settings);
    c.report.log(`Wrote ${environmentPath(c.dir, c.settings.env)} (${settings.launchType}) — commit it with your code; edit it to change the environment.`);
    return { settings, env: c.settings.env, path: environmentPath(c.dir, c.settings.env) };
  },
};

export function settingsFromAnswers(c: Pick<RolloutContext, 'settings'>): EnvironmentSettings {
  const a = c.settings;
  const size = parseSize(a.size) ?? { cpu: 256, memory: 512 };
  const common = {
    version: 1 as const,
    containerPort: a.port,
    healthCheckPath: a.healthPath,
    healthCheckGracePeriodSeconds: 60,
    desiredCount: a.desiredCount,
    cpu: size.cpu,
    memory: size.memory,
    cpuArchitecture: 'X86_64' as const,
    environment: {},
    network: { vpc: 'default' as const, subnets: [], public: true },
    logRetentionDays: a.retentionDays,
    protected: a.protected,
  };
  const settings: unknown =
    a.launchType === 'EC2'
      ? {
          ...common,
          launchType: 'EC2',
          cpuArchitecture: instanceArchitecture(a.instanceType),
          ec2: { instanceType: a.instanceType, minSize: a.minInstances, maxSize: a.maxInstances, desiredCapacity: a.instances, ...(a.keyPair ? { keyPair: a.keyPair } : {}) },
        }
      : { ...common, launchType: a.launchType };
  // Answers that do not make a valid environment (5 instances, at most 2) are refused before anything is written.
  const parsed = environmentSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new UsageError('These answers do not make a valid environment.', { why: `${problems.join('; ')}.`, fix: 'Answer again (or pass other --instances/--max-instances/--size/--instance-type).' });
  }
  return parsed.data;
}
