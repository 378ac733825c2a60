import { rolloutPolicies } from './iam/aws-policies.js';
import { IdSource } from './ids.js';
import type { ManagedPolicy, SandboxRegistry, SandboxState } from './state.js';

export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const SANDBOX_ADMIN = 'sandbox-admin';

const DAY_MS = 86_400_000;
/** AdministratorAccess was published on this date; its id and document are AWS's own. */
const AWS_POLICY_DATE = Date.parse('2015-02-06T18:39:46Z');

/**
 * The AWS managed policies a fresh account can attach, each call a fresh copy. Add more here as flows
 * need them; sandboxes saved earlier lack the newer ones, so IAM also looks here (see iam/common.ts).
 */
export function awsManagedPolicies(): ManagedPolicy[] {
  return [
    {
      name: 'AdministratorAccess',
      id: 'ANPAIWMBCKSKIEE64ZLYK',
      arn: ADMINISTRATOR_ACCESS_ARN,
      path: '/',
      createdAt: AWS_POLICY_DATE,
      updatedAt: AWS_POLICY_DATE,
      description: 'Provides full access to AWS services and resources.',
      tags: [],
      defaultVersionId: 'v1',
      nextVersion: 2,
      versions: [
        {
          id: 'v1',
          document: '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}',
          createdAt: AWS_POLICY_DATE,
        },
      ],
      awsManaged: true,
    },
    ...rolloutPolicies(),
  ];
}

/**
 * A new account as the root user leaves it for slipway: one bootstrap identity (`sandbox-admin` with
 * AdministratorAccess and an access key), no alias, no password policy. The admin was made a day ago,
 * so it is visible however long IAM propagation is set to take.
 */
export function newAccountState(now: number, options: { seed?: string; propagationSeconds?: number; registry?: SandboxRegistry }): SandboxState {
  const state: SandboxState = {
    version: 1,
    accountId: '',
    aliases: [],
    propagationSeconds: options.propagationSeconds ?? 0,
    clock: { offsetMs: 0, sequence: 0 },
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    iam: { users: {}, groups: {}, roles: {}, policies: {}, mfaDevices: {} },
    sts: { sessions: {} },
    ec2: { keyPairs: {} },
    ecr: { repositories: {}, ...(options.registry ? { registry: options.registry } : {}) },
  };
  const ids = new IdSource(state);
  state.accountId = ids.accountId();
  for (const policy of awsManagedPolicies()) state.iam.policies[policy.arn] = policy;
  const createdAt = now - DAY_MS;
  state.iam.users[SANDBOX_ADMIN] = {
    name: SANDBOX_ADMIN,
    id: ids.uniqueId('AIDA'),
    arn: `arn:aws:iam::${state.accountId}:user/${SANDBOX_ADMIN}`,
    path: '/',
    createdAt,
    tags: [],
    groups: [],
    attachedPolicies: [ADMINISTRATOR_ACCESS_ARN],
    inlinePolicies: {},
    accessKeys: [{ id: ids.accessKeyId('AKIA'), secret: ids.secretAccessKey(), status: 'Active', createdAt }],
  };
  return state;
}
