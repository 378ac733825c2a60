import type { NetworkConfiguration } from '@aws-sdk/client-ecs';
import { visible } from '../caller.js';
import { evaluate } from '../policy.js';
import type { IamRole, SandboxState } from '../state.js';
import { placementProblem, scaleOutFor } from './container-instances.js';
import type { EcsTaskDefinition } from './state.js';

/**
 * What the account itself decides about a task before its container runs: whether ECS can launch it
 * at all (roles it can assume, capacity), and whether it gets past network, registry auth, image pull
 * and log driver setup — in the order a Fargate task meets them.
 */

export const EXECUTION_ROLE_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

export interface Launch {
  region: string;
  def: EcsTaskDefinition;
  launchType: string;
  networkConfiguration?: NetworkConfiguration;
  /** The cluster: EC2 tasks are placed on its container instances (container-instances.ts). */
  cluster?: string;
}

/** Why ECS will not start a task at all: RunTask rejects the call, a service reports it in an event. */
export type Blocker =
  | { kind: 'capacity'; reason: string }
  /** `reason`/`code`: registered instances are too full or too small (ECS's closest match, RunTask's RESOURCE:*). */
  | { kind: 'no-instances'; reason?: string; code?: string }
  | { kind: 'client'; message: string };

export const FARGATE_CAPACITY = 'Capacity is unavailable at this time. Please try again later or in a different availability zone';

export function roleByArn(state: SandboxState, arn: string): IamRole | undefined {
  const name = /^arn:aws:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  return name === undefined ? undefined : Object.values(state.iam.roles).find((r) => r.name.toLowerCase() === name.toLowerCase());
}

