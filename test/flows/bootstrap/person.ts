import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { totpAtStep, totpStep } from '../../../src/sandbox/totp.js';
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
  /** MFA codes are single-use: the last time step whose code was typed. */
  private lastStep = -Infinity;

  /**
   * `phone`: a file standing for the authenticator app, so a person resuming in a new process still
   * has the seed they scanned (and knows which codes they already typed).
   */
  constructor(
    public answers: Record<string, string | boolean> = {},
    private readonly now: () => number = Date.now,
    private readonly phone?: string,
  ) {
    if (phone && existsSync(phone)) {
      const saved = JSON.parse(readFileSync(phone, 'utf8')) as { seed: string; lastStep: number };
      this.seed = saved.seed;
      this.lastStep = saved.lastStep;
    }
  }

  async text(ask: TextAsk): Promise<string> {
    this.asked.push(ask.id);
    if (ask.id === 'mfa-code-1' || ask.id === 'mfa-code-2') return this.nextCode();
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
    return this.nextCode();
  }
  async showQr(show: QrShow): Promise<void> {
    this.asked.push('qr');
    const seed = /[?&]secret=([A-Z2-7]+)/.exec(show.data)?.[1];
    if (!seed) throw new Error(`no seed in ${show.data}`);
    if (show.fallback.replace(/\s/g, '') !== seed) throw new Error('the text fallback is not the seed');
    this.seed = seed;
    this.lastStep = -Infinity;
    this.save();
  }
  async showSecret(show: SecretShow): Promise<void> {
    this.asked.push('secret');
    this.password = show.secret;
  }

  /** The next code the app shows that was not typed yet: from one step back (clock skew) onwards. */
  private nextCode(): string {
    if (!this.seed) throw new Error('asked for an MFA code before the QR code was shown');
    this.lastStep = Math.max(totpStep(this.now()) - 1, this.lastStep + 1);
    this.save();
    return totpAtStep(this.seed, this.lastStep);
  }

  private save(): void {
    if (this.phone && this.seed) writeFileSync(this.phone, JSON.stringify({ seed: this.seed, lastStep: this.lastStep }));
  }
}
