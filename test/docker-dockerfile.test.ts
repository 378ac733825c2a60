import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseTargets, findDockerfiles, hasDockerignore, isDockerfileName, parseStages } from '../src/docker/dockerfile.js';
import { UsageError } from '../src/engine/errors.js';

const BOOK = `FROM alpine AS test
LABEL application=todobackend
RUN apk add --no-cache bash git gcc python3-dev libffi-dev musl-dev linux-headers mariadb-dev
COPY /src /app
CMD ["python3", "manage.py", "test", "--noinput", "--settings=todobackend.settings_test"]

FROM alpine
LABEL application=todobackend
COPY --from=test --chown=app:app /build /build
USER app
`;

describe('parseStages', () => {
  it("reads the book's two stages: a named test stage and an unnamed release", () => {
    expect(parseStages(BOOK)).toEqual({
      stages: [
        { name: 'test', index: 0, line: 1, base: 'alpine' },
        { index: 1, line: 7, base: 'alpine' },
      ],
      errors: [],
    });
  });

  it('agrees with the test fixture used by the Docker integration tests', () => {
    const text = readFileSync(new URL('./fixtures/scratch-image/Dockerfile', import.meta.url), 'utf8');
    const { stages, errors } = parseStages(text);
    expect(errors).toEqual([]);
    expect(stages.map((s) => [s.name, s.line, s.base])).toEqual([
      ['test', 3, 'scratch'],
      ['release', 7, 'scratch'],
    ]);
  });

  it('is case-insensitive for FROM and AS, and lowercases stage names like BuildKit', () => {
    const { stages, errors } = parseStages('from Node:20 as Build\nFrom build As Release\n');
    expect(errors).toEqual([]);
    expect(stages).toEqual([
      { name: 'build', index: 0, line: 1, base: 'Node:20' },
      { name: 'release', index: 1, line: 2, base: 'build', fromStage: 0 },
    ]);
  });

  it('reads --platform, including build-time platform args', () => {
    const { stages } = parseStages('FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM --platform=linux/amd64 gcr.io/distroless/static\n');
    expect(stages.map((s) => s.platform)).toEqual(['$BUILDPLATFORM', 'linux/amd64']);
    expect(stages[1]?.base).toBe('gcr.io/distroless/static');
  });

  it('allows ARG before the first FROM and keeps build args in the base unexpanded', () => {
    const text = '# syntax=docker/dockerfile:1\nARG NODE_VERSION=20\nARG BASE=node\nFROM ${BASE}:${NODE_VERSION}-alpine AS test\n';
    expect(parseStages(text)).toEqual({ stages: [{ name: 'test', index: 0, line: 4, base: '${BASE}:${NODE_VERSION}-alpine' }], errors: [] });
  });

  it('joins line continuations, skipping comments and blank lines inside them, and keeps the first line number', () => {
    const text = ['# a comment', '', 'FROM \\', '  # a comment inside the continuation', '', '  --platform=linux/arm64 \\', '  alpine:3.20 \\  ', '  AS   base', 'RUN echo \\', 'FROM not-a-stage', ''].join('\n');
    const { stages, errors } = parseStages(text);
    expect(errors).toEqual([]);
    expect(stages).toEqual([{ name: 'base', index: 0, line: 3, base: 'alpine:3.20', platform: 'linux/arm64' }]);
  });

  it('honours the escape directive (Windows Dockerfiles use a backtick)', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore `\n  AS build\nRUN dir c:\\\nFROM build\n';
    const { stages, errors } = parseStages(text);
    expect(errors).toEqual([]);
    expect(stages.map((s) => [s.name, s.line, s.base])).toEqual([
      ['build', 2, 'mcr.microsoft.com/windows/servercore'],
      [undefined, 5, 'build'],
    ]);
  });

  it('reads directives only at the very top', () => {
    // After a plain comment, "# escape=`" is just a comment, so the backslash still continues lines.
    const text = '# hello\n# escape=`\nFROM alpine \\\n  AS one\n';
    expect(parseStages(text).stages).toEqual([{ name: 'one', index: 0, line: 3, base: 'alpine' }]);
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    expect(parseStages('\uFEFFFROM alpine AS test\r\nFROM alpine\r\n').stages.map((s) => s.name)).toEqual(['test', undefined]);
  });

  it('does not read FROM lines inside heredocs', () => {
    const text = ['FROM alpine AS test', 'RUN <<EOF', 'FROM inside-heredoc', 'EOF', 'COPY <<-"END" /etc/x', '\tFROM also-inside', '\tEND', 'FROM alpine AS release', ''].join('\n');
    const { stages, errors } = parseStages(text);
    expect(errors).toEqual([]);
    expect(stages.map((s) => s.name)).toEqual(['test', 'release']);
  });

  it('reports problems with their line numbers', () => {
    const text = [
      'RUN echo too early',
      'FROM',
      'FROM alpine # no inline comments in Dockerfiles',
      'FROM alpine AS 1bad',
      'FROM --pull=always alpine',
      'FROM --platform= alpine',
      'FROM alpine AS dup',
      'FROM alpine AS DUP',
      'FROM later AS early',
      'FROM alpine AS later',
      '',
    ].join('\n');
    const { stages, errors } = parseStages(text);
    expect(errors).toEqual([
      'line 1: RUN comes before the first FROM (only ARG may).',
      'line 2: FROM takes an image and optionally "AS <name>" (got "").',
      'line 3: FROM takes an image and optionally "AS <name>" (got "alpine # no inline comments in Dockerfiles").',
      'line 4: "1bad" cannot name a stage: it must start with a letter and use only letters, digits, . _ -.',
      'line 5: FROM does not take --pull (only --platform=<os/arch>).',
      'line 6: --platform needs a value, e.g. --platform=linux/amd64.',
      'line 8: stage name "dup" is already used on line 7.',
      'line 9: FROM later names a stage defined below it (line 10); a stage can only build on stages above it.',
    ]);
    expect(stages.map((s) => s.name)).toEqual(['dup', 'dup', 'early', 'later']);
  });

  it('lets a stage share the name of its base image', () => {
    expect(parseStages('FROM golang AS golang\nFROM golang\n')).toEqual({
      stages: [
        { name: 'golang', index: 0, line: 1, base: 'golang' },
        { index: 1, line: 2, base: 'golang', fromStage: 0 },
      ],
      errors: [],
    });
  });

  it('reports a Dockerfile without FROM, and an unclosed heredoc', () => {
    expect(parseStages('# only a comment\n').errors).toEqual(['The Dockerfile has no FROM line.']);
    expect(parseStages('').errors).toEqual(['The Dockerfile has no FROM line.']);
    expect(parseStages('FROM alpine\nRUN <<EOF\necho hi\n').errors).toEqual(['line 2: heredoc <<EOF is never closed (no line "EOF").']);
  });
});

