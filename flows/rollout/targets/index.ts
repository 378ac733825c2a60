import type { Answers, Outputs, Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { readEnvironment, type LaunchType } from '../environment.js';
import { approvalStep } from '../steps/approval.js';
import { cluster } from '../steps/cluster.js';
import { environment, environmentFile } from '../steps/environment.js';
import { executionRole } from '../steps/execution-role.js';
import { identity } from '../steps/identity.js';
import { image } from '../steps/image.js';
import { listener, loadBalancer, targetGroup } from '../steps/load-balancer.js';
import { logGroup } from '../steps/log-group.js';
import { network } from '../steps/network.js';
import { loadBalancerSecurityGroup, taskSecurityGroup } from '../steps/security-groups.js';
import { autoScalingGroup } from './ec2/auto-scaling-group.js';
import { capacityProvider } from './ec2/capacity-provider.js';
import { instanceRole } from './ec2/instance-role.js';
import { instanceSecurityGroup } from './ec2/instance-security-group.js';
import { launchTemplate } from './ec2/launch-template.js';
import { ec2Service } from './ec2/service.js';
import { ec2TaskDefinition } from './ec2/task-definition.js';
import { ec2Watch } from './ec2/watch.js';
import { expressApproval } from './express/approval.js';
import { infrastructureRole } from './express/infrastructure-role.js';
import { expressService } from './express/service.js';
import { expressWatch } from './express/watch.js';

/**
 * The two targets beside the Fargate service (rollout reference §1), each an ordered list of steps.
 * Steps that mean the same thing keep the Fargate ids (environment, approval, task-definition, service,
 * watch), so journals, summaries and the approval read alike whatever the target.
 */

/** EC2 (chapter 4 done right): Fargate's network and load balancer, plus the capacity the tasks run on. */
export const EC2_RESOURCES: Step<RolloutContext>[] = [
  loadBalancerSecurityGroup,
  taskSecurityGroup,
  instanceSecurityGroup,
  executionRole,
  logGroup,
  cluster,
  instanceRole,
  launchTemplate,
  autoScalingGroup,
  capacityProvider,
  loadBalancer,
  targetGroup,
  listener,
];

/** Express Mode: two roles and the log group; ECS makes the rest. */
export const EXPRESS_RESOURCES: Step<RolloutContext>[] = [executionRole, infrastructureRole, logGroup, cluster];

export function ec2Steps(): Step<RolloutContext>[] {
  return [identity, environment, image, network, approvalStep(EC2_RESOURCES), environmentFile, ...EC2_RESOURCES, ec2TaskDefinition, ec2Service, ec2Watch];
}

export function expressSteps(): Step<RolloutContext>[] {
  return [identity, environment, image, expressApproval(EXPRESS_RESOURCES), environmentFile, ...EXPRESS_RESOURCES, expressService, expressWatch];
}

/**
 * Where an environment's tasks run: its file says so once it exists (it is the truth); a new one's
 * answer says so; anything else is Fargate. A broken file is left to the environment step to report.
 */
export function launchTypeFor(dir: string, answers: Answers | undefined): LaunchType {
  const given = answers?.launchType === 'EC2' || answers?.launchType === 'EXPRESS' ? answers.launchType : 'FARGATE';
  if (typeof answers?.env !== 'string') return given;
  try {
    return readEnvironment(dir, answers.env)?.launchType ?? given;
  } catch {
    return given;
  }
}

/** The end of an Express Mode rollout: its URL; undefined for the other targets. */
export function expressSummary(outputs: Record<string, Outputs>): string[] | undefined {
  const service = outputs.service;
  if (typeof service?.serviceRevisionArn !== 'string') return undefined;
  const revision = service.serviceRevisionArn.split('/').pop();
  const image = String(outputs.image?.image ?? '');
  const endpoint = String(outputs.watch?.endpoint ?? service.endpoint ?? '');
  if (outputs.watch?.detached) {
    return [`Express Mode revision ${revision} started; ECS carries it on.`, `Watch it with \`slipway rollout --env ${String(outputs.environment?.env)}\`.${endpoint ? ` URL when it is up: ${endpoint}` : ''}`];
  }
  const seconds = Math.round(Number(outputs.watch?.deployedMs ?? outputs.watch?.watchedMs ?? 0) / 1000);
  return [`Running at ${endpoint}`, `Express Mode revision ${revision} · ${image.split('@')[1] ?? image} · ready in ${seconds} s`];
}
