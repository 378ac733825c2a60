import { clientConfig } from '../../src/aws/clients.js';
import { createSharedCredentials, type SharedCredentials } from '../../src/aws/credentials.js';
import type { StepContext } from '../../src/engine/types.js';
import type { DockerPreflight } from '../../src/docker/index.js';
import type { Runtime } from '../shared/runtime.js';

export interface DoctorContext extends StepContext {
  runtime: Runtime;
  /** Docker is asked once; the client, daemon and buildx checks all read this. */
  docker(): Promise<DockerPreflight>;
  credentials(): Promise<SharedCredentials>;
  callerIdentity(): Promise<{ account: string; arn: string; userId: string }>;
}

export function doctorContext(runtime: Runtime) {
  return async (base: StepContext): Promise<DoctorContext> => {
    let docker: Promise<DockerPreflight> | undefined;
    let credentials: Promise<SharedCredentials> | undefined;
    let identity: Promise<{ account: string; arn: string; userId: string }> | undefined;
    const context: DoctorContext = {
      ...base,
      runtime,
      docker: () =>
        (docker ??= import('../../src/docker/index.js').then(({ dockerPreflight }) => dockerPreflight({ signal: base.signal }))),
      credentials: () => (credentials ??= createSharedCredentials(runtime.aws, base.prompter, runtime.env)),
      callerIdentity: () =>
        (identity ??= (async () => {
          const shared = await context.credentials();
          // Loaded here, not at the top: the first frame must not wait for the SDK.
          const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
          const sts = new STSClient(clientConfig(runtime.aws, shared.provider));
          const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: base.signal });
          return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
        })()),
    };
    return context;
  };
}
