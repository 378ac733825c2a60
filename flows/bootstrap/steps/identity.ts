import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { explainAwsError } from '../../../src/aws/errors.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { BootstrapContext } from '../context.js';

/** Who the starting credentials belong to. Read-only; root gets a loud warning and a way out. */
export const identity: Step<BootstrapContext> = {
  id: 'identity',
  title: 'Starting identity',
  check: true,
  plan: () => 'sts:GetCallerIdentity with the starting credentials',
  async probe(c) {
    let out;
    try {
      out = await (await c.sts()).send(new GetCallerIdentityCommand({}), { abortSignal: c.signal });
    } catch (error) {
      throw explainAwsError(error, 'sts:GetCallerIdentity');
    }
    const arn = out.Arn ?? '';
    const root = /:root$/.test(arn);
    if (root) {
      c.report.log('These are ROOT credentials: they can do anything and cannot be limited.', 'warn');
      c.report.log('Safer: create a temporary admin user in the console, run bootstrap with its keys, then delete it and the root keys.', 'warn');
      if (c.prompter.interactive && !(await c.prompter.confirm({ id: 'use-root', message: 'Carry on with the root credentials anyway?', default: false }))) {
        throw new SlipwayError('Stopped: bootstrap will not run with root credentials.', {
          fix: 'IAM console → Users → Create user (AdministratorAccess) → Security credentials → Create access key; then run `slipway bootstrap --profile <that profile>`.',
        });
      }
    }
    return { account: out.Account ?? '', arn, root };
  },
  async apply() {
    throw new Error('unreachable: the identity probe always answers');
  },
};
