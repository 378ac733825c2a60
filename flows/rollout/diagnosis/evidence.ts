/**
 * What the watch gathers when a deployment goes wrong, in the APIs' own field names (DescribeServices,
 * DescribeTasks, DescribeTargetHealth, GetLogEvents), so each rule reads like troubleshooting.md.
 */
export interface StoppedTask {
  taskArn?: string;
  stopCode?: string;
  stoppedReason?: string;
  containers?: { name?: string; exitCode?: number; reason?: string; healthStatus?: string }[];
}

export interface DeploymentView {
  id?: string;
  status?: string;
  taskDefinition?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  failedTasks?: number;
}

export interface Evidence {
  deployment?: DeploymentView;
  /** Our deployment is gone and an older revision is PRIMARY again: the circuit breaker rolled back. */
  rolledBack?: boolean;
  /** Stopped tasks of our deployment, newest first. */
  stoppedTasks: StoppedTask[];
  /** Service events, newest first (as DescribeServices returns them). */
  events: string[];
  targetHealth: { state?: string; reason?: string; description?: string }[];
  /** The last lines the failed container logged (GetLogEvents on its awslogs stream). */
  logLines: string[];
  /** The watch ran out of time with the deployment still IN_PROGRESS. */
  timedOut?: boolean;
  settings: {
    containerPort: number;
    healthCheckPath: string;
    healthCheckGracePeriodSeconds: number;
    cpuArchitecture: string;
    cpu: number;
    memory: number;
    executionRole: string;
    logGroup: string;
  };
}

export type Cause =
  | 'image-not-found'
  | 'execution-role-permissions'
  | 'no-route-to-ecr'
  | 'log-group-missing'
  | 'exec-format'
  | 'out-of-memory'
  | 'essential-container-exited'
  | 'health-check-failing'
  | 'invalid-task-size'
  | 'iam-not-propagated'
  | 'no-capacity'
  | 'stuck-pending'
  | 'unknown';

/** A cause in plain words, the fix, and the API fields that showed it. */
export interface Diagnosis {
  cause: Cause;
  title: string;
  why: string;
  fix: string;
  /** Quoted API fields (stoppedReason, events, target health) behind the verdict. */
  evidence: string[];
  /** The failed container's last log lines, when they tell the story. */
  logLines?: string[];
}
