import type { Cause, Diagnosis, Evidence, StoppedTask } from './evidence.js';

/**
 * One rule per failure mode of troubleshooting.md §3, each a pure function of the API fields. Rules are
 * tried in the reference's diagnosis order — what stopped the tasks first, then load balancer health,
 * then placement and time — and the first that matches explains the failure.
 */
export interface Rule {
  cause: Cause;
  /** The explanation, or anything falsy when the rule does not apply. */
  match(e: Evidence): Omit<Diagnosis, 'cause'> | undefined | false | '';
}

const reasons = (e: Evidence) => e.stoppedTasks.map((t) => t.stoppedReason ?? '').filter(Boolean);
const firstReason = (e: Evidence, test: RegExp) => reasons(e).find((r) => test.test(r));
const containersOf = (e: Evidence) => e.stoppedTasks.flatMap((t) => (t.containers ?? []).map((c) => ({ task: t, container: c })));
const quote = (s: string) => `“${s.length > 600 ? `${s.slice(0, 597)}…` : s}”`;

export const RULES: Rule[] = [
  {
    cause: 'invalid-task-size',
    match: (e) => {
      const hit = [...reasons(e), ...e.events].find((r) => /Invalid '(cpu|memory)' setting|No Fargate configuration exists/i.test(r));
      return hit && {
        title: 'Fargate does not offer this task size',
        why: `${e.settings.cpu} CPU with ${e.settings.memory} MiB is not a Fargate size.`,
        fix: 'Set cpu/memory in the environment file to a valid pair (e.g. 256/512, 512/1024, 1024/2048) and roll out again.',
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'iam-not-propagated',
    match: (e) => {
      const hit = [...reasons(e), ...e.events].find((r) => /unable to assume the role|Unable to assume the service linked role/i.test(r));
      return hit && {
        title: 'ECS could not use the new IAM role yet',
        why: 'IAM is eventually consistent: a role made a minute ago may not be usable by ECS yet. If it persists, the role’s trust policy does not allow ecs-tasks.amazonaws.com.',
        fix: `Wait a minute and roll out again. If it repeats, check that ${e.settings.executionRole} trusts ecs-tasks.amazonaws.com and that you may iam:PassRole it.`,
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'image-not-found',
    match: (e) => {
      const hit = firstReason(e, /CannotPullContainerError.*(not found|manifest unknown)|failed to resolve ref/i);
      return hit && {
        title: 'The image is not in ECR',
        why: 'ECS could not find the image digest in the repository (a different region or account, or it expired under the lifecycle policy).',
        fix: 'Run `slipway publish` in this region and account, then roll out again (slipway deploys the digest publish recorded).',
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'execution-role-permissions',
    match: (e) => {
      const hit = firstReason(e, /(AccessDenied|403 Forbidden|not authorized to perform)/i);
      if (!hit) return undefined;
      const logs = /logger|logs:|log group/i.test(hit);
      return {
        title: logs ? 'The task execution role may not write logs' : 'The task execution role may not pull from ECR',
        why: `Fargate pulls the image and writes logs with the execution role (${e.settings.executionRole}), not the task role; it lacks ${logs ? 'logs:CreateLogStream / logs:PutLogEvents' : 'ecr:GetAuthorizationToken / ecr:BatchGetImage'}.`,
        fix: `Attach arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy to ${e.settings.executionRole} (slipway’s roles step does this — roll out again to repair it).`,
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'log-group-missing',
    match: (e) => {
      const hit = firstReason(e, /log group does not exist|failed to validate logger args.*ResourceNotFound/i);
      return hit && {
        title: 'The log group does not exist',
        why: `The awslogs driver needs ${e.settings.logGroup} before a task starts, and it is missing (deleted by hand?).`,
        fix: 'Roll out again: slipway recreates the log group before the tasks start.',
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'no-route-to-ecr',
    match: (e) => {
      const hit = firstReason(e, /i\/o timeout|context deadline exceeded|Client\.Timeout|unable to retrieve ecr registry auth/i);
      return hit && {
        title: 'The tasks cannot reach ECR',
        why: 'A Fargate task pulls through its own network interface: in a public subnet it needs a public IP; in a private subnet, a NAT gateway or VPC endpoints (ecr.api, ecr.dkr, logs, S3).',
        fix: 'Keep "network.public": true in the environment file (tasks get a public IP), or give the private subnets a NAT gateway or the VPC endpoints.',
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'exec-format',
    match: (e) => {
      const line = e.logLines.find((l) => /exec format error/i.test(l));
      const hit = line ?? firstReason(e, /exec format error|does not contain descriptor matching platform/i);
      return hit && {
        title: `The image was built for another CPU than ${e.settings.cpuArchitecture}`,
        why: 'An arm64 image (built on Apple Silicon) cannot run on x86_64 tasks, or the other way round: the kernel refuses to start it.',
        fix: e.settings.cpuArchitecture === 'X86_64'
          ? 'Publish with `slipway publish --platform linux/amd64`, or set "cpuArchitecture": "ARM64" in the environment file.'
          : 'Publish with `slipway publish --platform linux/arm64`, or set "cpuArchitecture": "X86_64" in the environment file.',
        evidence: [quote(hit)],
        logLines: e.logLines.slice(-10),
      };
    },
  },
  {
    cause: 'out-of-memory',
    match: (e) => {
      const hit = containersOf(e).find(({ container }) => /OutOfMemory/i.test(container.reason ?? '') || (container.exitCode === 137 && /memory/i.test(container.reason ?? '')));
      return hit && {
        title: 'The container ran out of memory',
        why: `It was killed at its ${e.settings.memory} MiB limit (exit code 137).`,
        fix: 'Give the task more memory: a larger cpu/memory pair in the environment file (e.g. 512/1024 → 512/2048), then roll out again.',
        evidence: [quote(hit.container.reason ?? 'exit code 137')],
        logLines: e.logLines.slice(-10),
      };
    },
  },
  {
    cause: 'health-check-failing',
    match: (e) => {
      const unhealthy = e.targetHealth.find((t) => t.state === 'unhealthy');
      const hit = firstReason(e, /failed ELB health checks/i) ?? e.events.find((m) => /unhealthy in \(target-group/i.test(m));
      if (!hit && !unhealthy) return undefined;
      const said = [unhealthy?.description ?? '', hit ?? '', ...e.events.filter((m) => /unhealthy in \(target-group/i.test(m))].join(' ');
      const codes = /codes: \[([^\]]*)\]/.exec(said)?.[1];
      const timeout = /Timeout|timed out/i.test(`${unhealthy?.reason ?? ''} ${hit ?? ''}`);
      return {
        title: 'The load balancer’s health check fails',
        why: codes
          ? `GET ${e.settings.healthCheckPath} on port ${e.settings.containerPort} answered ${codes}; the target group wants 200–399.`
          : timeout
            ? `GET ${e.settings.healthCheckPath} on port ${e.settings.containerPort} did not answer in time: the app listens on another port or on 127.0.0.1, or starts slower than the ${e.settings.healthCheckGracePeriodSeconds} s grace period.`
            : `The tasks never passed GET ${e.settings.healthCheckPath} on port ${e.settings.containerPort}.`,
        fix: codes
          ? 'Set "healthCheckPath" in the environment file to a path your app answers with 200 (e.g. /health), then roll out again.'
          : 'Check "containerPort" matches the port the app listens on (on 0.0.0.0), or raise "healthCheckGracePeriodSeconds" for a slow start.',
        evidence: [hit, unhealthy && `target ${unhealthy.reason ?? ''}: ${unhealthy.description ?? ''}`].filter((x): x is string => Boolean(x)).map(quote),
      };
    },
  },
  {
    cause: 'essential-container-exited',
    match: (e) => {
      const task = e.stoppedTasks.find((t) => t.stopCode === 'EssentialContainerExited' || /Essential container in task exited/i.test(t.stoppedReason ?? ''));
      if (!task) return undefined;
      const container = (task.containers ?? []).find((c) => c.exitCode !== undefined && c.exitCode !== null) ?? task.containers?.[0];
      const code = container?.exitCode;
      return {
        title: `The app exited${code !== undefined ? ` with code ${code}` : ''} right after starting`,
        why: `${exitMeaning(code)} A service’s container must keep running.`,
        fix: 'Read the app’s log lines (shown with this diagnosis); run the image locally with the same environment (docker run -e …) to reproduce, fix, publish and roll out again.',
        evidence: [quote(task.stoppedReason ?? 'Essential container in task exited'), ...(container?.reason ? [quote(container.reason)] : [])],
        logLines: e.logLines.slice(-15),
      };
    },
  },
  // EC2 capacity first: their reasons are precise where the general placement rule below is not.
  { cause: 'no-capacity', match: (e) => noContainerInstances(e) },
  { cause: 'no-capacity', match: (e) => insufficientResources(e) },
  {
    cause: 'no-capacity',
    match: (e) => {
      const hit = e.events.find((m) => /unable to place a task|Capacity is unavailable|insufficient/i.test(m));
      return hit && {
        title: 'ECS could not place the tasks',
        why: 'No capacity matched the task (Fargate capacity in these Availability Zones, or a quota on running tasks). Unplaced tasks do not count as failures, so the circuit breaker never trips.',
        fix: 'Try again later or in other subnets/Availability Zones; check the Fargate vCPU quota in Service Quotas.',
        evidence: [quote(hit)],
      };
    },
  },
  {
    cause: 'stuck-pending',
    match: (e) =>
      e.timedOut && (e.deployment?.pendingCount ?? 0) > 0 && (e.deployment?.runningCount ?? 0) === 0
        ? {
            title: 'The tasks never left PENDING',
            why: 'They are still being provisioned: usually a slow image pull, no free IPs in the subnets, or a network path that hangs (it ends as a pull error).',
            fix: 'Re-attach later with `slipway rollout --env <env>` (ECS keeps trying), or check the subnets’ free IP addresses and the route to ECR.',
            evidence: [`pending ${e.deployment?.pendingCount}, running ${e.deployment?.runningCount} of ${e.deployment?.desiredCount}`],
          }
        : undefined,
  },
];

/**
 * What the watch of an EC2 environment adds to the evidence: its container instances and the Auto Scaling
 * group behind them (ListContainerInstances/DescribeContainerInstances, DescribeAutoScalingGroups,
 * DescribeScalingActivities).
 */
export interface CapacityEvidence {
  cluster: string;
  /** Container instances ACTIVE in the cluster, and how many of them have a connected agent. */
  registered: number;
  connected: number;
  /** The most CPU units and MiB one registered instance still has free. */
  largestFree?: { cpu: number; memory: number };
  group?: { name: string; desiredCapacity: number; minSize: number; maxSize: number; inService: number; instanceType?: string };
  /** The last launch Auto Scaling could not make (its StatusMessage). */
  launchFailure?: string;
}

export type Ec2Evidence = Evidence & { capacity?: CapacityEvidence };

const capacityOf = (e: Evidence) => (e as Ec2Evidence).capacity;
const NO_INSTANCES = /No Container Instances were found in your cluster/i;
const TOO_SMALL = /has insufficient (memory|CPU units?|CPU) available/i;

/**
 * troubleshooting.md §3.2, "nothing registered": ECS found no container instance in the cluster. The
 * capacity evidence says why — a group kept at 0, launches EC2 refuses, or instances whose agent never
 * joined — and the fix follows from it.
 */
export function noContainerInstances(e: Evidence): Omit<Diagnosis, 'cause'> | undefined {
  const capacity = capacityOf(e);
  // Instances registered now: an early "no container instances" event (from before they joined) is history.
  if (capacity !== undefined && capacity.registered > 0) return undefined;
  const hit = e.events.find((m) => NO_INSTANCES.test(m));
  const none = capacity !== undefined && capacity.registered === 0;
  if (!hit && !(none && e.events.some((m) => /unable to place a task/i.test(m)))) return undefined;
  const evidence = [hit ?? e.events.find((m) => /unable to place a task/i.test(m)) ?? ''].filter(Boolean).map(quote);
  const group = capacity?.group;
  const title = 'No EC2 container instances are registered in the cluster';
  if (capacity?.launchFailure) {
    return {
      title,
      why: `Auto Scaling cannot launch the instances: ${capacity.launchFailure}`,
      fix: /key pair/i.test(capacity.launchFailure)
        ? 'Set "ec2.keyPair" to a key pair of this region (`slipway bootstrap` imports one) or remove it, then roll out again.'
        : /Instance Profile/i.test(capacity.launchFailure)
          ? 'A new instance profile takes a little while to reach EC2: wait a minute and roll out again (slipway waits for it). If it repeats, check that the instance profile ecsInstanceRole exists.'
          : /architecture/i.test(capacity.launchFailure)
            ? 'Make "ec2.instanceType" and "cpuArchitecture" agree (t3.* is X86_64, t4g.* ARM64), then roll out again.'
            : 'Fix what Auto Scaling reports (its scaling activities in the EC2 console), then roll out again.',
      evidence: [...evidence, quote(capacity.launchFailure)],
    };
  }
  if (group && group.maxSize === 0) {
    return {
      title,
      why: `The Auto Scaling group ${group.name} may run no instances at all (maxSize 0), so ECS has nowhere to place the tasks — not even by scaling out.`,
      fix: 'Raise "ec2.maxSize" and "ec2.desiredCapacity" in the environment file (e.g. 1 and 2), then roll out again.',
      evidence: [...evidence, `Auto Scaling group ${group.name}: desired ${group.desiredCapacity}, min ${group.minSize}, max ${group.maxSize}`],
    };
  }
  if (group && group.desiredCapacity === 0) {
    return {
      title,
      why: `The Auto Scaling group ${group.name} wants 0 instances. ECS managed scaling should raise it (up to ${group.maxSize}) for tasks that wait; until an instance has registered, nothing runs.`,
      fix: 'Set "ec2.desiredCapacity" (and "ec2.minSize") to at least 1 in the environment file and roll out again; or wait a few minutes for managed scaling.',
      evidence: [...evidence, `Auto Scaling group ${group.name}: desired 0, min ${group.minSize}, max ${group.maxSize}`],
    };
  }
  if (group && group.inService > 0) {
    return {
      title,
      why: `${group.inService} instance${group.inService === 1 ? ' runs' : 's run'} in ${group.name}, but no ECS agent joined ${capacity?.cluster}: the instance profile lacks AmazonEC2ContainerServiceforEC2Role, ECS_CLUSTER in the user data names another cluster, the AMI is not ECS-optimized, or the instances cannot reach the ECS endpoint (no public IP, NAT or VPC endpoint).`,
      fix: `Check the instance role (ecsInstanceRole) and the launch template's user data; on an instance, \`curl -s localhost:51678/v1/metadata\` shows the cluster it joined and /var/log/ecs/ecs-agent.log why not.`,
      evidence: [...evidence, `Auto Scaling group ${group.name}: ${group.inService} InService, 0 registered in ${capacity?.cluster}`],
    };
  }
  return {
    title,
    why: group
      ? `The Auto Scaling group ${group.name} has no instance in service yet (desired ${group.desiredCapacity}); they start and register within a few minutes.`
      : 'No instance has joined the cluster: the Auto Scaling group is at 0 or failing to launch, or the agent cannot register (instance profile, ECS_CLUSTER, network).',
    fix: group ? `Run \`slipway rollout --env <env>\` again in a few minutes to watch it; the group's scaling activities say what holds it up.` : 'Check the Auto Scaling group (desired capacity, scaling activities) and the instance role.',
    evidence,
  };
}

/**
 * troubleshooting.md §3.2, "insufficient memory/CPU": instances are registered, but none has room for
 * another task of this size (too small a type, or full).
 */
export function insufficientResources(e: Evidence): Omit<Diagnosis, 'cause'> | undefined {
  const hit = e.events.find((m) => TOO_SMALL.test(m));
  if (!hit) return undefined;
  const memory = /memory/i.test(TOO_SMALL.exec(hit)?.[1] ?? '');
  const capacity = capacityOf(e);
  const free = capacity?.largestFree;
  const type = capacity?.group?.instanceType;
  const need = memory ? `${e.settings.memory} MiB` : `${e.settings.cpu} CPU units`;
  const have = free ? (memory ? `${free.memory} MiB` : `${free.cpu} CPU units`) : undefined;
  return {
    title: `The EC2 instances have too little ${memory ? 'memory' : 'CPU'} free for another task`,
    why: `Each task reserves ${need} on an instance${have ? `; the roomiest ${type ?? 'instance'} has ${have} free` : ''}. A rolling deployment needs room for the new tasks beside the old ones.`,
    fix: `Choose a larger "ec2.instanceType", allow more instances ("ec2.maxSize", so managed scaling can add one), or give the task less ${memory ? '"memory"' : '"cpu"'} in the environment file; then roll out again.`,
    evidence: [quote(hit), ...(capacity?.group ? [`Auto Scaling group ${capacity.group.name}: ${capacity.registered} registered, desired ${capacity.group.desiredCapacity}, max ${capacity.group.maxSize}`] : [])],
  };
}

function exitMeaning(code: number | undefined): string {
  switch (code) {
    case 0: return 'Exit code 0: the process finished, as a job would.';
    case 1: return 'Exit code 1: an application error (a missing setting, a dependency it could not reach).';
    case 126: return 'Exit code 126: the command is not executable.';
    case 127: return 'Exit code 127: the command was not found (a typo in the command, or a missing binary).';
    case 137: return 'Exit code 137: killed (out of memory, or it ignored SIGTERM).';
    case 139: return 'Exit code 139: a segmentation fault.';
    case 143: return 'Exit code 143: it was stopped with SIGTERM.';
    case undefined: return 'It stopped.';
    default: return `Exit code ${code}: the app reported an error.`;
  }
}

export type { StoppedTask };
