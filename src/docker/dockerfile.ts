import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../engine/errors.js';

/**
 * Reading a Dockerfile's stages, so slipway can find the test and release targets instead of
 * hard-coding names (the book's first revision called the test stage `build`). The rules follow
 * BuildKit's Dockerfile frontend: directives only at the very top, `escape` changes the continuation
 * character, comment lines vanish even inside a continuation, there are no inline comments, stage
 * names are case-insensitive, and heredoc bodies are text, never instructions.
 */

export interface DockerfileStage {
  /** Lowercased, as BuildKit stores it; undefined for `FROM image` without `AS`. */
  name?: string;
  /** 0-based; what `COPY --from=<n>` means. */
  index: number;
  /** 1-based line of the FROM. */
  line: number;
  /** The image (or earlier stage) as written, build args unexpanded. */
  base: string;
  /** `--platform=` as written, e.g. `$BUILDPLATFORM` or `linux/amd64`. */
  platform?: string;
  /** Index of the earlier stage `base` names, when it names one rather than an image. */
  fromStage?: number;
}

export interface ParsedStages {
  stages: DockerfileStage[];
  /** `line N: …`, one per problem; the stages found so far are still returned. */
  errors: string[];
}

interface Instruction {
  line: number;
  keyword: string;
  rest: string;
}

/** BuildKit's rule: a stage name starts with a letter and may not contain other symbols. */
const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;
const DIRECTIVE = /^#\s*([a-z][a-z0-9]*)\s*=\s*(.*?)\s*$/i;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const COMMENT = /^\s*#/;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC_WORD = /^\d*<<(-?)(["']?)([^<"'\s]+)\2$/;

export function parseStages(text: string): ParsedStages {
  const errors: string[] = [];
  const stages: DockerfileStage[] = [];
  const byName = new Map<string, DockerfileStage>();
  let seenFrom = false;

  for (const { line, keyword, rest } of instructions(text, errors)) {
    if (keyword !== 'FROM') {
      // Global ARGs (for FROM lines) are the one thing allowed above the first stage.
      if (!seenFrom && keyword !== 'ARG') errors.push(`line ${line}: ${keyword} comes before the first FROM (only ARG may).`);
      continue;
    }
    seenFrom = true;
    const stage = parseFrom(line, rest, stages.length, errors);
    if (!stage) continue;
    const earlier = byName.get(stage.base.toLowerCase());
    if (earlier) stage.fromStage = earlier.index;
    if (stage.name !== undefined) {
      const clash = byName.get(stage.name);
      if (clash) errors.push(`line ${line}: stage name "${stage.name}" is already used on line ${clash.line}.`);
      else byName.set(stage.name, stage);
    }
    stages.push(stage);
  }

  // A FROM naming a stage that is only defined further down is read by Docker as an image name.
  for (const stage of stages) {
    const later = byName.get(stage.base.toLowerCase());
    if (stage.fromStage === undefined && later && later.index > stage.index) {
      errors.push(`line ${stage.line}: FROM ${stage.base} names a stage defined below it (line ${later.line}); a stage can only build on stages above it.`);
    }
  }
  if (!seenFrom) errors.push('The Dockerfile has no FROM line.');
  return { stages, errors };
}

function parseFrom(line: number, rest: string, index: number, errors: string[]): DockerfileStage | undefined {
  const words = rest.split(/\s+/).filter(Boolean);
  let platform: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() ?? '';
    if (flag === '--') break;
    const match = /^--platform=(.*)$/i.exec(flag);
    if (!match) {
      errors.push(`line ${line}: FROM does not take ${flag.split('=')[0]} (only --platform=<os/arch>).`);
      return undefined;
    }
    if (!match[1]) {
      errors.push(`line ${line}: --platform needs a value, e.g. --platform=linux/amd64.`);
      return undefined;
    }
    platform = match[1];
  }
  const [base, as, name] = words;
  const shapeOk = words.length === 1 || (words.length === 3 && as?.toLowerCase() === 'as');
  if (!base || !shapeOk) {
    // Docker has no inline comments: "FROM alpine # base" is three words, hence this message.
    errors.push(`line ${line}: FROM takes an image and optionally "AS <name>" (got "${rest.trim()}").`);
    return undefined;
  }
  const stage: DockerfileStage = { index, line, base };
  if (platform !== undefined) stage.platform = platform;
  if (name !== undefined) {
    const lower = name.toLowerCase();
    if (!STAGE_NAME.test(lower)) {
      errors.push(`line ${line}: "${name}" cannot name a stage: it must start with a letter and use only letters, digits, . _ -.`);
      return undefined;
    }
    stage.name = lower;
  }
  return stage;
}

