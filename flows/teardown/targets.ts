import type { Step } from '../../src/engine/types.js';
import type { RolloutContext } from '../rollout/context.js';
import { identity } from '../rollout/steps/identity.js';
import { type TeardownTarget } from './inventory.js';
import { deleteAutoScalingGroup, deleteCapacityProvider, deleteInstanceSecurityGroup, deleteLaunchTemplate } from './steps/capacity.js';
import { deleteExpressService, deleteInfrastructureRole } from './steps/express.js';
import { deleteCluster, deleteExecutionRole, deleteLogGroup, deregisterTaskDefinitions } from './steps/leftovers.js';
import { deleteListeners, deleteLoadBalancers, deleteTargetGroups } from './steps/load-balancing.js';
import { confirm, plan } from './steps/plan.js';
import { deleteSecurityGroups } from './steps/security-groups.js';
import { deleteService, scaleDown } from './steps/service.js';


/**
 * Every step in the reference's cleanup order (§13): the services first (the Express one drains and
 * removes its own load balancer), then the EC2 capacity — the Auto Scaling group (its instances leave
 * the cluster), the capacity provider, the launch template — then load balancing, security groups
 * (the instances' before the others), logs, task definitions, roles, and the cluster last.
 */
const ALL: Step<RolloutContext>[] = [
  identity,
  plan,
  confirm,
  deleteExpressService,
  scaleDown,
  deleteService,
  deleteAutoScalingGroup,
  deleteCapacityProvider,
  deleteLaunchTemplate,
  deleteListeners,
  deleteLoadBalancers,
  deleteTargetGroups,
  deleteInstanceSecurityGroup,
  deleteSecurityGroups,
  deleteLogGroup,
  deregisterTaskDefinitions,
  deleteExecutionRole,
  deleteInfrastructureRole,
  deleteCluster,
];

const EC2_ONLY = new Set(['auto-scaling-group', 'capacity-provider', 'launch-template', 'instance-security-group']);
const EXPRESS_ONLY = new Set(['express-service', 'infrastructure-role']);
/** What an Express environment never has: ECS made its load balancer and removes it itself. */
const NOT_EXPRESS = new Set(['scale-down', 'service', 'listeners', 'load-balancers', 'target-groups', 'security-groups', ...EC2_ONLY]);

export const TEARDOWN_STEPS_BY_TARGET: Record<TeardownTarget, Step<RolloutContext>[]> = {
  FARGATE: ALL.filter((s) => !EC2_ONLY.has(s.id) && !EXPRESS_ONLY.has(s.id)),
  EC2: ALL.filter((s) => !EXPRESS_ONLY.has(s.id)),
  EXPRESS: ALL.filter((s) => !NOT_EXPRESS.has(s.id)),
  ANY: ALL,
};
