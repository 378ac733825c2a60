import { CreateVirtualMFADeviceCommand, DeleteVirtualMFADeviceCommand, EnableMFADeviceCommand, ListMFADevicesCommand, ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import { classifyAwsError } from '../../../src/aws/errors.js';
import { UsageError } from '../../../src/engine/errors.js';
import { validateMfaCode } from '../../../src/engine/prompter.js';
import type { Step } from '../../../src/engine/types.js';
import type { BootstrapContext } from '../context.js';
import { MANAGED_TAGS } from '../tags.js';

export function mfaSerial(account: string, userName: string): string {
  return `arn:aws:iam::${account}:mfa/${userName}`;
}

/**
 * The user's virtual MFA device, named after the user. The seed exists only in CreateVirtualMFADevice's
 * answer: it is shown once as a QR code (and as text) and never stored, so a device left unassigned by
 * an interrupted run is useless — it is deleted and made anew. An enabled device is kept.
 */
export const mfaDevice: Step<BootstrapContext> = {
  id: 'mfa-device',
  title: 'Virtual MFA device',
  plan: (c) => `iam:CreateVirtualMFADevice ${c.names.userName}, show the QR code, iam:EnableMFADevice with two consecutive codes`,
  async probe(c) {
    const serial = mfaSerial(c.account(), c.names.userName);
    const devices = (await (await c.iam()).send(new ListMFADevicesCommand({ UserName: c.names.userName }), { abortSignal: c.signal })).MFADevices ?? [];
    return devices.some((d) => d.SerialNumber === serial) ? { serial } : undefined;
  },
  async apply(c) {
    if (!c.prompter.interactive) {
      throw new UsageError('Setting up the MFA device needs a person with an authenticator app.', { fix: 'Run `slipway bootstrap` in a terminal; the other steps are kept.' });
    }
    const iam = await c.iam();
    const serial = mfaSerial(c.account(), c.names.userName);
    const unassigned = (await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }), { abortSignal: c.signal })).VirtualMFADevices ?? [];
    if (unassigned.some((d) => d.SerialNumber === serial)) {
      c.report.log('An MFA device from an interrupted run was never enabled and its seed is gone; replacing it. If you added it to your authenticator app, delete that entry: it will never give a valid code. Add the new one below.', 'warn');
      await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }), { abortSignal: c.signal });
    }
    const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: c.names.userName, Tags: MANAGED_TAGS }), { abortSignal: c.signal })).VirtualMFADevice;
    const seed = new TextDecoder().decode(device?.Base32StringSeed ?? new Uint8Array());
    // Kept short: a shorter URI is a smaller QR code, and it has to fit a terminal.
    const label = encodeURIComponent(`${c.names.userName}@${c.names.accountAlias || c.account()}`);
    await c.prompter.showQr({
      title: `Scan with your authenticator app (Google Authenticator, 1Password, Authy…) — MFA for ${c.names.userName}`,
      data: `otpauth://totp/AWS:${label}?secret=${seed}&issuer=AWS`,
      fallback: seed.replace(/(.{4})/g, '$1 ').trim(),
    });
    for (;;) {
      const first = await c.prompter.text({ id: 'mfa-code-1', message: 'First code from the app', validate: validateMfaCode, totp: true });
      const second = await c.prompter.text({
        id: 'mfa-code-2',
        message: 'Wait for the next code, then type it',
        totp: true,
        validate: (v) => validateMfaCode(v) ?? (v.trim() === first.trim() ? 'That is the same code; wait for the app to show the next one.' : undefined),
      });
      try {
        await iam.send(new EnableMFADeviceCommand({ UserName: c.names.userName, SerialNumber: serial, AuthenticationCode1: first.trim(), AuthenticationCode2: second.trim() }), { abortSignal: c.signal });
        return { serial };
      } catch (error) {
        // A mistyped or out-of-step code gets another try, not a failed flow.
        if (classifyAwsError(error) !== 'invalid-mfa-code') throw error;
        c.report.log('AWS did not accept those codes (they must be two consecutive ones, and the phone clock must be right). Try again with fresh codes.', 'warn');
      }
    }
  },
};
