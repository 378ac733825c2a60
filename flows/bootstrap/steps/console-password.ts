import { CreateLoginProfileCommand, GetAccountPasswordPolicyCommand, GetLoginProfileCommand, UpdateLoginProfileCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { BootstrapContext } from '../context.js';
import { generatePassword } from '../password.js';

/**
 * A one-time console password, reset at first sign-in. It is shown once, right here, and never
 * journaled. If an earlier run crashed after creating it (journal: intent), the person may never have
 * seen it: it is replaced with a new one and shown.
 */
export const consolePassword: Step<BootstrapContext> = {
  id: 'console-password',
  title: 'Console password (shown once)',
  plan: (c) => (c.names.consolePassword ? `iam:CreateLoginProfile for ${c.names.userName} (reset required at first sign-in)` : 'no console password asked for'),
  async probe(c) {
    if (!c.names.consolePassword) return { console: 'none' };
    const iam = await c.iam();
    const profile = await tolerate('not-found', () => iam.send(new GetLoginProfileCommand({ UserName: c.names.userName }), { abortSignal: c.signal }));
    if (!profile) return undefined;
    return c.journaled?.status === 'intent' ? undefined : { console: 'enabled' };
  },
  async apply(c) {
    if (!c.prompter.interactive) throw needsAPerson();
    const iam = await c.iam();
    const policy = (await tolerate('not-found', () => iam.send(new GetAccountPasswordPolicyCommand({}), { abortSignal: c.signal })))?.PasswordPolicy;
    const password = generatePassword(policy);
    const created = await tolerate('already-exists', () =>
      iam.send(new CreateLoginProfileCommand({ UserName: c.names.userName, Password: password, PasswordResetRequired: true }), { abortSignal: c.signal }),
    );
    if (!created) {
      c.report.log('A console password from an earlier, interrupted run was never shown; replacing it.', 'warn');
      await iam.send(new UpdateLoginProfileCommand({ UserName: c.names.userName, Password: password, PasswordResetRequired: true }), { abortSignal: c.signal });
    }
    await c.prompter.showSecret({
      title: `One-time console password for ${c.names.userName}`,
      secret: password,
      note: 'You will choose your own at the first sign-in. Keep it in a password manager until then.',
    });
    return { console: 'enabled' };
  },
};

export function needsAPerson(): UsageError {
  return new UsageError('A console password must be shown to a person, and this run cannot show one.', {
    fix: 'Run `slipway bootstrap` in a terminal, or pass --console-password no.',
  });
}
