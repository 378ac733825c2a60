/** A 1×1 transparent PNG, for when no QR encoder can be loaded: the seed is in the response anyway. */
const PLACEHOLDER_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
);

/** The otpauth URI AWS encodes in `QRCodePNG`: issuer, `<device name>@<alias or account id>`, seed. */
export function otpauthUri(deviceName: string, account: string, seedBase32: string): string {
  const issuer = encodeURIComponent('Amazon Web Services');
  return `otpauth://totp/${issuer}:${encodeURIComponent(deviceName)}@${encodeURIComponent(account)}?secret=${seedBase32}&issuer=${issuer}`;
}

/** A real, scannable QR code PNG, so the sandbox shows what an authenticator app would scan. */
export async function qrPng(text: string): Promise<Uint8Array> {
  try {
    const { toBuffer } = await import('qrcode');
    return Uint8Array.from(await toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2 }));
  } catch {
    return PLACEHOLDER_PNG;
  }
}
