import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyPairCommand, DeleteKeyPairCommand, DescribeKeyPairsCommand, DescribeVpcsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { adminClients, bootstrapAccount, caught, clientsFor, frozenSandbox } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-ec2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fingerprint checks compare against OpenSSH and OpenSSL themselves; without them they are skipped. */
const hasTools = commandWorks('ssh-keygen') && commandWorks('openssl');
function commandWorks(command: string): boolean {
  try {
    execFileSync(command, ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { code?: string }).code !== 'ENOENT';
  }
}

/** A key made by OpenSSH itself, as a person would bring one. */
function sshKey(type: 'rsa' | 'ed25519', name: string): { privatePath: string; publicLine: string } {
  const privatePath = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048', '-m', 'PEM'] : []), '-N', '', '-C', name, '-f', privatePath]);
  return { privatePath, publicLine: readFileSync(`${privatePath}.pub`, 'utf8').trim() };
}

/** `openssl … | openssl <digest> -c` as the EC2 User Guide prints it, reduced to the fingerprint. */
function opensslDigest(args: string[], input: string | Buffer, digest: 'md5' | 'sha1'): string {
  const der = execFileSync('openssl', args, { input });
  return execFileSync('openssl', [digest, '-c'], { input: der }).toString().split('= ')[1]!.trim();
}

describe('EC2 DescribeVpcs', () => {
  it('shows one default VPC per region, the same on every call', async () => {
    const sandbox = frozenSandbox();
    const east = (await adminClients(sandbox, 'us-east-1').ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    expect(east).toHaveLength(1);
    expect(east[0]).toMatchObject({ IsDefault: true, CidrBlock: '172.31.0.0/16', State: 'available', OwnerId: sandbox.accountId });
    expect(east[0]?.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect((await adminClients(sandbox, 'us-east-1').ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId).toBe(east[0]?.VpcId);
    const west = (await adminClients(sandbox, 'eu-west-2').ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    expect(west[0]?.VpcId).not.toBe(east[0]?.VpcId);
  });

  it('filters, and fails as EC2 does for an unknown id or filter', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    expect((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs).toHaveLength(1);
    expect((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] }))).Vpcs).toEqual([]);
    const missing = await caught(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })));
    expect(missing.name).toBe('InvalidVpcID.NotFound');
    expect(classifyAwsError(missing)).toBe('not-found');
    expect((await caught(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('DryRun answers DryRunOperation once authorized', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    expect((await caught(ec2.send(new DescribeVpcsCommand({ DryRun: true })))).name).toBe('DryRunOperation');
  });

  it('UnauthorizedOperation for the new user’s own key, before it assumes the admin role (reference §3 step 14)', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const error = await caught(clientsFor(sandbox, b.alice).ec2.send(new DescribeVpcsCommand({})));
    expect(error.name).toBe('UnauthorizedOperation');
    expect(error.message).toMatch(/^You are not authorized to perform this operation\. User: arn:aws:iam::\d{12}:user\/alice is not authorized to perform: ec2:DescribeVpcs/);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
  });
});

