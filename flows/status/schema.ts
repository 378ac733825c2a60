import { z } from 'zod';

/**
 * What `slipway status` reports, per environment. `slipway status --json` prints the result object
 * every command prints with --json; its `outputs.report` is a StatusReport. Absent values are null,
 * never missing keys, so scripts can rely on the shape.
 */
export const diagnosisSchema = z
  .object({
    cause: z.string(),
    title: z.string(),
    why: z.string(),
    fix: z.string(),
    /** The API fields (stoppedReason, events, target health) behind the verdict. */
    evidence: z.array(z.string()),
    logLines: z.array(z.string()),
  })
  .strict();

export const lastFailureSchema = z
  .object({
    /** The newest failed task of the failing deployment (null when none was ever placed). */
    taskArn: z.string().nullable(),
    revision: z.string().nullable(),
    stoppedAt: z.iso.datetime().nullable(),
    stopCode: z.string().nullable(),
    stoppedReason: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    diagnosis: diagnosisSchema,
    /**
     * The deployment the failure is from (`ecs-svc/…`, the failed tasks' startedBy), or null when ECS did
     * not say. Optional (like the two below) so reports from before this field still parse.
     */
    deploymentId: z.string().nullable().optional(),
    /** When that deployment started (DescribeServices' createdAt; once ECS no longer lists it, its first failed task's creation), or null. */
    deploymentCreatedAt: z.iso.datetime().nullable().optional(),
    /** True when it is the deployment the service is on now (PRIMARY); false: an earlier deployment's failure, since replaced or rolled back. */
    current: z.boolean().optional(),
  })
  .strict();

const common = {
  env: z.string(),
  /** slipway/environments/<env>.json */
  file: z.string(),
  /** From the environment file; null when it cannot be read. */
  protected: z.boolean().nullable(),
  /** Why the environment file could not be read, or null. */
  fileProblem: z.string().nullable(),
  cluster: z.string(),
  service: z.string(),
};

export const notDeployedSchema = z
  .object({
    ...common,
    deployed: z.literal(false),
    message: z.string(),
  })
  .strict();

/** An ECS Express Mode environment: the service as DescribeExpressGatewayService shows it. */
export const expressSchema = z
  .object({
    serviceArn: z.string(),
    /** PROVISIONING until ECS has made its load balancer, certificate and service (no statusCode yet). */
    status: z.enum(['PROVISIONING', 'ACTIVE', 'DRAINING', 'INACTIVE']),
    statusReason: z.string().nullable(),
    /** The newest active configuration: the service revision that runs. */
    serviceRevisionArn: z.string(),
    /** Its ingress endpoint (https://<service>.ecs.<region>.on.aws), also in `url`. */
    endpoint: z.string().url().nullable(),
    /** The current deployment's status as ECS reports it (SUCCESSFUL, IN_PROGRESS, ROLLBACK_…), or null. */
    deploymentStatus: z.string().nullable(),
  })
  .strict();

export const deployedSchema = z
  .object({
    ...common,
    deployed: z.literal(true),
    /** `family:revision` the PRIMARY deployment runs. */
    revision: z.string(),
    taskDefinitionArn: z.string(),
    image: z.string().nullable(),
    imageDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/).nullable(),
    /** Task counts; null for Express Mode when ECS does not report its deployment's counts. */
    desiredCount: z.number().int().min(0).nullable(),
    runningCount: z.number().int().min(0).nullable(),
    pendingCount: z.number().int().min(0).nullable(),
    rolloutState: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']).nullable(),
    rolloutStateReason: z.string().nullable(),
    /** http://<load balancer DNS name>/, or an Express Mode service's endpoint. */
    url: z.string().url().nullable(),
    lastFailure: lastFailureSchema.nullable(),
    /** Where it runs: FARGATE, EC2 (a capacity provider or the EC2 launch type) or EXPRESS (always present in reports from this version on; optional so older reports still parse). */
    launchType: z.enum(['FARGATE', 'EC2', 'EXPRESS']).optional(),
    /** The Express Mode service, for an EXPRESS environment (null otherwise). */
    express: expressSchema.nullable().optional(),
  })
  .strict();

export const environmentStatusSchema = z.discriminatedUnion('deployed', [notDeployedSchema, deployedSchema]);

export const statusReportSchema = z
  .object({
    app: z.string(),
    region: z.string(),
    account: z.string(),
    environments: z.array(environmentStatusSchema),
  })
  .strict();

/** The whole line `slipway status --json` prints (the common result object around the report). */
export const statusJsonSchema = z.looseObject({
  flow: z.literal('status'),
  status: z.enum(['done', 'failed', 'cancelled']),
  exitCode: z.number().int(),
  outputs: z.looseObject({ report: statusReportSchema }),
});

export type ExpressStatus = z.infer<typeof expressSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type LastFailure = z.infer<typeof lastFailureSchema>;
export type EnvironmentStatus = z.infer<typeof environmentStatusSchema>;
export type StatusReport = z.infer<typeof statusReportSchema>;
