/**
 * Docker's tag grammar (kept apart from git-version.ts so project settings check it without loading
 * execa on the first frame); `:` is the usual culprit (CI build ids such as `project:uuid`).
 */
export function validateVersionTag(tag: string): string | undefined {
  if (tag === '') return 'A tag is needed.';
  if (tag.length > 128) return `A tag has at most 128 characters (this one has ${tag.length}).`;
  if (!/^[A-Za-z0-9_]/.test(tag)) return 'A tag starts with a letter, digit or _ (not . or -).';
  const bad = [...new Set(tag.replace(/[A-Za-z0-9_.-]/g, ''))];
  if (bad.length > 0) return `A tag may use letters, digits, _ . - only (not ${bad.map((ch) => JSON.stringify(ch)).join(' ')}).`;
  return undefined;
}
