import { unlinkSync } from 'node:fs';
import { SlipwayError, UsageError } from '../engine/errors.js';
import { awsConfigPath, awsCredentialsPath } from './aws-files.js';
import { backupPathOf, makePrivate, readExisting, writeBackup, writePrivateFile, writeTarget } from './backup.js';
import type { ExistingFile } from './backup.js';
import { countSections, readSection, upsertSection } from './ini-edit.js';
import { configSectionName } from './ini.js';

/**
 * Writes one profile into `~/.aws/credentials` and `~/.aws/config` (book §5): only that profile's lines
 * change, files are 0600 in a 0700 folder, the previous version is kept as `<file>.slipway-backup`,
 * and either both files get the new profile or neither does.
 */

export interface AwsProfileInput {
  profile: string;
  /** Long-term keys for `[profile]` in the credentials file. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Settings for `[profile <name>]` in the config file, merged with what is there. */
  config?: Record<string, string>;
}

export interface FileChange {
  /** The file written (a symlinked file is written through its link). */
  path: string;
  /** The content changed; false when the profile already read exactly so. */
  changed: boolean;
  created: boolean;
  /** Where the previous version was kept, when there was one and the content changed. */
  backupPath?: string;
  /** The file was readable by others and is now 0600. */
  modeFixed: boolean;
  /** Key names only, never values. */
  added: string[];
  updated: string[];
  removed: string[];
}

export interface WriteAwsProfileResult {
  credentials?: FileChange;
  config?: FileChange;
  /** Things a person should know that did not stop the write (a `[default]` profile, repeated sections). */
  warnings: string[];
}

export interface AwsProfileSummary {
  /** Never the secret itself: only whether one is there. */
  credentials?: { accessKeyId?: string; hasSecret: boolean };
  config?: Record<string, string>;
}

interface PlannedEdit {
  file: 'credentials' | 'config';
  section: string;
  path: string;
  before?: ExistingFile;
  beforeText: string;
  afterText: string;
}

export function writeAwsProfile(input: AwsProfileInput, env: NodeJS.ProcessEnv = process.env): WriteAwsProfileResult {
  const profile = checkProfileName(input.profile);
  if (profile === 'default') {
    throw new UsageError('slipway does not write a "default" AWS profile.', {
      why: 'Tools that ignore AWS_PROFILE would then quietly use these keys; a named profile makes every use explicit.',
      fix: 'Choose a profile name, e.g. the account name (--profile my-account).',
    });
  }
  if (input.credentials) checkCredentials(input.credentials);
  const plans = planEdits(profile, input, env);

  const result: WriteAwsProfileResult = { warnings: warningsFor(plans) };
  const done: { plan: PlannedEdit; change: FileChange }[] = [];
  for (const plan of plans) {
    try {
      const change = apply(plan);
      done.push({ plan, change });
      result[plan.file] = change;
    } catch (error) {
      throw rollBack(done, error);
    }
  }
  return result;
}

export function readAwsProfile(profile: string, env: NodeJS.ProcessEnv = process.env): AwsProfileSummary {
  const name = checkProfileName(profile);
  const keys = readSection(readText(writeTarget(awsCredentialsPath(env))), name);
  const config = readSection(readText(writeTarget(awsConfigPath(env))), configSectionName(name));
  const summary: AwsProfileSummary = {};
  if (keys) summary.credentials = { accessKeyId: keys.aws_access_key_id, hasSecret: Boolean(keys.aws_secret_access_key) };
  if (config) summary.config = config;
  return summary;
}

/**
 * The existing keys (lowercased names, never values) that writing `wanted` would overwrite with
 * another value or drop, so the flow can ask first. Keys that are only added are not conflicts. In
 * the credentials section every other key counts, since that section is replaced whole.
 */
export function profileConflicts(profile: string, wanted: Omit<AwsProfileInput, 'profile'>, env: NodeJS.ProcessEnv = process.env): string[] {
  const name = checkProfileName(profile);
  const conflicts: string[] = [];
  const compare = (existing: Record<string, string> | undefined, values: Record<string, string>, replace: boolean) => {
    const want = new Map(Object.entries(values).map(([key, value]) => [key.toLowerCase(), value]));
    for (const [key, value] of Object.entries(existing ?? {})) {
      if (want.has(key) ? want.get(key) !== value : replace) conflicts.push(key);
    }
  };
  if (wanted.credentials) compare(readSection(readText(writeTarget(awsCredentialsPath(env))), name), credentialValues(wanted.credentials), true);
  if (wanted.config) compare(readSection(readText(writeTarget(awsConfigPath(env))), configSectionName(name)), wanted.config, false);
  return conflicts;
}

/** Profile names slipway writes: also the characters the JS SDK accepts in `[profile <name>]`. */
export function checkProfileName(profile: string): string {
  if (!/^[A-Za-z0-9_.@+%:/-]+$/.test(profile) || profile === '__proto__') {
    throw new UsageError(`"${profile}" cannot be used as an AWS profile name.`, {
      why: 'A profile name must be non-empty and use only letters, digits and _ . - @ + % : / (no spaces, brackets, #, ; or =), or the AWS tools cannot read it back.',
      fix: 'Choose a name like the account name, e.g. my-account.',
    });
  }
  return profile;
}

