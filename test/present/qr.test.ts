import jsqrModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrLayout } from '../../screens/prompts/prompt-area.js';
import { qrSize, renderQr, segmentsOf } from '../../src/present/qr.js';

/**
 * The terminal QR code read back by a real decoder (jsQR): the half-block text is turned into pixels
 * (▀ top module dark, ▄ bottom, █ both, space neither; on screen the terminal's background is the
 * light), scaled up, and decoded.
 */
function decode(rendered: string): string | undefined {
  const lines = rendered.replace(/\n+$/, '').split('\n').map((line) => [...line]);
  const width = Math.max(...lines.map((l) => l.length));
  const height = lines.length * 2;
  const scale = 4;
  const pixels = new Uint8ClampedArray(width * scale * height * scale * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = lines[Math.floor(y / 2)]?.[x] ?? ' ';
      const top = y % 2 === 0;
      const dark = cell === '█' || (top ? cell === '▀' : cell === '▄');
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const at = ((y * scale + dy) * width * scale + (x * scale + dx)) * 4;
          pixels.fill(dark ? 0 : 255, at, at + 3);
          pixels[at + 3] = 255;
        }
      }
    }
  }
  // Read as drawn (blocks dark on a light background), without trying the inverse.
  return jsQR(pixels, width * scale, height * scale, { inversionAttempts: 'dontInvert' })?.data;
}

// jsqr is CommonJS with a declared default export: TypeScript sees the module object, Node the function.
const jsQR = ((jsqrModule as { default?: unknown }).default ?? jsqrModule) as typeof jsqrModule.default;

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'; // 64 characters, as AWS gives

describe('the MFA QR code', () => {
  it.each([
    ['a short name: whole at 80×24 without the header', 'carol@123456789012', 'compact'],
    ['a long user and alias: too tall for 80×24, the key on one line instead', 'firstname.lastname-admin@my-company-production-account', 'enlarge'],
  ] as const)('decodes to the exact otpauth URI (%s); the full panel at 120×40', async (_name, label, at80x24) => {
    const uri = `otpauth://totp/AWS:${encodeURIComponent(label)}?secret=${SEED}&issuer=AWS`;
    const rendered = await renderQr(uri);
    expect(decode(rendered)).toBe(uri);
    expect(qrLayout(rendered, 24, 80)).toBe(at80x24);
    expect(qrLayout(rendered, 40, 120)).toBe('full');
    if (at80x24 === 'compact') expect(qrSize(rendered).rows + 3).toBeLessThanOrEqual(24);
  });

  it('puts the seed in an alphanumeric segment and the rest in bytes', () => {
    const segments = segmentsOf(`otpauth://totp/AWS:carol?secret=${SEED}&issuer=AWS`);
    expect(segments.map((s) => s.mode)).toEqual(['byte', 'alphanumeric', 'byte']);
    expect(segments[1]?.data).toBe(SEED);
    expect(segmentsOf('plain text').map((s) => s.mode)).toEqual(['byte']);
  });
});
