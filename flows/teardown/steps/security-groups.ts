import { DeleteSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { classifyAwsError } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { findSecurityGroups, type Named } from '../find.js';
import { retryWhileInUse, stillInUse } from '../waiting.js';

/**
 * The environment's security groups. The tasks' group names the load balancer's in a rule, so the
 * order matters: each attempt deletes what it can, then tries the rest again at once. What is still
 * in use after that (network interfaces of stopped tasks take minutes to go) is retried, bounded.
 */
export const deleteSecurityGroups: Step<RolloutContext> = {
  id: 'security-groups',
  title: 'Delete the security groups',
  plan: (c) => `ec2:DeleteSecurityGroup ${c.names.taskSecurityGroup}, ${c.names.lbSecurityGroup}`,
  async probe(c) {
    return (await findSecurityGroups(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const ec2 = await c.ec2();
    const deleted: string[] = [];
    let remaining: Named[] = await findSecurityGroups(c);
    await retryWhileInUse(c, 'A security group', async () => {
      let blocked: unknown;
      for (let progress = true; progress && remaining.length > 0; ) {
        progress = false;
        blocked = undefined;
        for (const group of [...remaining]) {
          try {
            await ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.id }), { abortSignal: c.signal });
            deleted.push(group.name);
            c.report.log(`Deleted security group ${group.name} (${group.id})`);
          } catch (error) {
            if (classifyAwsError(error) !== 'not-found') {
              if (!stillInUse(error)) throw error;
              blocked = error;
              continue;
            }
          }
          remaining = remaining.filter((g) => g.id !== group.id);
          progress = true;
        }
      }
      if (remaining.length > 0) throw blocked;
    });
    return { deleted };
  },
};
