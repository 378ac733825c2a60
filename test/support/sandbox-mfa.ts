import { CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient } from '@aws-sdk/client-iam';
import { clientConfig } from '../../src/aws/clients.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import type { Sandbox } from '../../src/sandbox/store.js';
import { totpAtStep, totpStep } from '../../src/sandbox/totp.js';

/**
 * What the person does between a non-interactive bootstrap's two runs: scans the user's MFA seed
 * into an app and enables the device with two consecutive codes. Returns the code for the next
 * 30-second step — the one code a non-interactive run may be given (SLIPWAY_MFA_CODE).
 */
export async function enableMfaAsAPerson(sandbox: Sandbox, userName: string, region: string): Promise<{ nextCode: string }> {
  const admin = sandbox.adminCredentials();
  const iam = attachSandbox(new IAMClient(clientConfig({ region }, async () => admin)), sandbox);
  const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }))).VirtualMFADevice;
  const seed = new TextDecoder().decode(device?.Base32StringSeed);
  const step = totpStep(sandbox.clock.now());
  await iam.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: device?.SerialNumber, AuthenticationCode1: totpAtStep(seed, step - 1), AuthenticationCode2: totpAtStep(seed, step) }));
  return { nextCode: totpAtStep(seed, step + 1) };
}
