import { CreatePolicyCommand, CreatePolicyVersionCommand, DeletePolicyVersionCommand, GetPolicyCommand, GetPolicyVersionCommand, ListPolicyVersionsCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { parsePolicyDocument, requireMfaPolicy, samePolicy } from '../../../recipes/iam/policies.js';
import type { BootstrapContext } from '../context.js';
import { MANAGED_TAGS } from '../tags.js';

export const REQUIRE_MFA_POLICY_NAME = 'RequireMFAPolicy';
const MAX_VERSIONS = 5;

export function requireMfaPolicyArn(account: string): string {
  return `arn:aws:iam::${account}:policy/${REQUIRE_MFA_POLICY_NAME}`;
}

/** Managed policy `RequireMFAPolicy`; an existing one with another document gets a new default version. */
export const requireMfa: Step<BootstrapContext> = {
  id: 'require-mfa-policy',
  title: 'RequireMFAPolicy',
  plan: () => `iam:CreatePolicy ${REQUIRE_MFA_POLICY_NAME} (self-service; everything else denied without MFA)`,
  async probe(c) {
    const iam = await c.iam();
    const arn = requireMfaPolicyArn(c.account());
    const policy = (await tolerate('not-found', () => iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal: c.signal })))?.Policy;
    if (!policy?.DefaultVersionId) return undefined;
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }), { abortSignal: c.signal });
    const current = parsePolicyDocument(version.PolicyVersion?.Document ?? '{}');
    return samePolicy(current, requireMfaPolicy(c.account())) ? { policyArn: arn, version: policy.DefaultVersionId } : undefined;
  },
  async apply(c) {
    const iam = await c.iam();
    const arn = requireMfaPolicyArn(c.account());
    const document = JSON.stringify(requireMfaPolicy(c.account()));
    const created = await tolerate('already-exists', () =>
      iam.send(new CreatePolicyCommand({ PolicyName: REQUIRE_MFA_POLICY_NAME, PolicyDocument: document, Description: 'Self-service credentials; everything else needs MFA (slipway)', Tags: MANAGED_TAGS }), { abortSignal: c.signal }),
    );
    if (created) return { policyArn: arn, version: created.Policy?.DefaultVersionId ?? 'v1' };

    // It exists with another document: make ours the default version, making room when IAM's five are used.
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }), { abortSignal: c.signal })).Versions ?? [];
    if (versions.length >= MAX_VERSIONS) {
      const oldest = versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
      if (oldest?.VersionId) {
        c.report.log(`${REQUIRE_MFA_POLICY_NAME} has ${MAX_VERSIONS} versions; deleting the oldest non-default one (${oldest.VersionId}).`);
        await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId }), { abortSignal: c.signal });
      }
    }
    const version = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document, SetAsDefault: true }), { abortSignal: c.signal });
    c.report.log(`${REQUIRE_MFA_POLICY_NAME} existed with another document; version ${version.PolicyVersion?.VersionId} is now the default.`);
    return { policyArn: arn, version: version.PolicyVersion?.VersionId ?? '' };
  },
};
