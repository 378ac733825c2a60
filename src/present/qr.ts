/**
 * A QR code as text (Unicode half blocks), for the terminal. The two-module quiet zone (instead of
 * four; the UTF-8 renderer needs an even one) keeps an MFA code inside a 24-row terminal.
 */
export async function renderQr(data: string): Promise<string> {
  // qrcode is CommonJS: once bundled, a dynamic import exposes it as `default` only.
  const loaded = (await import('qrcode')) as typeof import('qrcode') & { default?: typeof import('qrcode') };
  const qrcode = loaded.default ?? loaded;
  return qrcode.toString(data, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
}
