import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { totp, TOTP_STEP_MS } from '../../src/sandbox/totp.js';
import { adminClients, caught, clientsFor, frozenSandbox, T0 } from './support.js';

async function withUser() {
  const sandbox = frozenSandbox();
  const { iam } = adminClients(sandbox);
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  return { sandbox, iam, serial: `arn:aws:iam::${sandbox.accountId}:mfa/alice` };
}

describe('IAM access keys', () => {
  it('CreateAccessKey, ListAccessKeys (no secrets), and the key signs calls as the user', async () => {
    const { sandbox, iam } = await withUser();
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    expect(key).toMatchObject({ UserName: 'alice', Status: 'Active', CreateDate: new Date(T0) });
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(listed.AccessKeyMetadata).toEqual([{ UserName: 'alice', AccessKeyId: key.AccessKeyId, Status: 'Active', CreateDate: new Date(T0) }]);

    const alice = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    expect((await alice.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${sandbox.accountId}:user/alice`);
    const wrongSecret = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: 'x'.repeat(40) });
    expect((await caught(wrongSecret.sts.send(new GetCallerIdentityCommand({})))).name).toBe('SignatureDoesNotMatch');
  });

  it('LimitExceeded for a third key', async () => {
    const { iam } = await withUser();
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const error = await caught(iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Cannot exceed quota for AccessKeysPerUser: 2');
  });

  it('UpdateAccessKey Inactive stops the key (InvalidClientTokenId); DeleteAccessKey removes it; NoSuchEntity after', async () => {
    const { sandbox, iam } = await withUser();
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    const alice = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata?.[0]?.Status).toBe('Inactive');
    expect((await caught(alice.sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.AccessKeyId }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata).toEqual([]);
    const gone = await caught(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.AccessKeyId })));
    expect(gone.name).toBe('NoSuchEntityException');
    expect(gone.message).toBe(`The Access Key with id ${key.AccessKeyId} cannot be found.`);
  });

  it('without UserName, acts on the caller’s own keys (the bootstrap key can delete itself)', async () => {
    const { sandbox, iam } = await withUser();
    const own = sandbox.adminCredentials().accessKeyId;
    expect((await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([own]);
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: own }));
    expect((await caught(iam.send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
    expect(() => sandbox.adminCredentials()).toThrow(/no active access key/);
  });
});

describe('IAM virtual MFA devices', () => {
  it('CreateVirtualMFADevice returns the seed and a real QR PNG once; a second create → EntityAlreadyExists', async () => {
    const { iam, serial } = await withUser();
    const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice', Tags: [{ Key: 'slipway:app', Value: 'demo' }] }))).VirtualMFADevice!;
    expect(device.SerialNumber).toBe(serial);
    expect(device.Base32StringSeed).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(device.Base32StringSeed)).toMatch(/^[A-Z2-7]{64}$/);
    expect(device.QRCodePNG).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(device.QRCodePNG!.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    expect(Buffer.from(device.QRCodePNG!).readUInt32BE(16)).toBeGreaterThan(20); // IHDR width: a QR code, not a placeholder
    expect(device.Tags).toEqual([{ Key: 'slipway:app', Value: 'demo' }]);

    const again = await caught(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' })));
    expect(again.name).toBe('EntityAlreadyExistsException');
    expect(again.message).toBe('MFADevice entity at the same path and name already exists.');
  });

  it('EnableMFADevice accepts two consecutive codes; ListMFADevices and ListVirtualMFADevices show it assigned', async () => {
    const { sandbox, iam, serial } = await withUser();
    const seed = await createSeed(iam);
    const now = sandbox.clock.now();
    // A person reads code 1, waits for the app to roll over, and reads code 2.
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: totp(seed, now - TOTP_STEP_MS), AuthenticationCode2: totp(seed, now) }));

    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices).toEqual([{ UserName: 'alice', SerialNumber: serial, EnableDate: new Date(T0) }]);
    const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(assigned.VirtualMFADevices?.map((d) => [d.SerialNumber, d.User?.UserName])).toEqual([[serial, 'alice']]);
    expect((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices).toEqual([]);

    const twice = await caught(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: totp(seed, now + TOTP_STEP_MS), AuthenticationCode2: totp(seed, now + 2 * TOTP_STEP_MS) })));
    expect(twice.name).toBe('EntityAlreadyExistsException');
  });

  it('EnableMFADevice → InvalidAuthenticationCode for wrong, identical, reversed, non-consecutive or stale codes', async () => {
    const { sandbox, iam, serial } = await withUser();
    const seed = await createSeed(iam);
    const at = (steps: number) => totp(seed, sandbox.clock.now() + steps * TOTP_STEP_MS);
    const attempts: Array<[string, string]> = [
      ['000000', '111111'],
      [at(0), at(0)],
      [at(0), at(-1)],
      [at(-1), at(1)],
      [at(-4), at(-3)],
      [at(3), at(4)],
    ];
    for (const [code1, code2] of attempts) {
      const error = await caught(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: code1, AuthenticationCode2: code2 })));
      expect(error.name).toBe('InvalidAuthenticationCodeException');
      expect(error.message).toBe('Authentication code for device is not valid.');
    }
    // A phone clock a minute off either way still works (±2 steps).
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: at(-2), AuthenticationCode2: at(-1) }));
  });

  it('EnableMFADevice → NoSuchEntity for an unknown user or device; a ValidationError for a malformed code', async () => {
    const { iam, serial } = await withUser();
    expect((await caught(iam.send(new EnableMFADeviceCommand({ UserName: 'ghost', SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '234567' })))).name).toBe('NoSuchEntityException');
    expect((await caught(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '234567' })))).name).toBe('NoSuchEntityException');
    expect((await caught(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '12345', AuthenticationCode2: '234567' })))).name).toBe('ValidationError');
  });

  it('DeleteVirtualMFADevice: an orphan (unassigned) goes; an assigned one → DeleteConflict; a missing one → NoSuchEntity', async () => {
    const { sandbox, iam, serial } = await withUser();
    await createSeed(iam);
    const orphans = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
    expect(orphans.VirtualMFADevices?.map((d) => d.SerialNumber)).toEqual([serial]);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    const missing = await caught(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })));
    expect(missing.name).toBe('NoSuchEntityException');

    const seed = await createSeed(iam);
    const now = sandbox.clock.now();
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: totp(seed, now), AuthenticationCode2: totp(seed, now + TOTP_STEP_MS) }));
    const conflict = await caught(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })));
    expect(conflict.name).toBe('DeleteConflictException');
    expect(conflict.message).toBe('MFA VirtualDevice in use. Must deactivate first.');
  });
});

async function createSeed(iam: ReturnType<typeof adminClients>['iam']): Promise<string> {
  const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }))).VirtualMFADevice!;
  return new TextDecoder().decode(device.Base32StringSeed);
}
