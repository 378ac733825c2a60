import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import {
  projectSettingsPath,
  readProjectSettings,
  repositoryName,
  validateAppName,
  validateNamespace,
  writeProjectSettings,
} from '../../src/local/project-settings.js';
import type { ProjectSettings } from '../../src/local/project-settings.js';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-project-'));
  made.push(dir);
  return dir;
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SETTINGS: ProjectSettings = {
  version: 1,
  app: 'todobackend',
  ecr: { namespace: 'docker-in-aws', keepImages: 30 },
  lastPublished: { uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-in-aws/todobackend', tag: 'abc1234', digest: DIGEST, at: '2024-05-01T12:00:00.000Z' },
};

/** Writes raw text where the settings file goes. */
function put(dir: string, text: string): void {
  mkdirSync(join(dir, 'slipway'), { recursive: true });
  writeFileSync(projectSettingsPath(dir), text);
}

function readError(dir: string): UsageError {
  try {
    readProjectSettings(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected readProjectSettings to throw');
}

describe('project settings file', () => {
  it('is absent until written', () => {
    expect(readProjectSettings(project())).toBeUndefined();
    expect(readProjectSettings(join(tmpdir(), 'slipway-no-such-project'))).toBeUndefined();
  });

  it('round-trips, as pretty JSON with a final newline in slipway/project.json, mode 0644', () => {
    const dir = project();
    writeProjectSettings(dir, SETTINGS);
    const path = join(dir, 'slipway', 'project.json');
    expect(projectSettingsPath(dir)).toBe(path);
    expect(readProjectSettings(dir)).toEqual(SETTINGS);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(`${JSON.stringify(SETTINGS, null, 2)}\n`);
    const umask = process.umask();
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~umask);
    expect(statSync(join(dir, 'slipway')).mode & 0o777).toBe(0o755 & ~umask);
    expect(readdirSync(join(dir, 'slipway'))).toEqual(['project.json']); // no temp file left
  });

  it('writes keys in a stable order whatever order they came in, and keeps keys it does not know', () => {
    const dir = project();
    const shuffled = {
      future: { x: 1 },
      lastPublished: { at: SETTINGS.lastPublished?.at, digest: DIGEST, tag: 'abc1234', uri: SETTINGS.lastPublished?.uri },
      ecr: { keepImages: 30, namespace: 'docker-in-aws' },
      app: 'todobackend',
      version: 1,
    } as unknown as ProjectSettings;
    writeProjectSettings(dir, shuffled);
    const text = readFileSync(projectSettingsPath(dir), 'utf8');
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['version', 'app', 'ecr', 'lastPublished', 'future']);
    expect(text).toContain('"ecr": {\n    "namespace": "docker-in-aws",\n    "keepImages": 30\n  }');
    expect(readProjectSettings(dir)).toMatchObject({ ...SETTINGS, future: { x: 1 } });
  });

  it('lastPublished is optional, and is replaced on the next write', () => {
    const dir = project();
    const { lastPublished: _, ...withoutLast } = SETTINGS;
    writeProjectSettings(dir, withoutLast);
    expect(readProjectSettings(dir)).toEqual(withoutLast);
    writeProjectSettings(dir, { ...withoutLast, lastPublished: { ...SETTINGS.lastPublished!, tag: 'def5678-dirty' } });
    expect(readProjectSettings(dir)?.lastPublished?.tag).toBe('def5678-dirty');
  });

  it('refuses to write invalid settings, leaving the file as it was', () => {
    const dir = project();
    writeProjectSettings(dir, SETTINGS);
    expect(() => writeProjectSettings(dir, { ...SETTINGS, ecr: { namespace: 'docker-in-aws', keepImages: 0 } })).toThrow(UsageError);
    expect(readProjectSettings(dir)).toEqual(SETTINGS);
  });

  it('names the file and the position when it is not JSON', () => {
    const dir = project();
    put(dir, '{\n  "version": 1,\n  "app": "x",,\n}\n');
    const error = readError(dir);
    expect(error.message).toBe(`${projectSettingsPath(dir)} is not valid JSON.`);
    expect(error.why).toMatch(/line 3/);
    expect(error.fix).toMatch(/slipway publish/);
    put(dir, '');
    expect(readError(dir).message).toMatch(/not valid JSON/);
  });

  it('names every broken key', () => {
    const dir = project();
    put(dir, JSON.stringify({ version: 1, app: 'Todo Backend', ecr: { namespace: 'acme/', keepImages: 5000 }, lastPublished: { uri: 'x', tag: 'a:b', digest: 'sha256:abc', at: 'yesterday' } }));
    const error = readError(dir);
    expect(error.message).toBe(`${projectSettingsPath(dir)} is not valid.`);
    for (const key of ['"app"', '"ecr.namespace"', '"ecr.keepImages"', '"lastPublished.tag"', '"lastPublished.digest"', '"lastPublished.at"']) expect(error.why).toContain(key);
    expect(error.why).not.toContain('lastPublished.uri');
  });

  it('explains a missing or wrong shape', () => {
    const dir = project();
    put(dir, '[]');
    expect(readError(dir).why).toMatch(/JSON object/);
    put(dir, JSON.stringify({ app: 'x' }));
    const why = readError(dir).why ?? '';
    expect(why).toContain('"version" must be 1');
    expect(why).toContain('"ecr" must be an object');
    put(dir, JSON.stringify({ ...SETTINGS, ecr: { namespace: 'a', keepImages: '30' } }));
    expect(readError(dir).why).toContain('"ecr.keepImages"');
  });

  it('says when a newer slipway wrote it', () => {
    const dir = project();
    put(dir, JSON.stringify({ ...SETTINGS, version: 2 }));
    const error = readError(dir);
    expect(error.message).toMatch(/newer slipway/);
    expect(error.fix).toMatch(/Update slipway/);
  });
});

describe('repository name', () => {
  const named = (app: string, namespace: string): ProjectSettings => ({ version: 1, app, ecr: { namespace, keepImages: 30 } });

  it('is <namespace>/<app>', () => {
    expect(repositoryName(SETTINGS)).toBe('docker-in-aws/todobackend');
    expect(repositoryName(named('api', 'acme/payments'))).toBe('acme/payments/api');
    expect(repositoryName(named('a', 'b'))).toBe('b/a');
  });

  it('refuses names ECR would refuse, before any AWS call', () => {
    expect(() => repositoryName(named('Todo', 'x'))).toThrow(UsageError);
    expect(() => repositoryName(named('todo', 'x//y'))).toThrow(/cannot be an ECR repository name/);
    let error: unknown;
    try {
      repositoryName(named('a'.repeat(200), 'n'.repeat(60)));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ why: expect.stringMatching(/is 261 characters; ECR allows 256/) });
    expect(repositoryName(named('a'.repeat(200), 'n'.repeat(55)))).toHaveLength(256);
  });
});

describe('name validation for prompts', () => {
  it('app names: one ECR path component', () => {
    for (const ok of ['todobackend', 'my-app', 'my_app', 'app.v2', 'a', '9lives']) expect(validateAppName(ok), ok).toBeUndefined();
    expect(validateAppName('')).toMatch(/needed/);
    expect(validateAppName('acme/app')).toMatch(/no "\/"/);
    for (const bad of ['App', 'my app', '-app', 'app-', 'a--b', 'a._b', 'ü']) expect(validateAppName(bad), bad).toMatch(/lowercase/);
  });

  it('namespaces: one or more components', () => {
    for (const ok of ['docker-in-aws', 'acme/payments', 'a/b/c']) expect(validateNamespace(ok), ok).toBeUndefined();
    expect(validateNamespace('')).toMatch(/needed/);
    for (const bad of ['/acme', 'acme/', 'a//b', 'Acme', 'ac me']) expect(validateNamespace(bad), bad).toMatch(/lowercase/);
  });
});
