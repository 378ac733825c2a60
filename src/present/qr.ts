/**
 * A QR code as text (Unicode half blocks), for the terminal. The two-module quiet zone (instead of
 * four; the UTF-8 renderer needs an even one) keeps an MFA code inside a 24-row terminal.
 */
export async function renderQr(data: string): Promise<string> {
  // qrcode is CommonJS: once bundled, a dynamic import exposes it as `default` only.
  const loaded = (await import('qrcode')) as typeof import('qrcode') & { default?: typeof import('qrcode') };
  const qrcode = loaded.default ?? loaded;
  return qrcode.toString(segmentsOf(data), { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
}

/** QR's alphanumeric set: 5.5 bits a character instead of byte mode's 8. A base32 MFA seed is all in it. */
const ALPHANUMERIC_RUN = /[0-9A-Z $%*+\-./:]{24,}/g;

/**
 * The data as QR segments: long runs of the alphanumeric set (an MFA seed: 64 characters) in
 * alphanumeric mode, the rest in byte mode. A standard mixed-mode code, decoded to the same text by
 * every reader; it is a version smaller for a long user or alias name, so it still fits 80×24.
 */
type Segment = { data: Uint8Array; mode: 'byte' } | { data: string; mode: 'alphanumeric' };

export function segmentsOf(data: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const run of data.matchAll(ALPHANUMERIC_RUN)) {
    if (run.index > at) segments.push({ data: Buffer.from(data.slice(at, run.index), 'utf8'), mode: 'byte' });
    segments.push({ data: run[0], mode: 'alphanumeric' });
    at = run.index + run[0].length;
  }
  if (at < data.length) segments.push({ data: Buffer.from(data.slice(at), 'utf8'), mode: 'byte' });
  return segments;
}

/** The rows and columns a rendered code takes. */
export function qrSize(rendered: string): { rows: number; columns: number } {
  const lines = rendered.replace(/\n+$/, '').split('\n');
  return { rows: lines.length, columns: Math.max(...lines.map((line) => [...line].length)) };
}