/** Logical instructions: directives read, comments dropped, continuations joined, heredocs skipped. */
function instructions(text: string, errors: string[]): Instruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  for (; i < lines.length; i++) {
    const directive = DIRECTIVE.exec(lines[i] ?? '');
    if (!directive) break;
    const key = (directive[1] ?? '').toLowerCase();
    // An unknown directive is a plain comment, and any comment ends the directives.
    if (!KNOWN_DIRECTIVES.has(key)) break;
    if (key !== 'escape') continue; // syntax=, check=: nothing for us to do
    const value = directive[2] ?? '';
    if (value === '\\' || value === '`') escape = value;
    else errors.push(`line ${i + 1}: escape must be \\ or \` (got "${value}").`);
  }

  const continued = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const result: Instruction[] = [];
  while (i < lines.length) {
    const first = lines[i] ?? '';
    i++;
    if (first.trim() === '' || COMMENT.test(first)) continue;
    const start = i;
    let joined = first.trimStart();
    while (continued.test(joined) && i < lines.length) {
      joined = joined.replace(continued, '');
      const next = lines[i] ?? '';
      i++;
      // BuildKit skips comment and empty lines inside a continuation.
      if (next.trim() === '' || COMMENT.test(next)) {
        joined += escape; // still continuing
        continue;
      }
      joined += next;
    }
    joined = joined.replace(continued, '');
    const match = /^(\S+)\s*([\s\S]*)$/.exec(joined);
    const keyword = (match?.[1] ?? '').toUpperCase();
    const rest = match?.[2] ?? '';
    result.push({ line: start, keyword, rest });
    if (HEREDOC_KEYWORDS.has(keyword)) i = skipHeredocs(lines, i, rest, start, errors);
  }
  return result;
}

function skipHeredocs(lines: string[], i: number, rest: string, line: number, errors: string[]): number {
  for (const word of rest.split(/\s+/)) {
    const heredoc = HEREDOC_WORD.exec(word);
    if (!heredoc) continue;
    const stripTabs = heredoc[1] === '-';
    const end = heredoc[3] ?? '';
    for (;;) {
      if (i >= lines.length) {
        errors.push(`line ${line}: heredoc <<${end} is never closed (no line "${end}").`);
        return i;
      }
      const body = lines[i] ?? '';
      i++;
      if ((stripTabs ? body.replace(/^\t+/, '') : body) === end) break;
    }
  }
  return i;
}

export interface TargetChoice {
  /** Stage to build and run as the test; undefined when the Dockerfile has none. */
  test?: string;
  /** Name of the release stage, or its index when it is the unnamed last stage (build without --target). */
  release: string | number;
}

/**
 * The test stage is the one named `test`, unless `testTarget` says otherwise; the release is the
 * last stage (Docker's own default) unless `target` names another. Empty strings mean "not given".
 */
export function chooseTargets(stages: readonly DockerfileStage[], opts: { testTarget?: string; target?: string } = {}): TargetChoice {
  const last = stages.at(-1);
  if (!last) {
    throw new UsageError('The Dockerfile has no build stage.', {
      why: 'There is no FROM line, so there is nothing to build.',
      fix: 'Start the Dockerfile with FROM <image>, e.g. FROM node:20-alpine AS test.',
    });
  }
  const release = opts.target ? findStage(stages, opts.target, '--target') : last;
  const choice: TargetChoice = { release: release.name ?? release.index };
  if (opts.testTarget) {
    choice.test = findStage(stages, opts.testTarget, '--test-target').name;
  } else {
    const test = stages.find((s) => s.name === 'test');
    // A lone `test` stage that is also the release has no separate test to run.
    if (test && test !== release) choice.test = 'test';
  }
  return choice;
}

