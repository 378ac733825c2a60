import { CancelledError } from '../engine/errors.js';
import type { ConfirmAsk, MfaAsk, Prompter, QrShow, SecretShow, SelectAsk, TextAsk } from '../engine/prompter.js';
import { secondsToNextCode, validateMfaCode } from '../engine/prompter.js';
import { renderQr } from '../present/qr.js';

/**
 * Line-mode questions with @inquirer/prompts (loaded on first use). Only ever used when no ink app is
 * mounted, so two readers never compete for stdin.
 */
export class PlainPrompter implements Prompter {
  readonly interactive = true;
  constructor(private readonly signal: AbortSignal) {}

  async text(ask: TextAsk): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    const message = ask.totp ? withNextCode(ask.message) : ask.message;
    return this.guard(input({ message, default: ask.default, validate: (v) => ask.validate?.(v) ?? true }, { signal: this.signal }));
  }
  async select<T extends string>(ask: SelectAsk<T>): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    return this.guard(
      select<T>({ message: ask.message, default: ask.default, choices: ask.choices.map((c) => ({ value: c.value, name: c.label, description: c.hint })) }, { signal: this.signal }),
    );
  }
  async confirm(ask: ConfirmAsk): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return this.guard(confirm({ message: ask.message, default: ask.default }, { signal: this.signal }));
  }
  async secret(ask: TextAsk): Promise<string> {
    const { password } = await import('@inquirer/prompts');
    return this.guard(password({ message: ask.message, mask: '*', validate: (v) => ask.validate?.(v) ?? true }, { signal: this.signal }));
  }
  async mfaCode(ask: MfaAsk): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return this.guard(input({ message: withNextCode(ask.message ?? `MFA code for ${ask.serial}`), validate: (v) => validateMfaCode(v) ?? true }, { signal: this.signal }));
  }
  async showQr(show: QrShow): Promise<void> {
    const code = await renderQr(show.data);
    process.stdout.write(`${show.title}\n${code}\nCannot scan it? Enter this key by hand:\n  ${show.fallback}\n`);
    const { confirm } = await import('@inquirer/prompts');
    await this.guard(confirm({ message: 'Added it to your authenticator app?', default: true }, { signal: this.signal, clearPromptOnDone: true }));
    this.clearHistory();
  }

  async showSecret(show: SecretShow): Promise<void> {
    process.stdout.write(`${show.title}\n\n    ${show.secret}\n\n${show.note ? `${show.note}\n` : ''}`);
    const { confirm } = await import('@inquirer/prompts');
    await this.guard(confirm({ message: 'Saved it somewhere safe?', default: true }, { signal: this.signal, clearPromptOnDone: true }));
    this.clearHistory();
  }

  /** Secrets must not stay in the terminal's history: clear the screen and the scrollback. */
  private clearHistory(): void {
    if (process.stdout.isTTY) process.stdout.write('\u001B[2J\u001B[3J\u001B[H');
  }

  /** Inquirer rejects with ExitPromptError on Ctrl-C and AbortPromptError on our signal: both are a cancel. */
  private async guard<T>(pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ExitPromptError' || name === 'AbortPromptError' || this.signal.aborted) throw new CancelledError();
      throw error;
    }
  }
}

/** Line mode cannot tick: it says, once, when the app's next code comes. */
function withNextCode(message: string): string {
  return `${message} (the app shows a new code in ${secondsToNextCode()} s)`;
}
