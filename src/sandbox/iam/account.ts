import type {
  CreateAccountAliasRequest,
  GetAccountPasswordPolicyResponse,
  ListAccountAliasesResponse,
  UpdateAccountPasswordPolicyRequest,
} from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { op, validationError, type Operation, type Out } from '../operation.js';
import type { SandboxState } from '../state.js';
import { alreadyExists, noSuchEntity } from './common.js';

/** Aliases are global across AWS; these stand in for the ones other accounts already hold. */
export const TAKEN_ALIASES = new Set(['example', 'test', 'demo', 'admin', 'aws', 'amazon', 'production']);

const ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export const accountOperations: Record<string, Operation> = {
  ListAccountAliases: op<object, Out<ListAccountAliasesResponse>>({
    run: (_input, ctx) => ({ AccountAliases: [...ctx.state.aliases], IsTruncated: false }),
  }),

  CreateAccountAlias: op<CreateAccountAliasRequest, object>({
    run: (input, ctx) => {
      const alias = input.AccountAlias ?? '';
      if (!ALIAS.test(alias)) {
        throw validationError(`1 validation error detected: Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`);
      }
      if (ctx.state.aliases.includes(alias)) return {}; // already ours
      if (TAKEN_ALIASES.has(alias)) throw alreadyExists(`The account alias ${alias} already exists.`);
      // An account has at most one alias; creating another replaces it, as the console's "Edit" does.
      ctx.state.aliases = [alias];
      return {};
    },
  }),

  GetAccountPasswordPolicy: op<object, Out<GetAccountPasswordPolicyResponse>>({
    run: (_input, ctx) => {
      const policy = ctx.state.iam.passwordPolicy;
      if (!policy) throw noSuchEntity(`The Password Policy with domain name ${ctx.state.accountId} cannot be found.`);
      return { PasswordPolicy: { ...policy, ExpirePasswords: policy.MaxPasswordAge !== undefined && policy.MaxPasswordAge > 0 } };
    },
  }),

  UpdateAccountPasswordPolicy: op<UpdateAccountPasswordPolicyRequest, object>({
    run: (input, ctx) => {
      const length = input.MinimumPasswordLength ?? 8;
      if (length < 6 || length > 128) throw validationError(`1 validation error detected: Value '${length}' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value between 6 and 128`);
      ctx.state.iam.passwordPolicy = {
        MinimumPasswordLength: length,
        RequireSymbols: input.RequireSymbols ?? false,
        RequireNumbers: input.RequireNumbers ?? false,
        RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
        RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
        AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
        ...(input.MaxPasswordAge ? { MaxPasswordAge: input.MaxPasswordAge } : {}),
        ...(input.PasswordReusePrevention ? { PasswordReusePrevention: input.PasswordReusePrevention } : {}),
        ...(input.HardExpiry !== undefined ? { HardExpiry: input.HardExpiry } : {}),
      };
      return {};
    },
  }),

  DeleteAccountPasswordPolicy: op<object, object>({
    run: (_input, ctx) => {
      if (!ctx.state.iam.passwordPolicy) throw noSuchEntity(`The account policy with name PasswordPolicy cannot be found.`);
      delete ctx.state.iam.passwordPolicy;
      return {};
    },
  }),
};

const violation = (message: string) => fault('PasswordPolicyViolation', message, 400);
const SYMBOL = /[!@#$%^&*()_+\-=[\]{}|']/;

/**
 * The account's password policy, or AWS's default when none is set: at least 8 characters, three of
 * upper case, lower case, digits and symbols, and not the account or user name.
 */
export function checkPassword(state: SandboxState, userName: string, password: string): void {
  if (password.length > 128) throw violation('Password should have a maximum length of 128');
  const policy = state.iam.passwordPolicy;
  if (!policy) {
    const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
    const lower = password.toLowerCase();
    if (password.length < 8 || classes < 3 || lower === userName.toLowerCase() || lower === state.accountId || state.aliases.includes(lower)) {
      throw violation('Password does not conform to the account password policy.');
    }
    return;
  }
  if (password.length < policy.MinimumPasswordLength) throw violation(`Password should have a minimum length of ${policy.MinimumPasswordLength}`);
  if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) throw violation('Password should have at least one lowercase letter');
  if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) throw violation('Password should have at least one uppercase letter');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw violation('Password should have at least one number');
  if (policy.RequireSymbols && !SYMBOL.test(password)) throw violation('Password should have at least one symbol');
}
