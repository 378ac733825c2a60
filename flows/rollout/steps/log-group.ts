import { CreateLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';

/**
 * The log group exists before any task starts (the book's `DependsOn`): the awslogs driver does not
 * create it, and a task whose group is missing fails with ResourceInitializationError.
 */
export const logGroup: Step<RolloutContext> = {
  id: 'log-group',
  title: 'Log group',
  plan: (c) => `logs:CreateLogGroup ${c.names.logGroup} (kept ${c.environment().logRetentionDays} days)`,
  async probe(c) {
    const group = await find(c);
    if (!group?.arn || group.retentionInDays !== c.environment().logRetentionDays) return undefined;
    return { name: c.names.logGroup, arn: group.arn };
  },
  async apply(c) {
    const logs = await c.logs();
    await tolerate('already-exists', () =>
      logs.send(new CreateLogGroupCommand({ logGroupName: c.names.logGroup, tags: Object.fromEntries(c.tags.map((t) => [t.Key, t.Value])) }), { abortSignal: c.signal }),
    );
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: c.names.logGroup, retentionInDays: c.environment().logRetentionDays }), { abortSignal: c.signal });
    return { name: c.names.logGroup, arn: (await find(c))?.arn ?? '' };
  },
};

async function find(c: RolloutContext) {
  const out = await (await c.logs()).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: c.names.logGroup }), { abortSignal: c.signal });
  return out.logGroups?.find((g) => g.logGroupName === c.names.logGroup);
}
