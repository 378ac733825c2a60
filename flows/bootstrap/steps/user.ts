import { AddUserToGroupCommand, CreateUserCommand, GetUserCommand, ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { BootstrapContext } from '../context.js';
import { MANAGED_TAGS } from '../tags.js';

/** The IAM user, a member of both groups (admin via the role; MFA required by Users). */
export const iamUser: Step<BootstrapContext> = {
  id: 'user',
  title: 'IAM user in both groups',
  plan: (c) => `iam:CreateUser ${c.names.userName}, add to ${c.names.adminGroup} and ${c.names.usersGroup}`,
  async probe(c) {
    const iam = await c.iam();
    const user = (await tolerate('not-found', () => iam.send(new GetUserCommand({ UserName: c.names.userName }), { abortSignal: c.signal })))?.User;
    if (!user?.Arn) return undefined;
    const groups = await groupsOf(c);
    return [c.names.adminGroup, c.names.usersGroup].every((g) => groups.includes(g)) ? { userArn: user.Arn } : undefined;
  },
  async apply(c) {
    const iam = await c.iam();
    const created = await tolerate('already-exists', () => iam.send(new CreateUserCommand({ UserName: c.names.userName, Tags: MANAGED_TAGS }), { abortSignal: c.signal }));
    if (!created) c.report.log(`User ${c.names.userName} exists; adopting it.`);
    const groups = await groupsOf(c);
    for (const group of [c.names.adminGroup, c.names.usersGroup]) {
      if (!groups.includes(group)) await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: c.names.userName }), { abortSignal: c.signal });
    }
    return { userArn: created?.User?.Arn ?? `arn:aws:iam::${c.account()}:user/${c.names.userName}` };
  },
};

async function groupsOf(c: BootstrapContext): Promise<string[]> {
  const out = await (await c.iam()).send(new ListGroupsForUserCommand({ UserName: c.names.userName }), { abortSignal: c.signal });
  return (out.Groups ?? []).map((g) => g.GroupName ?? '');
}
