import { describe, expect, it } from 'vitest';
import { diagnose, diagnosisLines, type Evidence } from '../../../flows/rollout/diagnosis/index.js';

const settings: Evidence['settings'] = {
  containerPort: 8080,
  healthCheckPath: '/',
  healthCheckGracePeriodSeconds: 60,
  cpuArchitecture: 'X86_64',
  cpu: 256,
  memory: 512,
  executionRole: 'todo-dev-ecs-execution',
  logGroup: '/slipway/todo/dev',
};

function evidence(over: Partial<Evidence>): Evidence {
  return { stoppedTasks: [], events: [], targetHealth: [], logLines: [], settings, ...over };
}
const stopped = (stoppedReason: string, extra: object = {}) => ({ stopCode: 'TaskFailedToStart', stoppedReason, ...extra });

describe('diagnose: each failure mode of troubleshooting.md §3 from the API fields', () => {
  const cases: [string, Partial<Evidence>, string, RegExp][] = [
    ['image not found', { stoppedTasks: [stopped('CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 1.dkr.ecr.us-east-1.amazonaws.com/apps/todo@sha256:ab: not found')] }, 'image-not-found', /slipway publish/],
    ['execution role lacks ECR', { stoppedTasks: [stopped('ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: User: arn:aws:sts::1:assumed-role/x is not authorized to perform: ecr:GetAuthorizationToken')] }, 'execution-role-permissions', /AmazonECSTaskExecutionRolePolicy/],
    ['no route to ECR', { stoppedTasks: [stopped('ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.0.1:443: i/o timeout')] }, 'no-route-to-ecr', /public IP|NAT/],
    ['log group missing', { stoppedTasks: [stopped('ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1')] }, 'log-group-missing', /log group/],
    ['exec format error (arm64 image)', { stoppedTasks: [{ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 255 }] }], logLines: ['exec /usr/local/bin/docker-entrypoint.sh: exec format error'] }, 'exec-format', /--platform linux\/amd64/],
    ['out of memory', { stoppedTasks: [{ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] }] }, 'out-of-memory', /more memory/],
    ['crash loop', { stoppedTasks: [{ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 1 }] }], logLines: ['Starting…', 'Error: DATABASE_URL is not set'] }, 'essential-container-exited', /log lines/],
    ['health check 404', { stoppedTasks: [{ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/todo-dev-tg/abc)' }], targetHealth: [{ state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' }] }, 'health-check-failing', /healthCheckPath/],
    ['health check timeout', { events: ['(service todo-dev) (port 8080) is unhealthy in (target-group arn:x) due to (reason Request timed out).'], targetHealth: [{ state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' }] }, 'health-check-failing', /containerPort/],
    ['invalid cpu/memory', { events: ['Invalid \'cpu\' setting for task.'] }, 'invalid-task-size', /valid pair/],
    ['IAM not propagated', { events: ["(service todo-dev) failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::1:role/todo-dev-ecs-execution' that was provided for this task.)."] }, 'iam-not-propagated', /Wait a minute/],
    ['no capacity', { events: ['(service todo-dev) was unable to place a task because no container instance met all of its requirements.'] }, 'no-capacity', /quota/],
    ['stuck pending', { timedOut: true, deployment: { pendingCount: 1, runningCount: 0, desiredCount: 1, rolloutState: 'IN_PROGRESS' } }, 'stuck-pending', /Re-attach/],
  ];
  for (const [name, over, cause, fix] of cases) {
    it(name, () => {
      const d = diagnose(evidence(over));
      expect(d.cause).toBe(cause);
      expect(d.fix).toMatch(fix);
      expect(d.evidence.length).toBeGreaterThan(0);
    });
  }

  it('quotes the failed container’s last log lines for a crash', () => {
    const d = diagnose(evidence({ stoppedTasks: [{ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ exitCode: 1 }] }], logLines: ['a', 'Error: boom'] }));
    expect(d.title).toContain('code 1');
    expect(diagnosisLines(d)).toContain('  │ Error: boom');
  });

  it('says it does not know rather than guessing, and shows what ECS said', () => {
    const d = diagnose(evidence({ deployment: { rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' } }));
    expect(d.cause).toBe('unknown');
    expect(d.evidence).toEqual(['ECS deployment circuit breaker: tasks failed to start.']);
  });

  it('a normal scale-in stop is not mistaken for a failure cause', () => {
    const d = diagnose(evidence({ stoppedTasks: [{ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)' }] }));
    expect(d.cause).toBe('unknown');
  });

  it('an ARM64 environment is told to build for arm64', () => {
    const d = diagnose({ ...evidence({ logLines: ['exec /app: exec format error'] }), settings: { ...settings, cpuArchitecture: 'ARM64' } });
    expect(d.fix).toContain('linux/arm64');
  });
});
