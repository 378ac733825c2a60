import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateKeepImages } from '../../recipes/ecr/lifecycle.js';
import { writeFileAtomic } from '../engine/atomic-write.js';
import { UsageError } from '../engine/errors.js';
import { readJsonFileIfPresent } from './json-file.js';
import { validateVersionTag } from './version-tag.js';

/**
 * `slipway/project.json` in the app's folder: what publish asked once (names, how many images to
 * keep) and what it last published (by digest, for rollout). It is committed with the code, like the
 * book's environment files, so a teammate or CI publishes to the same repository without asking.
 */
export interface ProjectSettings {
  version: 1;
  app: string;
  ecr: { namespace: string; keepImages: number };
  lastPublished?: LastPublished;
}

export interface LastPublished {
  /** Repository URI, without tag or digest. */
  uri: string;
  tag: string;
  digest: string;
  /** ISO 8601. */
  at: string;
}

export const PROJECT_SETTINGS_FILE = join('slipway', 'project.json');

export function projectSettingsPath(dir: string): string {
  return join(dir, PROJECT_SETTINGS_FILE);
}

/** undefined when the project has no settings file yet; a UsageError naming the problem when it is broken. */
export function readProjectSettings(dir: string): ProjectSettings | undefined {
  const path = projectSettingsPath(dir);
  const value = readJsonFileIfPresent(path, FIX_BY_HAND);
  if (value === undefined) return undefined;
  if (isObject(value) && typeof value.version === 'number' && value.version > 1) {
    throw new UsageError(`${path} was written by a newer slipway.`, {
      why: `It is settings version ${value.version}; this slipway reads version 1.`,
      fix: 'Update slipway (npm install -g slipway@latest), then run this again.',
    });
  }
  const problems = settingsProblems(value);
  if (problems.length > 0) throw new UsageError(`${path} is not valid.`, { why: `${problems.join('; ')}.`, fix: FIX_BY_HAND });
  return value as ProjectSettings;
}

const FIX_BY_HAND = 'Correct it by hand (it is meant to be committed with the code), or delete it and run `slipway publish` to answer the questions again.';

/**
 * Atomic, pretty, with a final newline and a stable key order, so commits show small diffs. Mode
 * 0644 (not the journal's 0600): it holds no secret and belongs to the repository. Keys this version
 * does not know are kept, after the known ones.
 */
export function writeProjectSettings(dir: string, settings: ProjectSettings): void {
  const problems = settingsProblems(settings);
  if (problems.length > 0) {
    throw new UsageError(`Refusing to write invalid settings to ${projectSettingsPath(dir)}.`, { why: `${problems.join('; ')}.` });
  }
  const { version, app, ecr, lastPublished, ...rest } = settings;
  const ordered = {
    version,
    app,
    ecr: { namespace: ecr.namespace, keepImages: ecr.keepImages },
    ...(lastPublished === undefined ? {} : { lastPublished: { uri: lastPublished.uri, tag: lastPublished.tag, digest: lastPublished.digest, at: lastPublished.at } }),
    ...rest,
  };
  // Made here first: writeFileAtomic would create it 0700, which suits journals, not a project folder.
  mkdirSync(join(dir, 'slipway'), { recursive: true, mode: 0o755 });
  writeFileAtomic(projectSettingsPath(dir), `${JSON.stringify(ordered, null, 2)}\n`, 0o644);
}

/** ECR: lowercase alphanumerics separated by single `.`, `_` or `-`; `/` between path components. */
const COMPONENT = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_MAX = 256;

/** `<namespace>/<app>`, the ECR repository (the book's `docker-in-aws/todobackend`). */
export function repositoryName(settings: ProjectSettings): string {
  const name = `${settings.ecr.namespace}/${settings.app}`;
  const problem = validateAppName(settings.app) ?? validateNamespace(settings.ecr.namespace) ?? (name.length > REPOSITORY_MAX ? `"${name}" is ${name.length} characters; ECR allows ${REPOSITORY_MAX}.` : undefined);
  // Belt and braces: the two checks above should imply ECR's own pattern.
  if (problem ?? !REPOSITORY_NAME.test(name)) {
    throw new UsageError(`"${name}" cannot be an ECR repository name.`, {
      why: problem ?? 'ECR names are lowercase letters and digits, separated by single . _ - or /.',
      fix: 'Pass --app and --namespace with names like todobackend and docker-in-aws.',
    });
  }
  return name;
}

/** For the prompt: a message, or undefined when the name is usable. */
export function validateAppName(value: string): string | undefined {
  if (value === '') return 'An application name is needed.';
  if (value.includes('/')) return 'An application name has no "/" (the namespace is the part before it).';
  if (!COMPONENT.test(value)) return 'An application name is lowercase letters and digits, with single . _ - between them (ECR’s rule), e.g. todobackend.';
  if (value.length > REPOSITORY_MAX - 2) return `An application name has at most ${REPOSITORY_MAX - 2} characters.`;
  return undefined;
}

/** For the prompt. A namespace may have several levels (`acme/payments`), as ECR allows. */
export function validateNamespace(value: string): string | undefined {
  if (value === '') return 'A namespace is needed (the repository is <namespace>/<app>).';
  if (!value.split('/').every((part) => COMPONENT.test(part))) {
    return 'A namespace is lowercase letters and digits, with single . _ - between them and / between levels (ECR’s rule), e.g. docker-in-aws.';
  }
  if (value.length > REPOSITORY_MAX - 2) return `A namespace has at most ${REPOSITORY_MAX - 2} characters.`;
  return undefined;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Every problem, each naming its key, so one edit fixes them all. */
function settingsProblems(value: unknown): string[] {
  if (!isObject(value)) return ['it must hold a JSON object ({ … })'];
  const problems: string[] = [];
  if (value.version !== 1) problems.push('"version" must be 1');
  const check = (key: string, message: string | undefined) => {
    if (message) problems.push(`"${key}": ${message}`);
  };
  check('app', typeof value.app === 'string' ? validateAppName(value.app) : 'must be a string');
  if (!isObject(value.ecr)) {
    problems.push('"ecr" must be an object with "namespace" and "keepImages"');
  } else {
    check('ecr.namespace', typeof value.ecr.namespace === 'string' ? validateNamespace(value.ecr.namespace) : 'must be a string');
    check('ecr.keepImages', validateKeepImages(value.ecr.keepImages));
  }
  if (value.lastPublished !== undefined) {
    const last = value.lastPublished;
    if (!isObject(last)) {
      problems.push('"lastPublished" must be an object with "uri", "tag", "digest" and "at"');
    } else {
      check('lastPublished.uri', typeof last.uri === 'string' && /^[^\s@]+$/.test(last.uri) ? undefined : 'must be the repository URI, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app');
      check('lastPublished.tag', typeof last.tag === 'string' ? validateVersionTag(last.tag) : 'must be a string');
      check('lastPublished.digest', typeof last.digest === 'string' && DIGEST.test(last.digest) ? undefined : 'must be sha256: followed by 64 lowercase hex digits');
      check('lastPublished.at', typeof last.at === 'string' && ISO_TIME.test(last.at) && !Number.isNaN(Date.parse(last.at)) ? undefined : 'must be an ISO 8601 time, e.g. 2024-05-01T12:00:00.000Z');
    }
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
