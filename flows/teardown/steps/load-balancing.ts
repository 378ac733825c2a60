import { DeleteListenerCommand, DeleteLoadBalancerCommand, DeleteTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { findListeners, findLoadBalancers, findTargetGroups } from '../find.js';
import { retryWhileInUse, waitUntil } from '../waiting.js';

export const deleteListeners: Step<RolloutContext> = {
  id: 'listeners',
  title: 'Delete the listener',
  plan: () => 'elasticloadbalancing:DeleteListener (tagged listeners of the tagged load balancer)',
  async probe(c) {
    return (await findListeners(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const elb = await c.elbv2();
    const listeners = await findListeners(c);
    for (const l of listeners) {
      await tolerate('not-found', () => elb.send(new DeleteListenerCommand({ ListenerArn: l.id }), { abortSignal: c.signal }));
      c.report.log(`Deleted listener ${l.name}`);
    }
    return { deleted: listeners.map((l) => l.name) };
  },
};

export const deleteLoadBalancers: Step<RolloutContext> = {
  id: 'load-balancers',
  title: 'Delete the load balancer',
  plan: (c) => `elasticloadbalancing:DeleteLoadBalancer ${c.names.loadBalancer}`,
  async probe(c) {
    return (await findLoadBalancers(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const elb = await c.elbv2();
    const balancers = await findLoadBalancers(c);
    for (const lb of balancers) {
      await tolerate('not-found', () => elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.id }), { abortSignal: c.signal }));
      c.report.log(`Deleting load balancer ${lb.name} (${lb.dnsName})`);
    }
    await waitUntil(c, 'waiting for the load balancer to go', async () => (await findLoadBalancers(c)).length === 0);
    return { deleted: balancers.map((lb) => lb.name) };
  },
};

/** ResourceInUse until the load balancer that used it is gone: retried, bounded, visibly. */
export const deleteTargetGroups: Step<RolloutContext> = {
  id: 'target-groups',
  title: 'Delete the target group',
  plan: (c) => `elasticloadbalancing:DeleteTargetGroup ${c.names.targetGroup}`,
  async probe(c) {
    return (await findTargetGroups(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const elb = await c.elbv2();
    const groups = await findTargetGroups(c);
    for (const g of groups) {
      await retryWhileInUse(c, `Target group ${g.name}`, () => tolerate('not-found', () => elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: g.id }), { abortSignal: c.signal })));
      c.report.log(`Deleted target group ${g.name}`);
    }
    return { deleted: groups.map((g) => g.name) };
  },
};
