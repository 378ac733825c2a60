/**
 * Validation of every name the bootstrap asks for, with IAM's own rules, so a typo is caught at the
 * prompt (a second chance) or as exit 2 — never as an AWS error halfway through.
 */
const IAM_NAME = /^[\w+=,.@-]+$/;

function iamName(kind: string, max: number) {
  return (value: string): string | undefined => {
    if (value.length === 0) return `A ${kind} name is needed.`;
    if (value.length > max) return `A ${kind} name has at most ${max} characters.`;
    if (!IAM_NAME.test(value)) return `A ${kind} name may use letters, digits and + = , . @ _ - only (no spaces).`;
    return undefined;
  };
}

export const validateUserName = iamName('user', 64);
export const validateRoleName = iamName('role', 64);
export const validateGroupName = iamName('group', 128);

/** Account aliases: 3–63 lowercase letters, digits and single hyphens, not starting or ending with one. */
export function validateAccountAlias(value: string): string | undefined {
  if (value === '') return undefined; // optional
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(value)) {
    return 'An account alias is 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.';
  }
  if (/^\d{12}$/.test(value)) return 'An account alias cannot be 12 digits (it would look like an account id).';
  return undefined;
}

/** Names that stay one token in ~/.aws files and on a command line. */
export function validateProfileName(value: string): string | undefined {
  if (value === '') return 'A profile name is needed.';
  if (value === 'default') return 'slipway never writes a [default] profile: tools that ignore AWS_PROFILE would then act as admin silently. Pick a name.';
  if (!/^[A-Za-z0-9_.@+=,-]+$/.test(value)) return 'A profile name may use letters, digits and _ . @ + = , - only (no spaces or brackets).';
  return value.length > 64 ? 'A profile name has at most 64 characters.' : undefined;
}

/** EC2 key pair names: up to 255 ASCII characters; kept to file-name-safe ones as they name ~/.ssh/<name>.pem. */
export function validateKeyPairName(value: string): string | undefined {
  if (value === '') return 'A key pair name is needed.';
  if (value.length > 255) return 'A key pair name has at most 255 characters.';
  if (!/^[A-Za-z0-9._-]+$/.test(value)) return 'A key pair name may use letters, digits and . _ - only (it names ~/.ssh/<name>.pem).';
  return undefined;
}
