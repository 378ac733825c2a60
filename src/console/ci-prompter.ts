import { MissingAnswerError, UsageError } from '../engine/errors.js';
import type { ConfirmAsk, MfaAsk, Prompter, QrShow, SecretShow, SelectAsk, TextAsk } from '../engine/prompter.js';

/**
 * The non-interactive Prompter: every question must already have an answer (flag, --answers file,
 * journal, or a default under --yes). Anything else is an error naming the flag that supplies it.
 * An MFA code can come from SLIPWAY_MFA_CODE for scripted runs.
 */
export class NonInteractivePrompter implements Prompter {
  readonly interactive = false;
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async text(ask: TextAsk): Promise<string> {
    if (ask.default !== undefined) return ask.default;
    throw new MissingAnswerError(ask);
  }
  async select<T extends string>(ask: SelectAsk<T>): Promise<T> {
    if (ask.default !== undefined) return ask.default;
    throw new MissingAnswerError(ask);
  }
  async confirm(ask: ConfirmAsk): Promise<boolean> {
    if (ask.default !== undefined) return ask.default;
    throw new MissingAnswerError(ask);
  }
  async secret(ask: TextAsk): Promise<string> {
    throw new MissingAnswerError(ask);
  }
  async mfaCode(ask: MfaAsk): Promise<string> {
    const code = this.env.SLIPWAY_MFA_CODE;
    if (code) return code;
    throw new UsageError(`An MFA code for ${ask.serial} is needed, and this run cannot ask for one.`, {
      fix: 'Run interactively once (the session is cached for an hour), or set SLIPWAY_MFA_CODE for this command.',
    });
  }
  async showSecret(show: SecretShow): Promise<void> {
    throw new UsageError(`"${show.title}" must be shown to a person; run this step interactively.`);
  }
  async showQr(show: QrShow): Promise<void> {
    throw new UsageError(`"${show.title}" must be scanned by a person; run this step interactively.`);
  }
}
