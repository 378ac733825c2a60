import type {
  CreateVirtualMFADeviceRequest,
  CreateVirtualMFADeviceResponse,
  DeleteVirtualMFADeviceRequest,
  EnableMFADeviceRequest,
  ListMFADevicesRequest,
  ListMFADevicesResponse,
  ListVirtualMFADevicesRequest,
  ListVirtualMFADevicesResponse,
} from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { consecutiveSteps, markUsed } from '../mfa-codes.js';
import { op, validationError, type Operation, type Out } from '../operation.js';
import { otpauthUri, qrPng } from '../qr.js';
import type { VirtualMfaDevice } from '../state.js';
import { base32Encode } from '../totp.js';
import { alreadyExists, iamArn, iamName, iamPath, limitExceeded, mergeTags, noSuchEntity, requireUser, subjectUserName, userOut, userResource } from './common.js';

const DEVICES_PER_USER = 8;
/** AWS seeds are 40 random bytes: 64 base32 characters. */
const SEED_BYTES = 40;

function checkCode(value: string | undefined, member: string): void {
  if (!value || !/^\d{6}$/.test(value)) {
    throw validationError(`1 validation error detected: Value '${value ?? 'null'}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+`);
  }
}

export const mfaOperations: Record<string, Operation> = {
  CreateVirtualMFADevice: op<CreateVirtualMFADeviceRequest, Out<CreateVirtualMFADeviceResponse>>({
    resource: (input, ctx) => iamArn(ctx.state, 'mfa', iamPath(input.Path), input.VirtualMFADeviceName ?? ''),
    run: async (input, ctx) => {
      const name = iamName(input.VirtualMFADeviceName, 'virtualMFADeviceName', 226);
      const serial = iamArn(ctx.state, 'mfa', iamPath(input.Path), name);
      if (ctx.state.iam.mfaDevices[serial]) throw alreadyExists('MFADevice entity at the same path and name already exists.');
      const seed = base32Encode(ctx.ids.bytes(SEED_BYTES));
      const device: VirtualMfaDevice = { serial, seed, createdAt: ctx.now, tags: mergeTags([], input.Tags), usedSteps: [] };
      ctx.state.iam.mfaDevices[serial] = device;
      const png = await qrPng(otpauthUri(name, ctx.state.aliases[0] ?? ctx.state.accountId, seed));
      return {
        VirtualMFADevice: {
          SerialNumber: serial,
          // The SDK models both as blobs: the seed arrives as the ASCII bytes of the base32 text.
          Base32StringSeed: new TextEncoder().encode(seed),
          QRCodePNG: png,
          Tags: device.tags.length ? device.tags.map((t) => ({ ...t })) : undefined,
        },
      };
    },
  }),

  ListVirtualMFADevices: op<ListVirtualMFADevicesRequest, Out<ListVirtualMFADevicesResponse>>({
    run: (input, ctx) => {
      const status = input.AssignmentStatus ?? 'Any';
      const devices = Object.values(ctx.state.iam.mfaDevices).filter((d) => status === 'Any' || (status === 'Assigned') === (d.user !== undefined));
      return {
        VirtualMFADevices: devices.map((d) => {
          const user = d.user !== undefined ? ctx.state.iam.users[d.user] : undefined;
          return {
            SerialNumber: d.serial,
            User: user ? userOut(user, false) : undefined,
            EnableDate: d.enabledAt !== undefined ? new Date(d.enabledAt) : undefined,
            Tags: d.tags.length ? d.tags.map((t) => ({ ...t })) : undefined,
          };
        }),
        IsTruncated: false,
      };
    },
  }),

  DeleteVirtualMFADevice: op<DeleteVirtualMFADeviceRequest, object>({
    resource: (input) => input.SerialNumber ?? '*',
    run: (input, ctx) => {
      const device = input.SerialNumber !== undefined ? ctx.state.iam.mfaDevices[input.SerialNumber] : undefined;
      if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${input.SerialNumber} doesn't exist.`);
      if (device.user !== undefined) throw fault('DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.', 409);
      delete ctx.state.iam.mfaDevices[device.serial];
      return {};
    },
  }),

  EnableMFADevice: op<EnableMFADeviceRequest, object>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      checkCode(input.AuthenticationCode1, 'authenticationCode1');
      checkCode(input.AuthenticationCode2, 'authenticationCode2');
      const user = requireUser(ctx.state, input.UserName);
      const device = input.SerialNumber !== undefined ? ctx.state.iam.mfaDevices[input.SerialNumber] : undefined;
      if (!device) throw noSuchEntity(`MFA Device with serial number ${input.SerialNumber} does not exist.`);
      if (device.user !== undefined) throw alreadyExists('MFA Device is already in use.');
      const enabled = Object.values(ctx.state.iam.mfaDevices).filter((d) => d.user === user.name).length;
      if (enabled >= DEVICES_PER_USER) throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${DEVICES_PER_USER}`);
      const step = consecutiveSteps(device, input.AuthenticationCode1, input.AuthenticationCode2, ctx.now);
      if (step === undefined) throw fault('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
      device.user = user.name;
      device.enabledAt = ctx.now;
      // Both codes are spent: the next AssumeRole needs a fresh one, as with AWS.
      markUsed(device, [step, step + 1], ctx.now);
      return {};
    },
  }),

  ListMFADevices: op<ListMFADevicesRequest, Out<ListMFADevicesResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = requireUser(ctx.state, subjectUserName(ctx, input.UserName));
      const devices = Object.values(ctx.state.iam.mfaDevices).filter((d) => d.user === user.name);
      return {
        MFADevices: devices.map((d) => ({ UserName: user.name, SerialNumber: d.serial, EnableDate: new Date(d.enabledAt ?? d.createdAt) })),
        IsTruncated: false,
      };
    },
  }),
};
