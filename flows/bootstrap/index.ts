import { userInfo } from 'node:os';
import type { Flow } from '../../src/engine/types.js';
import type { Runtime } from '../shared/runtime.js';
import { explainAwsError } from '../../src/aws/errors.js';
import { accountOf, bootstrapClients, bootstrapContext, type BootstrapContext } from './context.js';
import { bootstrapQuestions } from './questions.js';
import { accessKey } from './steps/access-key.js';
import { accountAlias } from './steps/account-alias.js';
import { adminGroup } from './steps/admin-group.js';
import { adminRole } from './steps/admin-role.js';
import { cliProfile } from './steps/cli-profile.js';
import { consolePassword } from './steps/console-password.js';
import { identity } from './steps/identity.js';
import { keyPair } from './steps/key-pair.js';
import { mfaDevice } from './steps/mfa-device.js';
import { requireMfa } from './steps/require-mfa-policy.js';
import { usersGroup } from './steps/users-group.js';
import { iamUser } from './steps/user.js';
import { verify } from './steps/verify.js';
import { bootstrapSummary } from './summary.js';
import { settleKnown } from '../shared/settled.js';

/** `slipway bootstrap`: chapter 3 of the book, done safely and resumably (shared/reference/account-bootstrap.md). */
export function bootstrapFlow(runtime: Runtime): Flow<BootstrapContext> {
  const clients = bootstrapClients(runtime);
  return {
    name: 'bootstrap',
    title: 'Account bootstrap',
    questions: settleKnown(bootstrapQuestions({ region: runtime.aws.region, userName: safeUserName() }), runtime),
    // The journal is per account and region: ask who the starting credentials are (cheap, read-only).
    target: async (answers, prompter) => {
      try {
        return { account: await accountOf(clients, answers, prompter), region: String(answers.region) };
      } catch (error) {
        throw explainAwsError(error, 'Finding out whose credentials these are (sts:GetCallerIdentity)');
      }
    },
    context: bootstrapContext(runtime, clients),
    steps: [identity, accountAlias, adminRole, adminGroup, requireMfa, usersGroup, iamUser, consolePassword, mfaDevice, accessKey, cliProfile, verify, keyPair],
    summary: bootstrapSummary,
    explainError: (error, step) => explainAwsError(error, step.title),
  };
}

function safeUserName(): string | undefined {
  try {
    const name = userInfo().username;
    return /^[\w+=,.@-]{1,64}$/.test(name) && name !== 'root' ? name : undefined;
  } catch {
    return undefined;
  }
}
