import { MissingOutputError } from '../../src/engine/errors.js';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Prompter } from '../../src/engine/prompter.js';
import type { Outputs, StepContext } from '../../src/engine/types.js';
import { awsClient, memoByKey, startingCredentials } from '../shared/aws.js';
import type { Runtime } from '../shared/runtime.js';
import type { EnvironmentSettings } from './environment.js';
import { rolloutNames, rolloutTags, type RolloutNames } from './names.js';
import { typedRolloutAnswers, type RolloutAnswers } from './questions.js';

export interface RolloutContext extends StepContext {
  runtime: Runtime;
  /** The application's folder (slipway/project.json, slipway/environments/). */
  dir: string;
  settings: RolloutAnswers;
  names: RolloutNames;
  tags: { Key: string; Value: string }[];
  /** The environment file's settings (the environment step's output). */
  environment(): EnvironmentSettings;
  account(): string;
  /** Another step's output, or an error saying that step has not run. */
  output<T = string>(step: string, key: string): T;
  /** How often the watch polls: 10 s against AWS (the reference's advice), faster in the sandbox. */
  pollMs: number;
  /** The account's clock: the sandbox's (which tests move ahead), else the wall clock. */
  now(): number;
  sts(): Promise<STSClient>;
  ecr(): Promise<ECRClient>;
  ec2(): Promise<EC2Client>;
  iam(): Promise<IAMClient>;
  ecs(): Promise<ECSClient>;
  elbv2(): Promise<ElasticLoadBalancingV2Client>;
  logs(): Promise<CloudWatchLogsClient>;
  /** Only the EC2 target calls these (the ECS AMI parameter, the Auto Scaling group). */
  ssm(): Promise<SSMClient>;
  autoScaling(): Promise<AutoScalingClient>;
}

type ClientClass = new (config: never) => { middlewareStack: unknown };

/** Each SDK package is imported when its first call is made, so a flow pays only for what it uses. */
const PACKAGES: Record<string, () => Promise<ClientClass>> = {
  sts: async () => (await import('@aws-sdk/client-sts')).STSClient as ClientClass,
  ecr: async () => (await import('@aws-sdk/client-ecr')).ECRClient as ClientClass,
  ec2: async () => (await import('@aws-sdk/client-ec2')).EC2Client as ClientClass,
  iam: async () => (await import('@aws-sdk/client-iam')).IAMClient as ClientClass,
  ecs: async () => (await import('@aws-sdk/client-ecs')).ECSClient as ClientClass,
  elbv2: async () => (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client as ClientClass,
  logs: async () => (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient as ClientClass,
  ssm: async () => (await import('@aws-sdk/client-ssm')).SSMClient as ClientClass,
  autoscaling: async () => (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient as ClientClass,
};

export function rolloutClients(runtime: Runtime) {
  const once = memoByKey();
  // One credential provider for every client: a profile with MFA asks for one code.
  const starting = (region: string, prompter: Prompter) => once(`starting:${region}`, () => startingCredentials(runtime, prompter, { region }));
  return <T>(service: keyof typeof PACKAGES, region: string, prompter: Prompter): Promise<T> =>
    once(`${service}:${region}`, async () => awsClient(runtime, (await PACKAGES[service]!()) as never, await starting(region, prompter), { region })) as Promise<T>;
}

export type RolloutClients = ReturnType<typeof rolloutClients>;

/**
 * `sandboxStorage`: a rollout looks images up in the sandbox's registry, so it restarts slipway's own
 * if it died (a reboot); the day-2 commands (status, run, teardown) never look at images and pass false.
 */
export function rolloutContext(runtime: Runtime, clients: RolloutClients, options: { sandboxStorage?: boolean } = {}) {
  return async (base: StepContext): Promise<RolloutContext> => {
    // A sandbox without a registry keeps recorded images and starts none.
    // Not for a --plan: starting the sandbox's registry writes the sandbox.
    if ((options.sandboxStorage ?? true) && !base.planning && runtime.sandbox?.snapshot().ecr?.registry) {
      const { prepareSandboxStorage } = await import('../../src/sandbox/local-registry.js');
      await prepareSandboxStorage(runtime.sandbox, runtime.env);
    }
    const settings = typedRolloutAnswers(base.answers);
    const output = <T = string>(step: string, key: string): T => {
      const value = (base.outputs[step] as Outputs | undefined)?.[key];
      if (value === undefined) throw new MissingOutputError(step);
      return value as T;
    };
    const client = <T>(service: keyof typeof PACKAGES) => () => clients<T>(service, settings.region, base.prompter);
    const poll = Number(runtime.env.SLIPWAY_WATCH_POLL_MS);
    return {
      ...base,
      runtime,
      dir: runtime.cwd,
      settings,
      names: rolloutNames(settings.app, settings.env),
      tags: rolloutTags(settings.app, settings.env),
      environment: () => output<EnvironmentSettings>('environment', 'settings'),
      account: () => output('identity', 'account'),
      output,
      pollMs: Number.isFinite(poll) && poll > 0 ? poll : runtime.sandbox ? 1000 : 10_000,
      now: () => runtime.sandbox?.clock.now() ?? Date.now(),
      sts: client<STSClient>('sts'),
      ecr: client<ECRClient>('ecr'),
      ec2: client<EC2Client>('ec2'),
      iam: client<IAMClient>('iam'),
      ecs: client<ECSClient>('ecs'),
      elbv2: client<ElasticLoadBalancingV2Client>('elbv2'),
      logs: client<CloudWatchLogsClient>('logs'),
      ssm: client<SSMClient>('ssm'),
      autoScaling: client<AutoScalingClient>('autoscaling'),
    };
  };
}
