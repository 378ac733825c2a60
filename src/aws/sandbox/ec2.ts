import {
  EC2ServiceException,
  type CreateKeyPairRequest,
  type KeyPair,
  type DeleteKeyPairRequest,
  type DeleteKeyPairResult,
  type DescribeKeyPairsRequest,
  type DescribeKeyPairsResult,
  type DescribeVpcsRequest,
  type DescribeVpcsResult,
  type Filter,
  type ImportKeyPairRequest,
  type ImportKeyPairResult,
  type TagSpecification,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { fault, SandboxFault, SandboxUnsupportedError, toSdkError, type ExceptionTable } from './errors.js';
import { stableEc2Id } from './ids.js';
import { op, type CallContext, type Operation, type Out, type ServiceFake } from './operation.js';
import { createRsaKeyPair, importedKeyInfo, type PublicKeyInfo } from './ssh-keys.js';
import type { Ec2KeyPair, Tag } from './state.js';

/** EC2's model names no errors: every code arrives as an EC2ServiceException named by the code. */
const exceptions: ExceptionTable = { base: EC2ServiceException, modeled: {}, senderType: false };

/** EC2 words credential failures its own way. */
const AUTH_FAULTS: Record<string, () => SandboxFault> = {
  InvalidClientTokenId: () => fault('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
  SignatureDoesNotMatch: () => fault('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
  ExpiredToken: () => fault('RequestExpired', 'Request has expired.', 400),
};

const notFound = (name: string) => fault('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`, 400);
const invalidFilter = (name: string | undefined) => fault('InvalidParameterValue', `The filter '${name}' is invalid`, 400);

function keyPairsIn(ctx: CallContext): Record<string, Ec2KeyPair> {
  return (ctx.state.ec2.keyPairs[ctx.region] ??= {});
}

function tagsFor(specs: TagSpecification[] | undefined, resourceType: string): Tag[] {
  return (specs ?? []).filter((s) => s.ResourceType === resourceType).flatMap((s) => (s.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })));
}

/** Handles DryRun as EC2 does: authorization happened already, so it "would have succeeded". */
function ec2op<I extends { DryRun?: boolean }, O>(run: (input: I, ctx: CallContext) => O): Operation {
  return op<I, O>({
    run: (input, ctx) => {
      if (input.DryRun) throw fault('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
      return run(input, ctx);
    },
  });
}

function addKeyPair(ctx: CallContext, name: string | undefined, info: PublicKeyInfo, specs: TagSpecification[] | undefined): Ec2KeyPair {
  if (!name) throw fault('MissingParameter', "The request must contain the parameter KeyName", 400);
  const pairs = keyPairsIn(ctx);
  if (pairs[name]) throw fault('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`, 400);
  const pair: Ec2KeyPair = { name, id: ctx.ids.ec2Id('key'), fingerprint: info.fingerprint, type: info.type, createdAt: ctx.now, publicKey: `${info.openssh} ${name}`, tags: tagsFor(specs, 'key-pair') };
  pairs[name] = pair;
  return pair;
}

function keyPairMatches(pair: Ec2KeyPair, filter: Filter): boolean {
  const values = filter.Values ?? [];
  const name = filter.Name ?? '';
  if (name === 'key-name') return values.includes(pair.name);
  if (name === 'key-pair-id') return values.includes(pair.id);
  if (name === 'fingerprint') return values.includes(pair.fingerprint);
  if (name === 'key-type') return values.includes(pair.type);
  if (name === 'tag-key') return pair.tags.some((t) => values.includes(t.Key));
  if (name.startsWith('tag:')) return pair.tags.some((t) => t.Key === name.slice(4) && values.includes(t.Value));
  throw invalidFilter(name);
}

/** Every region has a default VPC with the same shape as a new account's: 172.31.0.0/16. */
function defaultVpc(ctx: CallContext): Vpc {
  const { accountId } = ctx.state;
  return {
    VpcId: stableEc2Id('vpc', accountId, ctx.region),
    OwnerId: accountId,
    CidrBlock: '172.31.0.0/16',
    CidrBlockAssociationSet: [{ AssociationId: stableEc2Id('vpc-cidr-assoc', accountId, ctx.region), CidrBlock: '172.31.0.0/16', CidrBlockState: { State: 'associated' } }],
    DhcpOptionsId: stableEc2Id('dopt', accountId, ctx.region),
    State: 'available',
    InstanceTenancy: 'default',
    IsDefault: true,
    Tags: [],
  };
}

function vpcMatches(vpc: Vpc, filter: Filter): boolean {
  const values = filter.Values ?? [];
  switch (filter.Name) {
    case 'is-default':
    case 'isDefault':
      return values.includes(String(vpc.IsDefault));
    case 'vpc-id':
      return values.includes(vpc.VpcId ?? '');
    case 'state':
      return values.includes(vpc.State ?? '');
    case 'cidr':
    case 'cidr-block-association.cidr-block':
      return values.includes(vpc.CidrBlock ?? '');
    case 'owner-id':
      return values.includes(vpc.OwnerId ?? '');
    default:
      throw invalidFilter(filter.Name);
  }
}

export const ec2Fake: ServiceFake = {
  prefix: 'ec2',
  serviceId: 'EC2',
  operations: {
    DescribeKeyPairs: ec2op<DescribeKeyPairsRequest, Out<DescribeKeyPairsResult>>((input, ctx) => {
      const pairs = keyPairsIn(ctx);
      for (const name of input.KeyNames ?? []) if (!pairs[name]) throw notFound(name);
      for (const id of input.KeyPairIds ?? []) {
        if (!Object.values(pairs).some((p) => p.id === id)) throw fault('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`, 400);
      }
      const selected = Object.values(pairs).filter(
        (p) =>
          (!input.KeyNames?.length || input.KeyNames.includes(p.name)) &&
          (!input.KeyPairIds?.length || input.KeyPairIds.includes(p.id)) &&
          (input.Filters ?? []).every((f) => keyPairMatches(p, f)),
      );
      return {
        KeyPairs: selected.map((p) => ({
          KeyPairId: p.id,
          KeyFingerprint: p.fingerprint,
          KeyName: p.name,
          KeyType: p.type,
          Tags: p.tags.map((t) => ({ ...t })),
          CreateTime: new Date(p.createdAt),
          PublicKey: input.IncludePublicKey ? p.publicKey : undefined,
        })),
      };
    }),

    ImportKeyPair: ec2op<ImportKeyPairRequest, Out<ImportKeyPairResult>>((input, ctx) => {
      const material = input.PublicKeyMaterial;
      const text = typeof material === 'string' ? material : new TextDecoder().decode(material ?? new Uint8Array());
      const pair = addKeyPair(ctx, input.KeyName, importedKeyInfo(text), input.TagSpecifications);
      return { KeyFingerprint: pair.fingerprint, KeyName: pair.name, KeyPairId: pair.id, Tags: pair.tags.map((t) => ({ ...t })) };
    }),

    CreateKeyPair: ec2op<CreateKeyPairRequest, KeyPair>((input, ctx) => {
      if ((input.KeyType ?? 'rsa') !== 'rsa' || (input.KeyFormat ?? 'pem') !== 'pem') {
        throw new SandboxUnsupportedError('the sandbox does not simulate EC2 CreateKeyPair for ED25519 keys or PPK format yet (RSA/PEM only)');
      }
      if (input.KeyName && keyPairsIn(ctx)[input.KeyName]) throw fault('InvalidKeyPair.Duplicate', `The keypair '${input.KeyName}' already exists.`, 400);
      const made = createRsaKeyPair();
      const pair = addKeyPair(ctx, input.KeyName, made.info, input.TagSpecifications);
      return { KeyFingerprint: pair.fingerprint, KeyMaterial: made.privateKeyPem, KeyName: pair.name, KeyPairId: pair.id, Tags: pair.tags.map((t) => ({ ...t })) };
    }),

    // Deleting a key pair that does not exist succeeds, as in EC2.
    DeleteKeyPair: ec2op<DeleteKeyPairRequest, Out<DeleteKeyPairResult>>((input, ctx) => {
      const pairs = keyPairsIn(ctx);
      const pair = Object.values(pairs).find((p) => p.name === input.KeyName || p.id === input.KeyPairId);
      if (pair) delete pairs[pair.name];
      return { Return: true, KeyPairId: pair?.id };
    }),

    DescribeVpcs: ec2op<DescribeVpcsRequest, Out<DescribeVpcsResult>>((input, ctx) => {
      const vpcs = [defaultVpc(ctx)];
      for (const id of input.VpcIds ?? []) if (!vpcs.some((v) => v.VpcId === id)) throw fault('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`, 400);
      const selected = vpcs.filter((v) => (!input.VpcIds?.length || input.VpcIds.includes(v.VpcId ?? '')) && (input.Filters ?? []).every((f) => vpcMatches(v, f)));
      return { Vpcs: selected };
    }),
  },
  toError: (f, requestId) => toSdkError(AUTH_FAULTS[f.code]?.() ?? f, exceptions, requestId),
  denied: (message) => fault('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403),
};