describe('EC2 key pairs', () => {
  it('DescribeKeyPairs → InvalidKeyPair.NotFound for a name or id it does not know', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const missing = await caught(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] })));
    expect(missing.name).toBe('InvalidKeyPair.NotFound');
    expect(missing.message).toBe("The key pair 'admin' does not exist");
    expect((await caught(ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: ['key-0123456789abcdef0'] })))).name).toBe('InvalidKeyPair.NotFound');
  });

  it.skipIf(!hasTools)('ImportKeyPair, DescribeKeyPairs, ImportKeyPair again → InvalidKeyPair.Duplicate', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const { publicLine } = sshKey('rsa', 'import-a');
    const material = new TextEncoder().encode(publicLine);
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'admin', PublicKeyMaterial: material, TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'slipway:managed', Value: 'true' }] }] }));
    expect(imported).toMatchObject({ KeyName: 'admin', Tags: [{ Key: 'slipway:managed', Value: 'true' }] });
    expect(imported.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);

    const described = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'], IncludePublicKey: true }));
    expect(described.KeyPairs?.[0]).toMatchObject({ KeyName: 'admin', KeyType: 'rsa', KeyFingerprint: imported.KeyFingerprint, KeyPairId: imported.KeyPairId });
    expect(described.KeyPairs?.[0]?.PublicKey?.split(' ').slice(0, 2).join(' ')).toBe(publicLine.split(' ').slice(0, 2).join(' '));

    const duplicate = await caught(ec2.send(new ImportKeyPairCommand({ KeyName: 'admin', PublicKeyMaterial: material })));
    expect(duplicate.name).toBe('InvalidKeyPair.Duplicate');
    expect(classifyAwsError(duplicate)).toBe('already-exists');
  });

  it.skipIf(!hasTools)('fingerprints an imported RSA key as EC2 does: MD5 of the DER public key (openssl … | openssl md5 -c)', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const { privatePath, publicLine } = sshKey('rsa', 'import-b');
    const expected = opensslDigest(['pkey', '-in', privatePath, '-pubout', '-outform', 'DER'], '', 'md5');
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'admin', PublicKeyMaterial: new TextEncoder().encode(publicLine) }));
    expect(imported.KeyFingerprint).toBe(expected);
    expect(imported.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });

  it.skipIf(!hasTools)('fingerprints an imported ED25519 key as base64 SHA-256 (OpenSSH’s own fingerprint)', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const { privatePath, publicLine } = sshKey('ed25519', 'import-c');
    const openssh = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${privatePath}.pub`]).toString().split(' ')[1]!.replace(/^SHA256:/, '');
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'ed', PublicKeyMaterial: new TextEncoder().encode(publicLine) }));
    expect(imported.KeyFingerprint?.replace(/=+$/, '')).toBe(openssh);
    expect((await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ed'] }))).KeyPairs?.[0]?.KeyType).toBe('ed25519');
  });

  it('ImportKeyPair → InvalidKey.Format for something that is not a public key', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const error = await caught(ec2.send(new ImportKeyPairCommand({ KeyName: 'admin', PublicKeyMaterial: new TextEncoder().encode('ssh-rsa bm90IGEga2V5 me') })));
    expect(error.name).toBe('InvalidKey.Format');
    expect(error.message).toBe('Key is not in valid OpenSSH public key format');
  });

  it('CreateKeyPair returns a PEM private key once; its fingerprint is the SHA-1 of the PKCS#8 DER (openssl pkcs8 … | openssl sha1 -c)', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const created = await ec2.send(new CreateKeyPairCommand({ KeyName: 'admin' }));
    expect(created.KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(created.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    if (hasTools) expect(created.KeyFingerprint).toBe(opensslDigest(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], created.KeyMaterial!, 'sha1'));
    expect((await caught(ec2.send(new CreateKeyPairCommand({ KeyName: 'admin' })))).name).toBe('InvalidKeyPair.Duplicate');
    expect((await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] }))).KeyPairs?.[0]?.KeyFingerprint).toBe(created.KeyFingerprint);
  });

  it('key pairs are regional; DeleteKeyPair removes one and succeeds again for one that is gone', async () => {
    const sandbox = frozenSandbox();
    const east = adminClients(sandbox, 'us-east-1').ec2;
    const west = adminClients(sandbox, 'eu-west-1').ec2;
    await east.send(new CreateKeyPairCommand({ KeyName: 'admin' }));
    expect((await caught(west.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] })))).name).toBe('InvalidKeyPair.NotFound');
    expect((await west.send(new DescribeKeyPairsCommand({}))).KeyPairs).toEqual([]);
    expect((await east.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['admin'] }] }))).KeyPairs).toHaveLength(1);

    expect((await east.send(new DeleteKeyPairCommand({ KeyName: 'admin' }))).Return).toBe(true);
    expect((await east.send(new DeleteKeyPairCommand({ KeyName: 'admin' }))).Return).toBe(true);
    expect((await caught(east.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] })))).name).toBe('InvalidKeyPair.NotFound');
  });
});
