import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  LogGroup as SdkLogGroup,
  PutRetentionPolicyRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { fault, SandboxUnsupportedError } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { LogGroup } from '../state.js';
import { checkGroupName, constraint, groupArn, groupNotFound, groupsForUpdate, groupsIn, invalidParameter, page, requireGroup, streamResource } from './common.js';
import { checkTags } from './tags.js';

/** The only retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Groups the ECS fake may have stored hold a plain log-group ARN; tolerate one that ends in ":*". */
const plainArn = (group: LogGroup) => group.arn.replace(/:\*$/, '');

function groupOut(group: LogGroup): SdkLogGroup {
  return {
    logGroupName: group.name,
    creationTime: group.createdAt,
    retentionInDays: group.retentionInDays,
    metricFilterCount: 0,
    arn: `${plainArn(group)}:*`,
    storedBytes: 0,
    logGroupClass: 'STANDARD',
    logGroupArn: plainArn(group),
  };
}

const groupResource = (input: { logGroupName?: string }, ctx: CallContext) => streamResource(ctx, input.logGroupName);

export const groupOperations: Record<string, Operation> = {
  CreateLogGroup: op<CreateLogGroupRequest, object>({
    resource: groupResource,
    run: (input, ctx) => {
      const name = checkGroupName(input.logGroupName);
      if (input.kmsKeyId) throw new SandboxUnsupportedError('the sandbox does not simulate KMS-encrypted log groups yet');
      if (input.logGroupClass && input.logGroupClass !== 'STANDARD') throw new SandboxUnsupportedError(`the sandbox does not simulate the ${input.logGroupClass} log class yet`);
      const tags = checkTags(input.tags);
      if (Object.keys(tags).length > 50) throw invalidParameter('A resource can have no more than 50 tags.');
      const groups = groupsForUpdate(ctx);
      if (groups[name]) throw fault('ResourceAlreadyExistsException', 'The specified log group already exists');
      groups[name] = { name, arn: groupArn(ctx, name), createdAt: ctx.now, tags, streams: {} };
      return {};
    },
  }),

  DescribeLogGroups: op<DescribeLogGroupsRequest, Out<DescribeLogGroupsResponse>>({
    resource: (_input, ctx) => streamResource(ctx, ''),
    run: (input, ctx) => {
      const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
      if (prefix !== undefined && pattern !== undefined) throw invalidParameter('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
      const wanted = input.logGroupIdentifiers?.map((id) => id.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, '').replace(/:\*$/, ''));
      // AWS lists groups in name order; the pattern is a case-insensitive substring match.
      const groups = Object.values(groupsIn(ctx))
        .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())) && (!wanted || wanted.includes(g.name)))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { items, nextToken } = page(groups, input);
      return { logGroups: items.map(groupOut), nextToken };
    },
  }),

  DeleteLogGroup: op<DeleteLogGroupRequest, object>({
    resource: groupResource,
    run: (input, ctx) => {
      const groups = groupsForUpdate(ctx);
      if (!groups[checkGroupName(input.logGroupName)]) throw groupNotFound();
      delete groups[input.logGroupName!];
      return {};
    },
  }),

  PutRetentionPolicy: op<PutRetentionPolicyRequest, object>({
    resource: groupResource,
    run: (input, ctx) => {
      // Request validation comes before the lookup, as in AWS.
      if (!RETENTION_DAYS.includes(input.retentionInDays as number)) {
        throw constraint('retentionInDays', input.retentionInDays, `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
      }
      requireGroup(ctx, input.logGroupName, true).retentionInDays = input.retentionInDays;
      return {};
    },
  }),

  DeleteRetentionPolicy: op<DeleteRetentionPolicyRequest, object>({
    resource: groupResource,
    run: (input, ctx) => {
      delete requireGroup(ctx, input.logGroupName, true).retentionInDays;
      return {};
    },
  }),
};