function checkCredentials(credentials: { accessKeyId: string; secretAccessKey: string }): void {
  // Never echo the values: the secret must not reach a terminal or log, and an ID pasted into the
  // wrong field might be a secret.
  if (!/^\w{16,128}$/.test(credentials.accessKeyId)) {
    throw new UsageError('That access key ID does not look like one.', { why: 'Access key IDs are 16 to 128 letters and digits, like AKIA…' });
  }
  if (!/^\S+$/.test(credentials.secretAccessKey)) {
    throw new UsageError('That secret access key does not look like one.', { why: 'It must be one word without spaces or line breaks.' });
  }
}

function credentialValues(credentials: { accessKeyId: string; secretAccessKey: string }): Record<string, string> {
  return { aws_access_key_id: credentials.accessKeyId, aws_secret_access_key: credentials.secretAccessKey };
}

/** Everything is computed before anything is written, so a bad file stops the run with nothing changed. */
function planEdits(profile: string, input: AwsProfileInput, env: NodeJS.ProcessEnv): PlannedEdit[] {
  const plans: PlannedEdit[] = [];
  const plan = (file: PlannedEdit['file'], configured: string, section: string, values: Record<string, string>, replace: boolean) => {
    const path = writeTarget(configured);
    const before = readExisting(path);
    const beforeText = before ? decode(before.bytes, path) : '';
    plans.push({ file, section, path, before, beforeText, afterText: upsertSection(beforeText, section, values, { replace }) });
  };
  // The credentials section is replaced whole: a stale aws_session_token next to new long-term keys
  // would make every call fail with InvalidClientTokenId.
  if (input.credentials) plan('credentials', awsCredentialsPath(env), profile, credentialValues(input.credentials), true);
  if (input.config) plan('config', awsConfigPath(env), configSectionName(profile), input.config, false);
  return plans;
}

function apply(plan: PlannedEdit): FileChange {
  const { path, before, beforeText, afterText, section } = plan;
  const change: FileChange = { path, changed: !before || beforeText !== afterText, created: !before, modeFixed: false, ...keyChanges(beforeText, afterText, section) };
  if (!change.changed) {
    change.modeFixed = makePrivate(path, before!.mode);
    return change;
  }
  if (before) change.backupPath = writeBackup(path, before.bytes);
  writePrivateFile(path, afterText);
  change.modeFixed = Boolean(before && before.mode !== 0o600);
  return change;
}

/** Puts back the files already written, so a failure never leaves half a profile. */
function rollBack(done: { plan: PlannedEdit; change: FileChange }[], error: unknown): unknown {
  const failed: string[] = [];
  for (const { plan, change } of done.reverse()) {
    if (!change.changed) continue;
    try {
      if (plan.before) writePrivateFile(plan.path, plan.before.bytes);
      else unlinkSync(plan.path);
    } catch {
      failed.push(plan.before ? `${plan.path} (its previous version is in ${backupPathOf(plan.path)})` : plan.path);
    }
  }
  if (failed.length === 0 || !(error instanceof SlipwayError)) return error;
  return new SlipwayError(error.message, {
    why: `${error.why ?? ''} Undoing the other half of the change failed too: ${failed.join(', ')}.`.trim(),
    fix: error.fix,
    cause: error,
  });
}

function keyChanges(beforeText: string, afterText: string, section: string): Pick<FileChange, 'added' | 'updated' | 'removed'> {
  const before = readSection(beforeText, section) ?? {};
  const after = readSection(afterText, section) ?? {};
  return {
    added: Object.keys(after).filter((key) => !(key in before)),
    updated: Object.keys(after).filter((key) => key in before && before[key] !== after[key]),
    removed: Object.keys(before).filter((key) => !(key in after)),
  };
}

function warningsFor(plans: PlannedEdit[]): string[] {
  const warnings: string[] = [];
  for (const { path, beforeText, section } of plans) {
    if (countSections(beforeText, 'default') > 0) {
      warnings.push(`${path} has a [default] profile: tools run without AWS_PROFILE will use it instead of this one.`);
    }
    if (beforeText.startsWith('\uFEFF')) {
      // Kept, since we change only our lines; but botocore does not skip it and then finds no first section.
      warnings.push(`${path} starts with a UTF-8 byte-order mark, which makes the AWS CLI refuse it ("Unable to parse config file"). Remove it with: sed -i '1s/^\\xEF\\xBB\\xBF//' ${path}`);
    }
    if (countSections(beforeText, section) > 1) {
      warnings.push(`${path} has [${section}] more than once: the AWS CLI refuses such a file ("Unable to parse config file"). Merge them by hand.`);
    }
  }
  return warnings;
}

function readText(path: string): string {
  const existing = readExisting(path);
  return existing ? decode(existing.bytes, path) : '';
}

/** Refuses to edit bytes that are not UTF-8: decoding would replace them and the rewrite would corrupt them. */
function decode(bytes: Buffer, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new SlipwayError(`${path} is not UTF-8 text, so slipway will not edit it.`, {
      why: 'Rewriting it would damage the characters that are not UTF-8.',
      fix: `Open ${path} in an editor, save it as UTF-8, and run this again.`,
    });
  }
}
