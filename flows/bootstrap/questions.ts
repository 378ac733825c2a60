import { validateRegion } from '../../src/aws/settings.js';
import type { Question } from '../../src/engine/types.js';
import { validateAccountAlias, validateGroupName, validateKeyPairName, validateProfileName, validateRoleName, validateUserName } from './names.js';

export interface BootstrapAnswers {
  region: string;
  accountAlias: string;
  userName: string;
  profileName: string;
  roleName: string;
  adminGroup: string;
  usersGroup: string;
  consolePassword: boolean;
  keyPairName: string;
}

/** The answers of `slipway bootstrap`, each with a default, a check and a flag. */
export function bootstrapQuestions(defaults: { region?: string; userName?: string }): Question[] {
  return [
    { id: 'region', flag: '--region', message: 'Region to work in', kind: 'text', default: defaults.region ?? 'us-east-1', validate: validateRegion },
    { id: 'accountAlias', flag: '--account-alias', message: 'Account alias for the sign-in URL (empty for none)', kind: 'text', default: '', validate: validateAccountAlias },
    { id: 'userName', flag: '--user-name', message: 'Your IAM user name', kind: 'text', default: defaults.userName, validate: validateUserName },
    {
      id: 'profileName',
      flag: '--profile-name',
      message: 'Name of the AWS CLI profile to write',
      kind: 'text',
      default: (a) => (a.accountAlias ? String(a.accountAlias) : 'slipway-admin'),
      validate: validateProfileName,
    },
    { id: 'roleName', flag: '--role-name', message: 'Admin role name', kind: 'text', default: 'admin', validate: validateRoleName },
    { id: 'adminGroup', flag: '--admin-group', message: 'Group allowed to assume the role', kind: 'text', default: 'Administrators', validate: validateGroupName },
    { id: 'usersGroup', flag: '--users-group', message: 'Group that requires MFA', kind: 'text', default: 'Users', validate: validateGroupName },
    { id: 'consolePassword', flag: '--console-password', message: 'Create a console password (shown once, reset at first sign-in)?', kind: 'confirm', default: true },
    { id: 'keyPairName', flag: '--key-pair', message: 'EC2 key pair name', kind: 'text', default: 'admin', validate: validateKeyPairName },
  ];
}

export function typedAnswers(answers: Record<string, string | number | boolean>): BootstrapAnswers {
  return {
    region: String(answers.region),
    accountAlias: String(answers.accountAlias ?? ''),
    userName: String(answers.userName),
    profileName: String(answers.profileName),
    roleName: String(answers.roleName),
    adminGroup: String(answers.adminGroup),
    usersGroup: String(answers.usersGroup),
    consolePassword: Boolean(answers.consolePassword),
    keyPairName: String(answers.keyPairName),
  };
}
