/**
 * Pure parser for `docker push` output. Two shapes reach it:
 *
 * - stdout is a pipe (how slipway runs docker): one plain line per state change, and no byte
 *   counts at all, because docker drops every progress-bar message when not on a terminal:
 *     The push refers to repository [127.0.0.1:5000/app]
 *     d03bd1c2fcc1: Preparing
 *     d03bd1c2fcc1: Pushed            (or "Layer already exists", "Mounted from other/repo")
 *     1: digest: sha256:<64 hex> size: 736
 * - stdout is a terminal: the same messages redrawn in place with cursor moves (ESC[1A, ESC[2K) and
 *   carriage returns, plus "Pushing [==>   ]  2.29MB/30MB" (the bar is left out when the terminal
 *   is narrower than 110 columns; the last update has no total: "Pushing [===>]  30MB").
 */

export type LayerStatus = 'preparing' | 'waiting' | 'pushing' | 'pushed' | 'exists' | 'mounted';

export interface LayerProgress {
  /** Short layer id as docker prints it (12 hex digits). */
  layer: string;
  status: LayerStatus;
  /** Bytes sent so far; only in terminal output. */
  current?: number;
  /** Layer size in bytes; only in terminal output. */
  total?: number;
  /** The repository a mounted layer came from, or docker's retry notice. */
  detail?: string;
}

export interface PushedManifest {
  tag: string;
  digest: string;
  /** Manifest size in bytes. */
  size: number;
}

export type PushLine =
  | { kind: 'layer'; progress: LayerProgress }
  | { kind: 'digest'; manifest: PushedManifest };

const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/g;
const DIGEST_LINE = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: (\d+)\s*$/;
// Status words decide, not the id's shape, so ids like "manifest-sha256:…" also parse.
const LAYER_LINE =
  /^(\S+?): (Preparing|Waiting|Pushing|Pushed|Layer already exists|Mounted from \S+|Retrying in \d+ seconds?)(.*)$/;
const BYTES = String.raw`(\d+(?:\.\d+)?)\s*([kKMGTP]i?B|B)`;
const PUSHING_DETAIL = new RegExp(String.raw`^\s*(?:\[[=> ]*\])?\s*${BYTES}(?:\s*/\s*${BYTES})?`);

/**
 * Parses one output line. A terminal "line" can hold many redraws, so this returns every
 * message found in it, in order.
 */
export function parsePushLine(line: string): PushLine[] {
  const parsed: PushLine[] = [];
  for (const segment of line.replace(ANSI_ESCAPE, '\r').split('\r')) {
    const message = parseSegment(segment.trim());
    if (message) parsed.push(message);
  }
  return parsed;
}

function parseSegment(text: string): PushLine | undefined {
  const digest = DIGEST_LINE.exec(text);
  if (digest) {
    const [, tag = '', sha = '', size = '0'] = digest;
    return { kind: 'digest', manifest: { tag, digest: sha, size: Number(size) } };
  }
  const layer = LAYER_LINE.exec(text);
  if (!layer) return undefined;
  const [, id = '', word = '', rest = ''] = layer;
  if (word === 'Preparing') return layerLine(id, 'preparing');
  if (word === 'Waiting') return layerLine(id, 'waiting');
  if (word === 'Pushed') return layerLine(id, 'pushed');
  if (word === 'Layer already exists') return layerLine(id, 'exists');
  if (word.startsWith('Mounted from ')) {
    return layerLine(id, 'mounted', { detail: word.slice('Mounted from '.length) });
  }
  // Docker retries a failed layer upload itself; to a viewer the layer is waiting again.
  if (word.startsWith('Retrying')) return layerLine(id, 'waiting', { detail: word });
  return layerLine(id, 'pushing', pushingBytes(rest));
}

function layerLine(layer: string, status: LayerStatus, extra: Partial<LayerProgress> = {}): PushLine {
  return { kind: 'layer', progress: { layer, status, ...extra } };
}

function pushingBytes(rest: string): Partial<LayerProgress> {
  const match = PUSHING_DETAIL.exec(rest);
  if (!match) return {};
  const [, currentNumber, currentUnit, totalNumber, totalUnit] = match;
  const current = toBytes(currentNumber, currentUnit);
  const total = toBytes(totalNumber, totalUnit);
  return {
    ...(current === undefined ? {} : { current }),
    ...(total === undefined ? {} : { total }),
  };
}

const UNIT_BYTES: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
};

/**
 * "328.2kB" → 328200. Docker prints decimal units (units.HumanSize: kB = 1000) with four
 * significant digits, so the result is approximate; binary units are accepted too.
 */
export function parseByteSize(text: string): number | undefined {
  const match = new RegExp(String.raw`^\s*${BYTES}\s*$`).exec(text);
  return match ? toBytes(match[1], match[2]) : undefined;
}

function toBytes(number: string | undefined, unit: string | undefined): number | undefined {
  if (number === undefined || unit === undefined) return undefined;
  const factor = UNIT_BYTES[unit];
  return factor === undefined ? undefined : Math.round(Number(number) * factor);
}
