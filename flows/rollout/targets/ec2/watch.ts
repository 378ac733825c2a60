import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import type { Ec2Evidence } from '../../diagnosis/rules.js';
import { capacityLine, gatherCapacity, registeredLine } from '../../watch/capacity.js';
import { detachFrom, followDeployment } from '../../watch/follow.js';
import { targetNames } from '../names.js';

/**
 * The deployment watch of an EC2 environment: the Fargate watch's counts, events and stopped tasks, plus
 * the container instances as they register (and the Auto Scaling group behind them). When the group may
 * never run an instance (maxSize 0) nothing can place the tasks, so it says so at once instead of
 * waiting out the budget; the diagnosis reads the capacity too.
 */
export const ec2Watch: Step<RolloutContext> = {
  id: 'watch',
  title: 'Deployment (container instances registering)',
  plan: () => 'watch the deployment and the container instances until it completes',
  readOnly: true,
  probe: (c) => (c.settings.detach ? detachFrom(c) : Promise.resolve(undefined)),
  async apply(c) {
    const group = targetNames(c.settings.app, c.settings.env).autoScalingGroup;
    const announced = new Set<string>();
    let lastLine = '';
    let quietPolls = 0;
    return followDeployment(c, {
      async poll(c) {
        const capacity = await gatherCapacity(c, group);
        for (const instance of capacity.instances) {
          if (!instance.containerInstanceArn || announced.has(instance.containerInstanceArn) || instance.status !== 'ACTIVE') continue;
          announced.add(instance.containerInstanceArn);
          c.report.log(registeredLine(instance));
        }
        const line = capacityLine(capacity);
        if (line !== lastLine) c.report.log(line);
        lastLine = line;
        if (capacity.launchFailure && capacity.registered === 0) c.report.log(`Auto Scaling: ${capacity.launchFailure}`, 'warn');
        // Two looks in a row, so a group being resized at this moment is not mistaken for an empty one.
        quietPolls = capacity.registered === 0 && capacity.group?.maxSize === 0 ? quietPolls + 1 : 0;
        if (quietPolls >= 2) return { giveUp: `The Auto Scaling group ${group} may run no instances (maxSize 0): no task can be placed.` };
      },
      async evidence(c, base): Promise<Ec2Evidence> {
        const { instances: _instances, ...capacity } = await gatherCapacity(c, group);
        return { ...base, capacity };
      },
    });
  },
};
