import { CreateAccountAliasCommand, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { classifyAwsError } from '../../../src/aws/errors.js';
import { UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { BootstrapContext } from '../context.js';
import { validateAccountAlias } from '../names.js';

/** The alias in the sign-in URL. Optional; an account has at most one, and an existing one is kept. */
export const accountAlias: Step<BootstrapContext> = {
  id: 'account-alias',
  title: 'Account alias',
  plan: (c) => (c.names.accountAlias ? `iam:CreateAccountAlias ${c.names.accountAlias}` : 'no alias asked for'),
  async probe(c) {
    const existing = (await (await c.iam()).send(new ListAccountAliasesCommand({}), { abortSignal: c.signal })).AccountAliases ?? [];
    if (existing[0]) {
      if (c.names.accountAlias && existing[0] !== c.names.accountAlias) c.report.log(`The account already has the alias "${existing[0]}"; keeping it.`, 'warn');
      return { alias: existing[0] };
    }
    // None asked for and none there: nothing to do, and nothing to call "already in place".
    return c.names.accountAlias ? undefined : { alias: '', required: false };
  },
  async apply(c) {
    let alias = c.names.accountAlias;
    const iam = await c.iam();
    for (;;) {
      try {
        await iam.send(new CreateAccountAliasCommand({ AccountAlias: alias }), { abortSignal: c.signal });
        return { alias };
      } catch (error) {
        // Aliases are global: "already exists" means another account has it. A person gets a second chance.
        if (classifyAwsError(error) !== 'already-exists' || !c.prompter.interactive) throw takenError(alias, error);
        c.report.log(`"${alias}" is taken by another AWS account.`, 'warn');
        alias = await c.prompter.text({ id: 'accountAlias', flag: '--account-alias', message: 'Another account alias', validate: (v) => validateAccountAlias(v) ?? (v === '' ? 'Type an alias.' : undefined) });
      }
    }
  },
};

function takenError(alias: string, error: unknown): unknown {
  if (classifyAwsError(error) !== 'already-exists') return error;
  return new UsageError(`The account alias "${alias}" is taken by another AWS account.`, { fix: 'Choose another --account-alias (aliases are unique across all of AWS).' });
}
