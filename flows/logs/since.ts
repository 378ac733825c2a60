/**
 * `--since`: how far back `slipway logs` starts — a duration back from now (`30s`, `10m`, `2h`, `1d`,
 * `1w`, as `aws logs tail` takes them) or a moment (ISO 8601; a time without a zone is UTC, so the same
 * words mean the same moment on every machine).
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d{1,9})([smhdw])$/;
const MOMENT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export const SINCE_EXAMPLES = '30s, 10m, 2h, 1d, 1w, or a time such as 2026-01-02T10:00:00Z';

/** The epoch-ms moment `text` names, counted back from `now`; undefined when it names none. */
export function parseSince(text: string, now: number): number | undefined {
  const value = text.trim();
  const duration = DURATION.exec(value);
  if (duration) {
    const at = now - Number(duration[1]) * UNIT_MS[duration[2]!]!;
    return at >= 0 ? at : undefined;
  }
  const moment = MOMENT.exec(value);
  if (!moment) return undefined;
  const iso = value.replace(' ', 'T');
  const at = Date.parse(moment[1] ? iso : iso.includes('T') ? `${iso}Z` : `${iso}T00:00:00Z`);
  return Number.isFinite(at) && at >= 0 ? at : undefined;
}

export function validateSince(text: string): string | undefined {
  return parseSince(text, Date.now()) === undefined ? `expected how long ago (${SINCE_EXAMPLES}).` : undefined;
}