function findStage(stages: readonly DockerfileStage[], wanted: string, flag: string): DockerfileStage {
  // Stage names are case-insensitive in BuildKit, and stored lowercased here.
  const stage = stages.find((s) => s.name !== undefined && s.name === wanted.toLowerCase());
  if (stage) return stage;
  const named = stages.flatMap((s) => (s.name === undefined ? [] : [s.name]));
  throw new UsageError(`The Dockerfile has no stage named "${wanted}".`, {
    why: `Its stages are: ${stages.map(describeStage).join(', ')}.`,
    fix: named.length
      ? `Pass ${flag} with one of: ${named.join(', ')}.`
      : `Name the stage in the Dockerfile (FROM <image> AS ${wanted.toLowerCase()}); docker can only target named stages.`,
  });
}

function describeStage(stage: DockerfileStage): string {
  return stage.name === undefined ? `#${stage.index} unnamed (line ${stage.line})` : `${stage.name} (line ${stage.line})`;
}

/** Folders that never hold the app's own Dockerfiles, and can be huge. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 6;

/**
 * `Dockerfile`, `Dockerfile.*` and `*.Dockerfile` under `dir`, as absolute paths, shallowest first
 * (so the project's own `Dockerfile` leads). `Dockerfile.dockerignore` is BuildKit's
 * per-Dockerfile ignore file, not a Dockerfile. Symlinked folders are not followed (no loops).
 */
export async function findDockerfiles(dir: string): Promise<string[]> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    throw new UsageError(`Cannot look for Dockerfiles in ${dir}.`, {
      why: error instanceof Error ? error.message : String(error),
      fix: 'Run slipway in the folder of the app (where its Dockerfile is).',
    });
  }
  const root = resolve(dir);
  const found: string[] = [];
  await walk(root, root, 0, found);
  return found.sort(byDepthThenName).map((path) => join(root, path));
}

async function walk(root: string, dir: string, depth: number, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []); // unreadable: skip it
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && depth < MAX_DEPTH) await walk(root, path, depth + 1, found);
    } else if (isDockerfileName(entry.name) && (entry.isFile() || (await isFile(path))) && (await hasFromInstruction(path))) {
      found.push(relative(root, path));
    }
  }
}

/**
 * Whether a file reads as a Dockerfile: a FROM instruction at the start of a line. A name alone is not
 * enough — `src/docker/dockerfile.ts` matches `Dockerfile.*` but is source code, and building it ends
 * in a wall of parse errors. The first 64 KiB are read (a FROM comes first, after comments and ARGs).
 */
async function hasFromInstruction(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(64 * 1024), position: 0 });
      return /^[ \t]*FROM[ \t]+\S/im.test(buffer.subarray(0, bytesRead).toString('utf8'));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith('.dockerignore')) return false;
  return lower === 'dockerfile' || (lower.startsWith('dockerfile.') && lower.length > 11) || (lower.endsWith('.dockerfile') && lower.length > 11);
}

function byDepthThenName(a: string, b: string): number {
  const depth = a.split(sep).length - b.split(sep).length;
  if (depth !== 0) return depth;
  const plain = (path: string) => Number(basename(path).toLowerCase() === 'dockerfile');
  // Code-point order, not localeCompare: the same list on every machine.
  return plain(b) - plain(a) || (a < b ? -1 : a > b ? 1 : 0);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Whether the build context has an ignore file. Without one, `.git`, `node_modules` and local
 * databases go into the context (and maybe the image: the book's release image shipped a SQLite DB).
 * BuildKit prefers `<Dockerfile>.dockerignore` beside the Dockerfile, so that counts too.
 */
export async function hasDockerignore(dir: string, dockerfile?: string): Promise<boolean> {
  if (dockerfile !== undefined && (await isFile(`${resolve(dir, dockerfile)}.dockerignore`))) return true;
  return isFile(join(dir, '.dockerignore'));
}
