import { DeleteExpressGatewayServiceCommand } from '@aws-sdk/client-ecs';
import { classifyAwsError } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { targetNames } from '../../rollout/targets/names.js';
import { findExpressService, findInfrastructureRole } from '../find.js';
import { waitUntil } from '../waiting.js';
import { deleteRoleNamed } from './leftovers.js';

/**
 * Reference §12: DeleteExpressGatewayService drains the service, then ECS removes what it made for it
 * (load balancer, listener and rules, target groups, certificate, security groups, scaling) — waited for
 * until the service is INACTIVE. A run killed while it drains finds it DRAINING and only waits.
 */
export const deleteExpressService: Step<RolloutContext> = {
  id: 'express-service',
  title: 'Delete the Express Mode service',
  plan: (c) => `ecs:DeleteExpressGatewayService ${c.names.service} (ECS removes its load balancer, certificate and scaling), wait for INACTIVE`,
  async probe(c) {
    return (await findExpressService(c)) ? undefined : { gone: true };
  },
  async apply(c) {
    const service = await findExpressService(c);
    if (!service) return { deleted: [] };
    if (service.status !== 'DRAINING') {
      try {
        await (await c.ecs()).send(new DeleteExpressGatewayServiceCommand({ serviceArn: service.id }), { abortSignal: c.signal });
      } catch (error) {
        // Gone, or its deletion already started (ServiceNotActive): carry on waiting.
        if (classifyAwsError(error) !== 'not-found' && (error as Error).name !== 'ServiceNotActiveException') throw error;
      }
      c.report.log(`Deleting Express Mode service ${service.name}: ECS drains it, then removes its load balancer, certificate and scaling`);
    }
    await waitUntil(c, 'waiting for the Express Mode service to become INACTIVE', async () => !(await findExpressService(c)));
    return { deleted: [service.name] };
  },
};

/** The role ECS made the Express service's resources with: only once the service is INACTIVE. */
export const deleteInfrastructureRole: Step<RolloutContext> = {
  id: 'infrastructure-role',
  title: 'Delete the Express Mode infrastructure role',
  plan: (c) => `iam:DeleteRole ${targetNames(c.settings.app, c.settings.env).infrastructureRole} (detach its policies first)`,
  async probe(c) {
    return (await findInfrastructureRole(c)) ? undefined : { gone: true };
  },
  async apply(c) {
    const role = await findInfrastructureRole(c);
    if (!role) return { deleted: [] };
    return { deleted: [await deleteRoleNamed(c, role.name)] };
  },
};
