/**
 * Removes a secret from text docker printed, in every form docker could echo it: as typed,
 * URL-encoded, and inside the base64 `user:password` it stores as "auth" in config.json.
 */
export function redact(text: string, username: string, secret: string): string {
  if (!secret) return text;
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    Buffer.from(`${username}:${secret}`).toString('base64'),
  ]);
  let clean = text;
  // Longest first, so a shorter form never leaves part of a longer one behind.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    clean = clean.split(form).join('***');
  }
  return clean;
}
