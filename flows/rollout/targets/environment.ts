import { UsageError } from '../../../src/engine/errors.js';
import type { RolloutContext } from '../context.js';
import { environmentSchema, type EnvironmentSettings } from '../environment.js';
import { parseSize } from '../fargate-sizes.js';
import { instanceArchitecture } from './ec2/instance-types.js';

/** A new environment's settings, from the answers: Fargate's, or with its target's own (EC2 capacity). */
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
