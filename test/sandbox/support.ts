import { EC2Client } from '@aws-sdk/client-ec2';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { clientConfig } from '../../src/aws/clients.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/store.js';
import { totp, TOTP_STEP_MS } from '../../src/sandbox/totp.js';
import { AdministratorAccessArn, adminTrustPolicy, assumeAdminRolePolicy, requireMfaPolicy } from '../../recipes/iam/policies.js';

/** A fixed instant one second into a TOTP step, so a test never straddles a step boundary by accident. */
export const T0 = Date.parse('2030-01-01T00:00:00Z') + 1_000;

/** An in-memory sandbox on a frozen wall clock; time moves only through `sandbox.clock.advance`. */
export function frozenSandbox(options: SandboxOptions = {}): Sandbox {
  return createSandbox({ now: () => T0, ...options });
}

/** Real SDK clients, built the way slipway builds them, answered by the sandbox. */
export function clientsFor(sandbox: Sandbox, credentials: AwsCredentialIdentity, region = 'us-east-1') {
  const config = clientConfig({ region }, async () => credentials);
  return {
    iam: attachSandbox(new IAMClient(config), sandbox),
    sts: attachSandbox(new STSClient(config), sandbox),
    ec2: attachSandbox(new EC2Client(config), sandbox),
  };
}

export const adminClients = (sandbox: Sandbox, region?: string) => clientsFor(sandbox, sandbox.adminCredentials(), region);

/** Moves sandbox time to the start of the next TOTP step, so a fresh code exists. */
export function nextStep(sandbox: Sandbox): void {
  sandbox.clock.advance(TOTP_STEP_MS);
}

/** Awaits a rejection and hands back the error, for checking its shape. */
export async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

export interface Bootstrapped {
  roleArn: string;
  serial: string;
  /** The MFA seed, as the person would have scanned it. */
  seed: string;
  /** alice's long-term key. */
  alice: AwsCredentialIdentity;
}

/**
 * Reference §3 steps 4–12 through the API as the bootstrap admin: role `admin` (MFA trust,
 * AdministratorAccess), groups Administrators (AssumeAdminRole) and Users (RequireMFAPolicy), user
 * alice in both, her virtual MFA enabled, and her access key.
 */
export async function bootstrapAccount(sandbox: Sandbox, options: { user?: string } = {}): Promise<Bootstrapped> {
  const iam = adminClients(sandbox).iam;
  const user = options.user ?? 'alice';
  const account = sandbox.accountId;
  const roleArn = `arn:aws:iam::${account}:role/admin`;
  await iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: JSON.stringify(adminTrustPolicy(account)) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: AdministratorAccessArn }));
  await iam.send(new CreateGroupCommand({ GroupName: 'Administrators' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'AssumeAdminRole', PolicyDocument: JSON.stringify(assumeAdminRolePolicy(account, 'admin')) }));
  const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: JSON.stringify(requireMfaPolicy(account)) }));
  await iam.send(new CreateGroupCommand({ GroupName: 'Users' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Users', PolicyArn: policy.Policy?.Arn }));
  await iam.send(new CreateUserCommand({ UserName: user }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: user }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'Users', UserName: user }));
  const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: user }))).VirtualMFADevice!;
  const seed = new TextDecoder().decode(device.Base32StringSeed);
  const now = sandbox.clock.now();
  await iam.send(new EnableMFADeviceCommand({ UserName: user, SerialNumber: device.SerialNumber, AuthenticationCode1: totp(seed, now - TOTP_STEP_MS), AuthenticationCode2: totp(seed, now) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
  // Let IAM "propagate" whatever delay the sandbox simulates, and move to a fresh MFA step.
  sandbox.clock.advance(sandbox.propagationSeconds * 1000 + TOTP_STEP_MS);
  return { roleArn, serial: device.SerialNumber!, seed, alice: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } };
}
