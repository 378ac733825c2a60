import { environmentPath } from './environment-path.js';
import { z } from 'zod';
import { writeFileAtomic } from '../../src/engine/atomic-write.js';
import { UsageError } from '../../src/engine/errors.js';
import { readJsonFileIfPresent } from '../../src/local/json-file.js';
import { fargateSizeProblem } from './fargate-sizes.js';
import { ec2SizeProblem, INSTANCE_TYPE, instanceArchitecture } from './targets/ec2/instance-types.js';
import { validateEnvName } from './names.js';
import { isYes } from '../../src/engine/answers.js';

/**
 * `slipway/environments/<env>.json`: one environment's settings, versioned with the code like the
 * book's dev.json/prod.json. Every setting the wizard uses is written out, defaults included, so
 * nothing is hidden from the file. zod gives one readable message per wrong key.
 */
const HEALTH_PATH = /^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/;
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;

const RETENTION = z.union([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>]);

/** What every target shares: the app's port, health check, size and count, network, logs, protection. */
const common = {
  version: z.literal(1),
  containerPort: z.number().int().min(1).max(65535),
  healthCheckPath: z.string().max(1024).regex(HEALTH_PATH, 'a health check path starts with "/" and has no spaces, e.g. /health'),
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647),
  desiredCount: z.number().int().min(1).max(100),
  cpu: z.number().int(),
  memory: z.number().int(),
  cpuArchitecture: z.enum(['X86_64', 'ARM64']),
  environment: z.record(z.string().regex(ENV_VAR, 'environment variable names are letters, digits and _'), z.string()),
  network: z.object({
    vpc: z.union([z.literal('default'), z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id looks like vpc-0abc…')]),
    subnets: z.array(z.string().regex(SUBNET, 'a subnet id looks like subnet-0abc…')).describe('empty: the VPC’s subnets that give public IPs'),
    public: z.boolean(),
  }),
  logRetentionDays: RETENTION,
  protected: z.boolean().describe('changes need the environment name typed to approve'),
};

/** EC2 capacity (rollout reference §11): the instances an Auto Scaling group keeps for the tasks. */
export const ec2CapacitySchema = z
  .object({
    instanceType: z.string().regex(INSTANCE_TYPE, 'an instance type looks like t3.micro or m7g.large'),
    minSize: z.number().int().min(0).max(100),
    maxSize: z.number().int().min(0).max(100),
    desiredCapacity: z.number().int().min(0).max(100).describe('instances to start with; ECS managed scaling adds more (up to maxSize) when tasks need them'),
    keyPair: z.string().min(1).max(255).optional().describe('an EC2 key pair for SSH to the instances (e.g. the one `slipway bootstrap` imported)'),
  })
  .strict();

export const environmentSchema = z
  .discriminatedUnion('launchType', [
    z.object({ ...common, launchType: z.literal('FARGATE').describe('Where tasks run (FARGATE: no servers to manage)') }).strict(),
    z.object({ ...common, launchType: z.literal('EC2').describe('EC2 instances of an Auto Scaling group, through a capacity provider'), ec2: ec2CapacitySchema }).strict(),
    z.object({ ...common, launchType: z.literal('EXPRESS').describe('ECS Express Mode: ECS makes the load balancer, certificate and scaling') }).strict(),
  ])
  .superRefine((env, ctx) => {
    // EC2 tasks take any size that fits the instances; Fargate (and Express, which runs on it) only its own.
    const problem = env.launchType === 'EC2' ? ec2SizeProblem(env.cpu, env.memory, env.ec2.instanceType) : fargateSizeProblem(env.cpu, env.memory);
    if (problem) ctx.addIssue({ code: 'custom', path: ['memory'], message: problem });
    if (env.network.vpc === 'default' && env.network.subnets.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['network', 'subnets'], message: 'subnets are chosen from the default VPC; name the VPC too when listing subnets' });
    }
    if (env.launchType !== 'EC2') return;
    const { minSize, maxSize, desiredCapacity, instanceType } = env.ec2;
    if (minSize > maxSize) ctx.addIssue({ code: 'custom', path: ['ec2', 'minSize'], message: `minSize (${minSize}) is more than maxSize (${maxSize})` });
    if (desiredCapacity < minSize || desiredCapacity > maxSize) ctx.addIssue({ code: 'custom', path: ['ec2', 'desiredCapacity'], message: `desiredCapacity (${desiredCapacity}) must be between minSize (${minSize}) and maxSize (${maxSize})` });
    const arch = instanceArchitecture(instanceType);
    if (arch !== env.cpuArchitecture) {
      ctx.addIssue({ code: 'custom', path: ['ec2', 'instanceType'], message: `${instanceType} is ${arch === 'ARM64' ? 'an ARM64 (Graviton)' : 'an X86_64'} type but "cpuArchitecture" is ${env.cpuArchitecture}: choose ${env.cpuArchitecture === 'ARM64' ? 'a Graviton type such as t4g.micro' : 'a type such as t3.micro'}, or change cpuArchitecture` });
    }
  });

export type EnvironmentSettings = z.infer<typeof environmentSchema>;

/** Where an environment's tasks run (rollout reference §1). */
export type LaunchType = EnvironmentSettings['launchType'];
export type Ec2Capacity = z.infer<typeof ec2CapacitySchema>;

export { environmentPath, isProductionName, LOG_RETENTION_DAYS } from './environment-path.js';

/** undefined when there is no such environment yet; a UsageError naming every problem when it is broken. */
export function readEnvironment(dir: string, env: string): EnvironmentSettings | undefined {
  const nameProblem = validateEnvName(env);
  if (nameProblem) throw new UsageError(`--env: "${env}" is not an environment name.`, { fix: nameProblem });
  const path = environmentPath(dir, env);
  const value = readJsonFileIfPresent(path, 'Fix the file by hand, or delete it to answer the questions again.');
  if (value === undefined) return undefined;
  const parsed = environmentSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new UsageError(`${path} is not a valid environment.`, { why: `${problems.join('; ')}.`, fix: 'Fix those keys by hand (see the README’s environment file section), or delete the file to answer the questions again.' });
  }
  return parsed.data;
}

/**
 * Checks the files named on the command line before any screen opens: a malformed environment file,
 * or an unknown `--from` environment, is a UsageError (exit 2) with nothing written.
 */
export function checkGivenEnvironments(dir: string, given: { env?: unknown; from?: unknown; force?: unknown }): void {
  const settings = typeof given.env === 'string' ? readEnvironment(dir, given.env) : undefined;
  // Express Mode starts a new revision only when something changed; there is no "deploy again" to ask for.
  if (settings?.launchType === 'EXPRESS' && isYes(given.force)) {
    throw new UsageError(`--force: ${String(given.env)} is an Express Mode environment, which has no new deployment of an unchanged revision.`, {
      fix: 'Change the image or a setting to start a new revision, or leave --force out.',
    });
  }
  if (typeof given.from === 'string' && given.from !== '' && readEnvironment(dir, given.from) === undefined) {
    throw new UsageError(`--from ${given.from}: there is no environment "${given.from}".`, { fix: `Environments are the files in ${environmentPath(dir, '*')}.` });
  }
}

export function writeEnvironment(dir: string, env: string, settings: EnvironmentSettings): void {
  const checked = environmentSchema.parse(settings);
  writeFileAtomic(environmentPath(dir, env), JSON.stringify(checked, null, 2) + '\n', 0o644);
}
