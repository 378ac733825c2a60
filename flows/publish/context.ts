import { MissingOutputError } from '../../src/engine/errors.js';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { prepareSandboxStorage } from '../../src/sandbox/local-registry.js';
import type { STSClient } from '@aws-sdk/client-sts';
import type { DockerCallOptions } from '../../src/docker/index.js';
import type { Prompter } from '../../src/engine/prompter.js';
import type { StepContext } from '../../src/engine/types.js';
import { awsClient, memoByKey, startingCredentials } from '../shared/aws.js';
import type { Runtime } from '../shared/runtime.js';
import { typedPublishAnswers, type PublishAnswers } from './questions.js';

export interface PublishContext extends StepContext {
  runtime: Runtime;
  /** The application's folder (where the Dockerfile and slipway/project.json live). */
  dir: string;
  settings: PublishAnswers;
  ecr(): Promise<ECRClient>;
  sts(): Promise<STSClient>;
  /** Options for every docker call: cancellation, and the docker config (the sandbox keeps its own). */
  docker: DockerCallOptions;
  /** The release image's local name, and its name in ECR. */
  localImage(): string;
  version(): string;
  repositoryUri(): string;
}

export function publishClients(runtime: Runtime) {
  const once = memoByKey();
  // One credential provider for both clients: a profile with MFA asks for one code.
  const starting = (region: string, prompter: Prompter) => once(`starting:${region}`, () => startingCredentials(runtime, prompter, { region }));
  return {
    sts: (region: string, prompter: Prompter) =>
      once(`sts:${region}`, async () => awsClient(runtime, (await import('@aws-sdk/client-sts')).STSClient, await starting(region, prompter), { region })),
    ecr: (region: string, prompter: Prompter) =>
      once(`ecr:${region}`, async () => awsClient(runtime, (await import('@aws-sdk/client-ecr')).ECRClient, await starting(region, prompter), { region })),
  };
}

export function publishContext(runtime: Runtime, clients: ReturnType<typeof publishClients>) {
  return async (base: StepContext): Promise<PublishContext> => {
    // The sandbox's ECR stores images in a registry on this machine, started here when needed.
    // Not for a --plan: starting the sandbox's registry writes the sandbox.
    if (runtime.sandbox && !base.planning) await prepareSandboxStorage(runtime.sandbox, runtime.env);
    const settings = typedPublishAnswers(base.answers);
    const output = (step: string, key: string) => {
      const value = base.outputs[step]?.[key];
      if (typeof value !== 'string') throw new MissingOutputError(step);
      return value;
    };
    return {
      ...base,
      runtime,
      dir: runtime.cwd,
      settings,
      ecr: () => clients.ecr(settings.region, base.prompter),
      sts: () => clients.sts(settings.region, base.prompter),
      docker: { signal: base.signal, ...(runtime.dockerConfig ? { dockerConfig: runtime.dockerConfig } : {}) },
      localImage: () => `slipway/${settings.app}:${output('version', 'tag')}`,
      version: () => output('version', 'tag'),
      repositoryUri: () => output('ecr-repository', 'uri'),
    };
  };
}
