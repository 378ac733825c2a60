import { DeleteServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { findServices } from '../find.js';
import { waitUntil } from '../waiting.js';

/** Reference §13.1: the service down to 0 tasks first, so nothing is cut off mid-request. */
export const scaleDown: Step<RolloutContext> = {
  id: 'scale-down',
  title: 'Scale the service to 0',
  plan: (c) => `ecs:UpdateService ${c.names.service} desiredCount 0, wait for runningCount 0`,
  async probe(c) {
    const services = await findServices(c);
    const busy = services.filter((s) => s.status === 'ACTIVE' && ((s.desiredCount ?? 0) > 0 || (s.runningCount ?? 0) > 0 || (s.pendingCount ?? 0) > 0));
    return busy.length === 0 ? { scaledDown: services.map((s) => s.serviceName ?? '') } : undefined;
  },
  async apply(c) {
    const ecs = await c.ecs();
    const services = (await findServices(c)).filter((s) => s.status === 'ACTIVE');
    for (const s of services) {
      if ((s.desiredCount ?? 0) > 0) await ecs.send(new UpdateServiceCommand({ cluster: c.names.cluster, service: s.serviceArn, desiredCount: 0 }), { abortSignal: c.signal });
      c.report.log(`${s.serviceName}: desired count 0 (was ${s.desiredCount ?? 0}, ${s.runningCount ?? 0} running)`);
    }
    await waitUntil(c, 'waiting for the service’s tasks to stop', async () => {
      const now = (await findServices(c)).filter((s) => s.status === 'ACTIVE');
      const running = now.reduce((n, s) => n + (s.runningCount ?? 0) + (s.pendingCount ?? 0), 0);
      c.report.progress('tasks still running', running, undefined, 'items');
      return running === 0;
    });
    return { scaledDown: services.map((s) => s.serviceName ?? '') };
  },
};

/** Reference §13.2: DeleteService, then wait until ECS says INACTIVE (it is gone from ListServices). */
export const deleteService: Step<RolloutContext> = {
  id: 'service',
  title: 'Delete the service',
  plan: (c) => `ecs:DeleteService ${c.names.service}, wait for INACTIVE`,
  async probe(c) {
    return (await findServices(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const ecs = await c.ecs();
    const services = await findServices(c);
    for (const s of services.filter((x) => x.status === 'ACTIVE')) {
      await tolerate('not-found', () => ecs.send(new DeleteServiceCommand({ cluster: c.names.cluster, service: s.serviceArn, force: true }), { abortSignal: c.signal }));
      c.report.log(`Deleting service ${s.serviceName}`);
    }
    await waitUntil(c, 'waiting for the service to become INACTIVE', async () => (await findServices(c)).length === 0);
    return { deleted: services.map((s) => s.serviceName ?? '') };
  },
};
