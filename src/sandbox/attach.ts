import type { AwsCredentialIdentity, InitializeHandlerOutput, InitializeMiddleware, MiddlewareStack } from '@aws-sdk/types';
import { SandboxUnsupportedError } from './errors.js';
import { callFake, type ServiceFake } from './operation.js';
import type { Sandbox } from './store.js';

export const SANDBOX_MIDDLEWARE = 'slipwaySandbox';

/** What the sandbox needs of an SDK v3 client: every generated client (IAMClient, STSClient…) has it. */
export interface SandboxableClient {
  // `any`: each client's stack is typed with its own command unions; the sandbox answers them all.
  middlewareStack: Pick<MiddlewareStack<any, any>, 'add' | 'remove'>;
  config: {
    serviceId?: string;
    credentials?: () => Promise<AwsCredentialIdentity>;
    region?: string | (() => Promise<string>);
  };
}

/**
 * Fakes are loaded with the service's SDK package, which the caller has already loaded: a flow that
 * only uses IAM never pays for parsing the EC2 client.
 */
const FAKES: Record<string, () => Promise<ServiceFake>> = {
  IAM: async () => (await import('./iam.js')).iamFake,
  STS: async () => (await import('./sts.js')).stsFake,
  EC2: async () => (await import('./ec2.js')).ec2Fake,
  ECR: async () => (await import('./ecr.js')).ecrFake,
  ECS: async () => (await import('./ecs.js')).ecsFake,
  'CloudWatch Logs': async () => (await import('./logs.js')).logsFake,
  'Elastic Load Balancing v2': async () => (await import('./elbv2.js')).elbv2Fake,
  SSM: async () => (await import('./ssm.js')).ssmFake,
  'Auto Scaling': async () => (await import('./autoscaling.js')).autoScalingFake,
};

/**
 * Puts the simulated account beneath a real SDK client: a middleware at the very start of the stack
 * answers every command from the sandbox instead of serializing and sending it. The client's own
 * credential provider is still asked who is calling — that is how the sandbox knows the identity, and
 * how a `fromIni` role profile (with `sandboxRoleAssumer`) still runs its MFA prompt. Attaching twice
 * replaces the earlier sandbox.
 */
export function attachSandbox<C extends SandboxableClient>(client: C, sandbox: Sandbox): C {
  const serviceId = client.config.serviceId ?? client.constructor.name.replace(/Client$/, '');
  const middleware: InitializeMiddleware<object, object> = (_next, context) => async (args) => {
    const command = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
    const load = FAKES[serviceId];
    if (!load) throw new SandboxUnsupportedError(`the sandbox does not simulate ${serviceId} yet (${serviceId} ${command})`);
    const fake = await load();
    const credentials = await resolveCredentials(client);
    const region = typeof client.config.region === 'function' ? await client.config.region() : (client.config.region ?? 'us-east-1');
    const output = await callFake(fake, sandbox, command, args.input, credentials, region);
    return { output, response: {} } as InitializeHandlerOutput<object>;
  };
  client.middlewareStack.remove(SANDBOX_MIDDLEWARE);
  // With faults (npm run verify, SLIPWAY_SANDBOX_FAULTS) the sandbox answers beneath the SDK's retries.
  const placed = sandbox.faults?.wrap(sandbox, serviceId, middleware as never, () => resolveCredentials(client)) ?? { middleware, placement: { step: 'initialize', priority: 'high' } as const };
  client.middlewareStack.add(placed.middleware as never, { ...placed.placement, name: SANDBOX_MIDDLEWARE } as never);
  return client;
}

async function resolveCredentials(client: SandboxableClient): Promise<AwsCredentialIdentity> {
  // Resolved outside the sandbox's call queue: a role profile's provider calls AssumeRole through the
  // sandbox itself, and must not wait behind the call that is asking for it.
  const credentials = await client.config.credentials?.();
  if (!credentials?.accessKeyId) throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  return credentials;
}