/** Policy documents are stored as sent, which may be URL-encoded. */
function decoded(document: string): string {
  if (document.trimStart().startsWith('{')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

/** Whether the role's trust policy lets ECS tasks assume it. */
function trustsEcsTasks(role: IamRole): boolean {
  try {
    const doc = JSON.parse(decoded(role.trustPolicy)) as { Statement?: unknown };
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as { Effect?: string; Action?: string | string[]; Principal?: { Service?: string | string[] } | '*' }[];
    return statements.some((s) => {
      const actions = [s?.Action ?? []].flat();
      const services = s?.Principal === '*' ? ['*'] : [s?.Principal?.Service ?? []].flat();
      return s?.Effect === 'Allow' && actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*') && services.some((p) => p === 'ecs-tasks.amazonaws.com' || p === '*');
    });
  } catch {
    return false;
  }
}

export const unableToAssume = (arn: string) =>
  `ECS was unable to assume the role '${arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`;

/** Images from this sandbox's registries need registry auth, i.e. the execution role. */
export function parseImage(state: SandboxState, image: string): { host?: string; ecr?: { account: string; region?: string }; repository: string; tag?: string; digest?: string } {
  const [namePart, digest] = image.split('@') as [string, string | undefined];
  const slash = namePart.indexOf('/');
  const first = slash >= 0 ? namePart.slice(0, slash) : '';
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : undefined;
  const rest = hasHost ? namePart.slice(slash + 1) : namePart;
  const colon = rest.lastIndexOf(':');
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  const ecrHost = host ? /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host) : null;
  const ecr = ecrHost ? { account: ecrHost[1]!, region: ecrHost[2]! } : host && host === state.ecr?.registry?.endpoint ? { account: state.accountId } : undefined;
  return { host, ecr, repository, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

/** Checks ECS makes when it launches: capacity, then the roles it must assume. */
export function launchBlocker(state: SandboxState, launch: Launch, now: number): Blocker | undefined {
  if (launch.launchType === 'EC2' && launch.cluster !== undefined) {
    const problem = placementProblem(state, launch.region, launch.cluster, launch.def, now);
    if (problem) {
      // The placement ECS could not make is what its managed scaling grows the cluster's capacity for.
      scaleOutFor(state, launch.region, launch.cluster, launch.def, now);
      return { kind: 'no-instances', ...problem };
    }
  } else if (launch.launchType === 'EC2' || launch.launchType === 'EXTERNAL') return { kind: 'no-instances' };
  if (state.scenario === 'no-capacity' && launch.launchType !== 'EC2') return { kind: 'capacity', reason: FARGATE_CAPACITY };
  for (const arn of [launch.def.executionRoleArn, launch.def.taskRoleArn]) {
    if (!arn) continue;
    const role = roleByArn(state, arn);
    // A role created moments ago has not propagated through IAM yet (troubleshooting §3.12).
    if (!role || !trustsEcsTasks(role) || !visible(state, role.createdAt, now)) return { kind: 'client', message: unableToAssume(arn) };
  }
  if (!launch.def.executionRoleArn && launch.def.containerDefinitions.some((c) => parseImage(state, c.image ?? '').ecr)) {
    return { kind: 'client', message: 'Fargate requires task definition to have execution role ARN to support ECR images.' };
  }
  return undefined;
}

function rolePolicies(state: SandboxState, role: IamRole): string[] {
  const docs = Object.values(role.inlinePolicies).map(decoded);
  for (const arn of role.attachedPolicies) {
    const policy = state.iam.policies[arn];
    const version = policy?.versions.find((v) => v.id === policy.defaultVersionId);
    if (version) docs.push(decoded(version.document));
  }
  return docs;
}

/** The first of `actions` the execution role may not perform, or undefined if it may do all. */
function deniedAction(state: SandboxState, role: IamRole, actions: [string, string][]): [string, string] | undefined {
  // The managed execution policy may not be seeded in older sandboxes: its attachment alone suffices.
  if (role.attachedPolicies.includes(EXECUTION_ROLE_POLICY)) return undefined;
  const docs = rolePolicies(state, role);
  return actions.find(([action, resource]) => evaluate(docs, action, resource, {}) !== 'allow');
}

const accessDenied = (state: SandboxState, role: IamRole, taskId: string, [action, resource]: [string, string]) =>
  `AccessDeniedException: User: arn:aws:sts::${state.accountId}:assumed-role/${role.name}/${taskId} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

const LOGGER = 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream';
const REGISTRY_AUTH = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s)';

/**
 * Why a task will stop before its container runs (the stoppedReason of a TaskFailedToStart), or
 * undefined when it gets that far. Follows the order a Fargate task meets them: the network path,
 * registry auth, the image pull, the log driver.
 */
export function startFailure(state: SandboxState, launch: Launch, taskId: string): string | undefined {
  const { def, region } = launch;
  const images = def.containerDefinitions.map((c) => ({ image: c.image ?? '', ref: parseImage(state, c.image ?? '') }));
  const logs = def.containerDefinitions.flatMap((c) => (c.logConfiguration?.logDriver === 'awslogs' ? [{ container: c.name ?? '', options: c.logConfiguration.options ?? {} }] : []));
  const awsvpc = launch.networkConfiguration?.awsvpcConfiguration;
  // Every sandbox subnet is public without a NAT gateway: only a public IP reaches ECR and CloudWatch.
  if (launch.launchType === 'FARGATE' && awsvpc && awsvpc.assignPublicIp !== 'ENABLED') {
    if (images.some((i) => i.ref.ecr)) {
      return `${REGISTRY_AUTH}: RequestError: send request failed caused by: Post "https://api.ecr.${region}.amazonaws.com/": dial tcp 52.46.144.105:443: i/o timeout. Please check your task network configuration.`;
    }
    const first = images[0]!;
    return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${first.image}: failed to do request: Head "https://${first.ref.host ?? 'registry-1.docker.io'}/v2/${first.ref.repository}/manifests/${first.ref.digest ?? first.ref.tag}": dial tcp 54.236.113.205:443: i/o timeout`;
  }
  const role = def.executionRoleArn ? roleByArn(state, def.executionRoleArn) : undefined;
  for (const { image, ref } of images) {
    if (!ref.ecr) continue;
    const repositoryArn = `arn:aws:ecr:${ref.ecr.region ?? region}:${ref.ecr.account}:repository/${ref.repository}`;
    const denied = role && deniedAction(state, role, [['ecr:GetAuthorizationToken', '*'], ['ecr:BatchGetImage', repositoryArn], ['ecr:GetDownloadUrlForLayer', repositoryArn]]);
    if (role && denied) return `${REGISTRY_AUTH}: ${accessDenied(state, role, taskId, denied)}. Please check your task network configuration.`;
    if (!imageExists(state, ref, region)) return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`;
  }
  for (const { container, options } of logs) {
    const logRegion = options['awslogs-region'] ?? region;
    const group = options['awslogs-group'] ?? '';
    if (!state.logs?.groups[logRegion]?.[group] && options['awslogs-create-group'] !== 'true') {
      return `${LOGGER}: ResourceNotFoundException: The specified log group does not exist. : exit status 1`;
    }
    const stream = `arn:aws:logs:${logRegion}:${state.accountId}:log-group:${group}:log-stream:${options['awslogs-stream-prefix'] ?? ''}/${container}/${taskId}`;
    const denied = role && deniedAction(state, role, [['logs:CreateLogStream', stream], ['logs:PutLogEvents', stream]]);
    if (role && denied) return `${LOGGER}: ${accessDenied(state, role, taskId, denied)} : exit status 1`;
  }
  return undefined;
}

/**
 * Whether an ECR image is in the sandbox. Images pushed to a configured registry cannot be checked
 * synchronously: they count as present (the publish flow verifies them with DescribeImages).
 */
function imageExists(state: SandboxState, ref: ReturnType<typeof parseImage>, region: string): boolean {
  if (!ref.ecr || ref.ecr.account !== state.accountId) return false;
  if (state.ecr?.registry) return true;
  const repository = state.ecr?.repositories[ref.ecr.region ?? region]?.[ref.repository];
  if (!repository) return false;
  // A digest wins over a tag in the same reference, as in Docker.
  return repository.images.some((i) => (ref.digest ? i.digest === ref.digest : i.tags.includes(ref.tag ?? 'latest')));
}
