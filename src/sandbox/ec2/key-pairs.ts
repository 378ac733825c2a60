import type {
  CreateKeyPairRequest,
  DeleteKeyPairRequest,
  DeleteKeyPairResult,
  DescribeKeyPairsRequest,
  DescribeKeyPairsResult,
  Filter,
  ImportKeyPairRequest,
  ImportKeyPairResult,
  KeyPair,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import { fault, SandboxUnsupportedError } from '../errors.js';
import type { CallContext, Operation, Out } from '../operation.js';
import { createRsaKeyPair, importedKeyInfo, type PublicKeyInfo } from '../ssh-keys.js';
import type { Ec2KeyPair } from '../state.js';
import { ec2op, invalidFilter, tagsFor } from './common.js';

const notFound = (name: string) => fault('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`, 400);

export function keyPairsIn(ctx: CallContext): Record<string, Ec2KeyPair> {
  return (ctx.state.ec2.keyPairs[ctx.region] ??= {});
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

export const keyPairOperations: Record<string, Operation> = {
  DescribeKeyPairs: ec2op<DescribeKeyPairsRequest, Out<DescribeKeyPairsResult>>((input, ctx) => {
    // Read-only: look, never create the region's entry.
    const pairs = ctx.state.ec2.keyPairs[ctx.region] ?? {};
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
};
