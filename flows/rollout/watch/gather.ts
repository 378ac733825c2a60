import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RolloutContext } from '../context.js';
import type { Evidence, StoppedTask } from '../diagnosis/index.js';

/** Stopped tasks of one revision, newest first (ECS keeps them visible for about an hour). */
export async function stoppedTasks(c: RolloutContext, taskDefinitionArn: string): Promise<Task[]> {
  const ecs = await c.ecs();
  const arns = (await ecs.send(new ListTasksCommand({ cluster: c.names.cluster, serviceName: c.names.service, desiredStatus: 'STOPPED' }), { abortSignal: c.signal })).taskArns ?? [];
  if (arns.length === 0) return [];
  const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: arns.slice(0, 100) }), { abortSignal: c.signal })).tasks ?? [];
  return tasks.filter((t) => t.taskDefinitionArn === taskDefinitionArn).sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}

export function asStopped(t: Task): StoppedTask {
  return {
    taskArn: t.taskArn,
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
    containers: (t.containers ?? []).map((k) => ({ name: k.name, exitCode: k.exitCode, reason: k.reason, healthStatus: k.healthStatus })),
  };
}

export async function targetHealth(c: RolloutContext) {
  const elb = await c.elbv2();
  const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: c.output('target-group', 'arn') }), { abortSignal: c.signal }).catch(() => undefined);
  return (out?.TargetHealthDescriptions ?? []).map((d) => ({ state: d.TargetHealth?.State, reason: d.TargetHealth?.Reason, description: d.TargetHealth?.Description }));
}

/** The last lines a task's container logged: stream `ecs/<container>/<task id>` (awslogs-stream-prefix "ecs"). */
export async function lastLogLines(c: RolloutContext, taskArn: string | undefined, limit = 20): Promise<string[]> {
  if (!taskArn) return [];
  const taskId = taskArn.split('/').pop();
  const logs = await c.logs();
  const out = await logs
    .send(new GetLogEventsCommand({ logGroupName: c.names.logGroup, logStreamName: `ecs/${c.names.container}/${taskId}`, startFromHead: false, limit }), { abortSignal: c.signal })
    .catch(() => undefined);
  return (out?.events ?? []).map((e) => e.message ?? '').filter(Boolean);
}

/** The environment's settings a diagnosis explains itself with (port, health path, size, role, log group). */
export function diagnosisSettings(c: RolloutContext): Evidence['settings'] {
  const env = c.environment();
  return {
    containerPort: env.containerPort,
    healthCheckPath: env.healthCheckPath,
    healthCheckGracePeriodSeconds: env.healthCheckGracePeriodSeconds,
    cpuArchitecture: env.cpuArchitecture,
    cpu: env.cpu,
    memory: env.memory,
    executionRole: c.names.executionRole,
    logGroup: c.names.logGroup,
  };
}
