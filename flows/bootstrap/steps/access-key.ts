import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, UpdateAccessKeyCommand, type AccessKeyMetadata } from '@aws-sdk/client-iam';
import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { readAwsProfile, writeAwsProfile } from '../../../src/local/aws-profile-files.js';
import type { BootstrapContext } from '../context.js';

const MAX_KEYS = 2;

/**
 * The user's access key, written straight into ~/.aws/credentials (0600): the secret exists only in
 * CreateAccessKey's answer and in that file. A profile that already holds an active key of this user
 * keeps it. A key made by an interrupted run whose secret never reached the file is useless: deleted.
 */
export const accessKey: Step<BootstrapContext> = {
  id: 'access-key',
  title: 'Access key in ~/.aws/credentials',
  plan: (c) => `iam:CreateAccessKey for ${c.names.userName} → [${c.names.profileName}] in ~/.aws/credentials`,
  async probe(c) {
    const held = readAwsProfile(c.names.profileName, c.runtime.env).credentials;
    if (!held?.hasSecret) return undefined;
    const keys = await listKeys(c);
    const mine = keys.find((k) => k.AccessKeyId === held.accessKeyId && k.Status === 'Active');
    return mine ? { accessKeyId: held.accessKeyId } : undefined;
  },
  async apply(c) {
    const iam = await c.iam();
    const held = readAwsProfile(c.names.profileName, c.runtime.env).credentials;
    let keys = await listKeys(c);
    if (held?.accessKeyId && !keys.some((k) => k.AccessKeyId === held.accessKeyId)) await confirmReplacing(c, held.accessKeyId);
    keys = await deleteOrphans(c, keys, held?.accessKeyId);
    if (keys.length >= MAX_KEYS) keys = await makeRoom(c, keys);

    const created = (await iam.send(new CreateAccessKeyCommand({ UserName: c.names.userName }), { abortSignal: c.signal })).AccessKey;
    if (!created?.AccessKeyId || !created.SecretAccessKey) throw new Error('iam:CreateAccessKey returned no key.');
    writeAwsProfile({ profile: c.names.profileName, credentials: { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey } }, c.runtime.env);
    return { accessKeyId: created.AccessKeyId };
  },
};

async function listKeys(c: BootstrapContext): Promise<AccessKeyMetadata[]> {
  return (await (await c.iam()).send(new ListAccessKeysCommand({ UserName: c.names.userName }), { abortSignal: c.signal })).AccessKeyMetadata ?? [];
}

/** Keys created after this step's recorded intent and not in the profile: their secret was lost in a crash. */
async function deleteOrphans(c: BootstrapContext, keys: AccessKeyMetadata[], heldKeyId: string | undefined): Promise<AccessKeyMetadata[]> {
  const since = c.journaled?.status === 'intent' && c.journaled.intentAt ? Date.parse(c.journaled.intentAt) : undefined;
  if (since === undefined) return keys;
  const iam = await c.iam();
  const kept: AccessKeyMetadata[] = [];
  for (const key of keys) {
    const orphan = key.AccessKeyId !== heldKeyId && (key.CreateDate?.getTime() ?? 0) >= since - 1000;
    if (!orphan) {
      kept.push(key);
      continue;
    }
    c.report.log(`Deleting ${key.AccessKeyId}: an interrupted run created it but its secret never reached ~/.aws/credentials.`);
    await iam.send(new DeleteAccessKeyCommand({ UserName: c.names.userName, AccessKeyId: key.AccessKeyId }), { abortSignal: c.signal });
  }
  return kept;
}

/** IAM allows two keys per user: the person picks one to deactivate and delete. */
async function makeRoom(c: BootstrapContext, keys: AccessKeyMetadata[]): Promise<AccessKeyMetadata[]> {
  if (!c.prompter.interactive) {
    throw new UsageError(`${c.names.userName} already has ${MAX_KEYS} access keys, the most IAM allows.`, {
      fix: `Delete one (aws iam delete-access-key --user-name ${c.names.userName} --access-key-id <id>) or run bootstrap in a terminal to choose.`,
    });
  }
  const choice = await c.prompter.select({
    id: 'key-to-delete',
    message: `${c.names.userName} already has ${MAX_KEYS} access keys. Which one should be deactivated and deleted?`,
    choices: [
      ...keys.map((k) => ({ value: k.AccessKeyId ?? '', label: `${k.AccessKeyId} · ${k.Status} · created ${k.CreateDate?.toISOString().slice(0, 10) ?? '?'}` })),
      { value: 'stop', label: 'Neither: stop here' },
    ],
  });
  if (choice === 'stop') throw new UsageError('Stopped: no access key slot is free.', { fix: 'Delete a key yourself, then run again.' });
  const iam = await c.iam();
  await iam.send(new UpdateAccessKeyCommand({ UserName: c.names.userName, AccessKeyId: choice, Status: 'Inactive' }), { abortSignal: c.signal });
  await iam.send(new DeleteAccessKeyCommand({ UserName: c.names.userName, AccessKeyId: choice }), { abortSignal: c.signal });
  return keys.filter((k) => k.AccessKeyId !== choice);
}

/** The profile holds a key that is not this user's: someone else's credentials, not to be lost silently. */
async function confirmReplacing(c: BootstrapContext, heldKeyId: string): Promise<void> {
  const message = `[${c.names.profileName}] in ~/.aws/credentials holds another key (…${heldKeyId.slice(-4)}), not one of ${c.names.userName}'s. Replace it?`;
  const ok = c.prompter.interactive && (await c.prompter.confirm({ id: 'replace-credentials', message, default: false }));
  if (!ok) throw new UsageError(`The profile ${c.names.profileName} already holds other credentials.`, { fix: 'Choose another --profile-name, or confirm the replacement in a terminal (a backup is kept).' });
}
