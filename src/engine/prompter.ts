/**
 * The one way flows talk to a person. The ink TUI, the plain line mode and the non-interactive mode
 * each implement it; flows never know which one they got.
 */
export interface TextAsk {
  /** Names the answer, so a non-interactive prompter can say which flag supplies it. */
  id: string;
  flag?: string;
  message: string;
  default?: string;
  validate?(value: string): string | undefined;
  /**
   * What answering approves, one line each (a teardown's deletions, a protected rollout's changes):
   * shown with the question — the wizard gives it the screen and scrolls it. (Line mode needs nothing
   * more: the step logged the same lines just above its question.)
   */
  details?: { title: string; lines: string[] };
  /** The answer is an authenticator's code: the wizard counts down to the app's next one. */
  totp?: boolean;
}

export interface SelectAsk<T extends string = string> {
  id: string;
  flag?: string;
  message: string;
  choices: { value: T; label: string; hint?: string }[];
  default?: T;
}

export interface ConfirmAsk {
  id: string;
  flag?: string;
  message: string;
  default?: boolean;
}

export interface MfaAsk {
  /** The MFA device ARN, shown so the user picks the right authenticator entry. */
  serial: string;
  message?: string;
}

export interface QrShow {
  title: string;
  /** What the QR encodes, e.g. an otpauth:// URI. Shown once, never stored. */
  data: string;
  /** Text fallback for terminals that cannot show the code (e.g. the base32 seed). */
  fallback: string;
}

/** A secret a person must copy now (a one-time console password): shown once, then gone. */
export interface SecretShow {
  title: string;
  secret: string;
  note?: string;
}

export interface Prompter {
  readonly interactive: boolean;
  text(ask: TextAsk): Promise<string>;
  select<T extends string>(ask: SelectAsk<T>): Promise<T>;
  confirm(ask: ConfirmAsk): Promise<boolean>;
  /** Input is masked and the value is never echoed, journaled or logged. */
  secret(ask: TextAsk): Promise<string>;
  mfaCode(ask: MfaAsk): Promise<string>;
  showQr(show: QrShow): Promise<void>;
  /** Shows the secret until the person confirms they have it; it is never logged or journaled. */
  showSecret(show: SecretShow): Promise<void>;
}

/** Six digits, as every TOTP authenticator shows them. */
export function validateMfaCode(code: string): string | undefined {
  return /^\d{6}$/.test(code.trim()) ? undefined : 'An MFA code is the 6 digits your authenticator app shows.';
}

/** TOTP codes change every 30 s, on the same clock everywhere (RFC 6238: steps counted from the Unix epoch). */
export const TOTP_PERIOD_SECONDS = 30;

/** Seconds until authenticator apps show their next code. */
export function secondsToNextCode(now = Date.now()): number {
  return TOTP_PERIOD_SECONDS - (Math.floor(now / 1000) % TOTP_PERIOD_SECONDS);
}
