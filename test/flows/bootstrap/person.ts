import { totp } from '../../../src/aws/sandbox/totp.js';
import type { ConfirmAsk, MfaAsk, Prompter, QrShow, SecretShow, SelectAsk, TextAsk } from '../../../src/engine/prompter.js';

/**
 * A scripted newcomer for the bootstrap: answers questions by id (or takes the default), scans the QR
 * code (reads the seed from the otpauth URI) and types codes from it, as an authenticator app would.
 */
export class Person implements Prompter {
  readonly interactive = true;
  seed?: string;
  password?: string;
  asked: string[] = [];
  /** MFA codes are single-use: each new code comes from a later 30-second step. */
  private step = 0;

  constructor(
    private readonly answers: Record<string, string | boolean> = {},
    private readonly now: () => number = Date.now,
  ) {}

  async text(ask: TextAsk): Promise<string> {
    this.asked.push(ask.id);
    if (ask.id === 'mfa-code-1') return this.code(-1);
    if (ask.id === 'mfa-code-2') return this.code(0);
    const answer = this.answers[ask.id] ?? ask.default;
    if (answer === undefined) throw new Error(`Person was asked "${ask.message}" (${ask.id}) and has no answer`);
    return String(answer);
  }
  async secret(ask: TextAsk): Promise<string> {
    return this.text(ask);
  }
  async select<T extends string>(ask: SelectAsk<T>): Promise<T> {
    this.asked.push(ask.id);
    const answer = this.answers[ask.id];
    if (answer === undefined) throw new Error(`Person was asked to choose "${ask.message}" (${ask.id})`);
    return String(answer) as T;
  }
  async confirm(ask: ConfirmAsk): Promise<boolean> {
    this.asked.push(ask.id);
    const answer = this.answers[ask.id] ?? ask.default;
    if (answer === undefined) throw new Error(`Person was asked to confirm "${ask.message}" (${ask.id})`);
    return Boolean(answer);
  }
  async mfaCode(ask: MfaAsk): Promise<string> {
    this.asked.push(`mfa:${ask.serial}`);
    this.step++;
    return this.code(this.step);
  }
  async showQr(show: QrShow): Promise<void> {
    this.asked.push('qr');
    const seed = /[?&]secret=([A-Z2-7]+)/.exec(show.data)?.[1];
    if (!seed) throw new Error(`no seed in ${show.data}`);
    if (show.fallback.replace(/\s/g, '') !== seed) throw new Error('the text fallback is not the seed');
    this.seed = seed;
    this.step = 0;
  }
  async showSecret(show: SecretShow): Promise<void> {
    this.asked.push('secret');
    this.password = show.secret;
  }

  private code(offsetSteps: number): string {
    if (!this.seed) throw new Error('asked for an MFA code before the QR code was shown');
    return totp(this.seed, this.now() + offsetSteps * 30_000);
  }
}