describe('chooseTargets', () => {
  const book = parseStages(BOOK).stages;
  const named = parseStages('FROM a AS deps\nFROM deps AS test\nFROM a AS release\nFROM a AS debug\n').stages;

  it('test = the stage named test; release = the last stage (by index when unnamed: no --target needed)', () => {
    expect(chooseTargets(book)).toEqual({ test: 'test', release: 1 });
    expect(chooseTargets(named)).toEqual({ test: 'test', release: 'debug' });
  });

  it('follows --target and --test-target, case-insensitively; empty strings mean "not given"', () => {
    expect(chooseTargets(named, { target: 'Release', testTarget: 'deps' })).toEqual({ test: 'deps', release: 'release' });
    expect(chooseTargets(named, { target: '', testTarget: '' })).toEqual({ test: 'test', release: 'debug' });
  });

  it('has no test stage when there is none, or when the only test stage is the release', () => {
    expect(chooseTargets(parseStages('FROM a AS build\nFROM a\n').stages)).toEqual({ release: 1 });
    expect(chooseTargets(parseStages('FROM a AS test\n').stages)).toEqual({ release: 'test' });
  });

  it('refuses an unknown stage name with a list of the stages', () => {
    let error: unknown;
    try {
      chooseTargets(book, { target: 'prod' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({
      message: 'The Dockerfile has no stage named "prod".',
      why: 'Its stages are: test (line 1), #1 unnamed (line 7).',
      fix: 'Pass --target with one of: test.',
    });
    expect(() => chooseTargets(named, { testTarget: 'unit' })).toThrow(/no stage named "unit"/);
    expect(() => chooseTargets(parseStages('FROM a\n').stages, { target: 'x' })).toThrow(UsageError);
  });

  it('refuses a Dockerfile without stages', () => {
    expect(() => chooseTargets([])).toThrow(/no build stage/);
  });
});

describe('finding Dockerfiles', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const project = (files: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-dockerfiles-'));
    dirs.push(dir);
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), 'FROM scratch\n');
    }
    return dir;
  };

  it('knows the names', () => {
    for (const yes of ['Dockerfile', 'dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'prod.dockerfile']) expect(isDockerfileName(yes), yes).toBe(true);
    for (const no of ['Dockerfile.dockerignore', '.dockerignore', 'Dockerfile.', '.Dockerfile', 'Dockerfiles', 'MyDockerfile', 'docker-compose.yml']) expect(isDockerfileName(no), no).toBe(false);
  });

  it('finds them in the project, shallowest and plain Dockerfile first, skipping node_modules and .git', async () => {
    const dir = project([
      'services/api/Dockerfile',
      'Dockerfile.prod',
      'Dockerfile',
      'dev.Dockerfile',
      'Dockerfile.dockerignore',
      'node_modules/some-lib/Dockerfile',
      '.git/Dockerfile',
      'README.md',
    ]);
    mkdirSync(join(dir, 'folder.Dockerfile')); // a folder with a Dockerfile-like name is not a file
    symlinkSync(dir, join(dir, 'loop')); // not followed
    const expected = ['Dockerfile', 'Dockerfile.prod', 'dev.Dockerfile', join('services', 'api', 'Dockerfile')];
    expect(await findDockerfiles(dir)).toEqual(expected.map((f) => join(dir, f)));
  });

  it('a file named like one but without a FROM instruction is not offered (src/docker/dockerfile.ts, an empty Dockerfile.old)', async () => {
    const dir = project(['Dockerfile']);
    mkdirSync(join(dir, 'src', 'docker'), { recursive: true });
    writeFileSync(join(dir, 'src', 'docker', 'dockerfile.ts'), "import { open } from 'node:fs/promises';\n// FROM a comment is not an instruction\nexport const x = 1;\n");
    writeFileSync(join(dir, 'Dockerfile.old'), '');
    writeFileSync(join(dir, 'api.Dockerfile'), '# syntax=docker/dockerfile:1\nARG BASE=alpine\n  from ${BASE}\n');
    expect(await findDockerfiles(dir)).toEqual([join(dir, 'Dockerfile'), join(dir, 'api.Dockerfile')]);
  });

  it('returns nothing for a project without one, and refuses a missing folder', async () => {
    expect(await findDockerfiles(project(['src/index.ts']))).toEqual([]);
    await expect(findDockerfiles(join(tmpdir(), 'slipway-no-such-folder'))).rejects.toBeInstanceOf(UsageError);
  });

  it('sees .dockerignore, or BuildKit’s <Dockerfile>.dockerignore', async () => {
    const plain = project(['Dockerfile', '.dockerignore']);
    expect(await hasDockerignore(plain)).toBe(true);
    const none = project(['Dockerfile']);
    expect(await hasDockerignore(none)).toBe(false);
    const specific = project(['docker/api.Dockerfile', 'docker/api.Dockerfile.dockerignore']);
    expect(await hasDockerignore(specific, 'docker/api.Dockerfile')).toBe(true);
    expect(await hasDockerignore(specific)).toBe(false);
  });
});
