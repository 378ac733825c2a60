import { CancelledError } from '../../src/engine/errors.js';
import type { ConfirmAsk, MfaAsk, Prompter, QrShow, SecretShow, SelectAsk, TextAsk } from '../../src/engine/prompter.js';
import { validateMfaCode } from '../../src/engine/prompter.js';
import { renderQr } from '../../src/present/qr.js';

export type PromptRequest =
  | { kind: 'text'; ask: TextAsk; masked: boolean; resolve(value: string): void }
  | { kind: 'select'; ask: SelectAsk; resolve(value: string): void }
  | { kind: 'confirm'; ask: ConfirmAsk; resolve(value: boolean): void }
  | { kind: 'qr'; show: QrShow; rendered: string; resolve(): void }
  | { kind: 'secret'; show: SecretShow; resolve(): void };

/**
 * The TUI's Prompter: a flow's question becomes the "current request" that the screen renders as a
 * prompt component; the component's submit resolves the flow's promise. One request at a time.
 */
export class PromptBroker implements Prompter {
  readonly interactive = true;
  private current: (PromptRequest & { reject(error: Error): void }) | undefined;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PromptRequest | undefined => this.current;

  /** Rejects the open question (Ctrl-C): the step sees a CancelledError. */
  cancel(): void {
    const open = this.current;
    this.set(undefined);
    open?.reject(new CancelledError());
  }

  text(ask: TextAsk): Promise<string> {
    return this.open<string>((resolve) => ({ kind: 'text', ask, masked: false, resolve }));
  }
  secret(ask: TextAsk): Promise<string> {
    return this.open<string>((resolve) => ({ kind: 'text', ask, masked: true, resolve }));
  }
  select<T extends string>(ask: SelectAsk<T>): Promise<T> {
    return this.open<T>((resolve) => ({ kind: 'select', ask, resolve: (v: string) => resolve(v as T) }));
  }
  confirm(ask: ConfirmAsk): Promise<boolean> {
    return this.open<boolean>((resolve) => ({ kind: 'confirm', ask, resolve }));
  }
  mfaCode(ask: MfaAsk): Promise<string> {
    return this.text({ id: 'mfa-code', message: ask.message ?? `MFA code for ${ask.serial}`, validate: validateMfaCode, totp: true });
  }
  async showQr(show: QrShow): Promise<void> {
    const rendered = await renderQr(show.data);
    return this.open<void>((resolve) => ({ kind: 'qr', show, rendered, resolve: () => resolve() }));
  }

  showSecret(show: SecretShow): Promise<void> {
    return this.open<void>((resolve) => ({ kind: 'secret', show, resolve: () => resolve() }));
  }

  private open<T>(make: (resolve: (value: T) => void) => PromptRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const request = make((value: T) => {
        this.set(undefined);
        resolve(value);
      });
      this.set({ ...request, reject } as PromptRequest & { reject(error: Error): void });
    });
  }

  private set(request: (PromptRequest & { reject(error: Error): void }) | undefined): void {
    this.current = request;
    for (const listener of this.listeners) listener();
  }
}
