import { MissingOutputError } from '../../src/engine/errors.js';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { SharedCredentials } from '../../src/aws/credentials.js';
import type { Prompter } from '../../src/engine/prompter.js';
import type { Answers, StepContext } from '../../src/engine/types.js';
import { awsClient, memoByKey, startingCredentials } from '../shared/aws.js';
import type { Runtime } from '../shared/runtime.js';
import { typedAnswers, type BootstrapAnswers } from './questions.js';

export interface BootstrapContext extends StepContext {
  runtime: Runtime;
  names: BootstrapAnswers;
  /** IAM and STS as the starting identity (an admin user or root; never stored or copied). */
  iam(): Promise<IAMClient>;
  sts(): Promise<STSClient>;
  /** The account id, from the identity step. */
  account(): string;
  /** The new profile's role session (asks for an MFA code unless a cached session is still fresh). */
  adminCredentials(): Promise<SharedCredentials>;
  /** EC2 in the flow's region, as the admin role. */
  ec2AsAdmin(): Promise<EC2Client>;
}

/**
 * The bootstrap's AWS clients, made once per process and region: the journal lookup (target) and the
 * steps share them, so an MFA-protected starting profile asks for one code, not two.
 */
export function bootstrapClients(runtime: Runtime) {
  const once = memoByKey();
  const starting = (region: string, prompter: Prompter) => once(`starting:${region}`, () => startingCredentials(runtime, prompter, { region }));
  const admin = (region: string, profile: string, prompter: Prompter) =>
    once(`admin:${region}:${profile}`, () => startingCredentials(runtime, prompter, { region, profile }));
  return {
    sts: (region: string, prompter: Prompter) =>
      once(`sts:${region}`, async () => awsClient(runtime, (await import('@aws-sdk/client-sts')).STSClient, await starting(region, prompter), { region })),
    iam: (region: string, prompter: Prompter) =>
      once(`iam:${region}`, async () => awsClient(runtime, (await import('@aws-sdk/client-iam')).IAMClient, await starting(region, prompter), { region })),
    admin,
    ec2AsAdmin: (region: string, profile: string, prompter: Prompter) =>
      once(`ec2:${region}:${profile}`, async () => awsClient(runtime, (await import('@aws-sdk/client-ec2')).EC2Client, await admin(region, profile, prompter), { region })),
  };
}

export type BootstrapClients = ReturnType<typeof bootstrapClients>;

export function bootstrapContext(runtime: Runtime, clients: BootstrapClients) {
  return async (base: StepContext): Promise<BootstrapContext> => {
    const names = typedAnswers(base.answers);
    const { region, profileName } = names;
    return {
      ...base,
      runtime,
      names,
      iam: () => clients.iam(region, base.prompter),
      sts: () => clients.sts(region, base.prompter),
      account: () => {
        const account = base.outputs.identity?.account;
        if (typeof account !== 'string') throw new MissingOutputError('identity');
        return account;
      },
      adminCredentials: () => clients.admin(region, profileName, base.prompter),
      ec2AsAdmin: () => clients.ec2AsAdmin(region, profileName, base.prompter),
    };
  };
}

export async function accountOf(clients: BootstrapClients, answers: Answers, prompter: Prompter): Promise<string | undefined> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const region = String(answers.region);
  return (await (await clients.sts(region, prompter)).send(new GetCallerIdentityCommand({}))).Account;
}
