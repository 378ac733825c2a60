/**
 * The simulated account as plain JSON, so it can be written to one file and read back by another
 * process (the slipway binary and the test driving it share a sandbox). Times are epoch milliseconds
 * on the sandbox clock; names keep the case they were created with.
 */
export interface SandboxState {
  version: 1;
  accountId: string;
  /** IAM allows one alias per account; a list because the API returns one. */
  aliases: string[];
  /** How long new users, roles, keys and group memberships stay invisible to authentication. */
  propagationSeconds: number;
  /** `offsetMs` moves sandbox time ahead of the wall clock; `sequence` drives seeded ids. */
  clock: { offsetMs: number; sequence: number };
  /** Present when ids come from a seed, so a reopened sandbox keeps producing the same ones. */
  seed?: string;
  iam: {
    users: Record<string, IamUser>;
    groups: Record<string, IamGroup>;
    roles: Record<string, IamRole>;
    /** By ARN; includes the AWS managed policies the account can attach. */
    policies: Record<string, ManagedPolicy>;
    /** Virtual MFA devices by serial number (an ARN). */
    mfaDevices: Record<string, VirtualMfaDevice>;
    passwordPolicy?: PasswordPolicy;
    /** By name; absent in sandboxes saved before instance profiles were simulated. */
    instanceProfiles?: Record<string, IamInstanceProfile>;
  };
  sts: { sessions: Record<string, StsSession> };
  /**
   * Key pairs are regional: region → key name → key pair. Security groups (region → group id) appear
   * with the first call that needs them; the default VPC and its subnets are derived, not stored.
   */
  ec2: { keyPairs: Record<string, Record<string, Ec2KeyPair>>; securityGroups?: Record<string, Record<string, Ec2SecurityGroup>>; noDefaultVpc?: string[] };
  /** Absent in sandboxes saved before ECR was simulated; created by the first call that needs it. */
  ecr?: EcrState;
  /** ECS (clusters, task definitions, services, deployments, tasks); owned by src/sandbox/ecs/. */
  ecs?: EcsState;
  elbv2?: Elbv2State;
  logs?: LogsState;
  /** What the sandbox's next ECS deployments do, to rehearse a failure (`slipway sandbox scenario`). */
  scenario?: RolloutScenario;
}

/**
 * Failure rehearsals. Failures that follow from the account itself need no scenario: an image digest
 * missing from ECR fails to pull, an execution role without ECR/logs permissions fails, a task without
 * a public IP cannot reach ECR, a missing log group fails the task.
 */
export type RolloutScenario =
  | 'success'
  | 'crash-loop' // the essential container exits 1 after printing a few log lines
  | 'health-check-failing' // the container runs, the target group's health check gets 404
  | 'out-of-memory' // the container is killed (OutOfMemoryError, exit 137)
  | 'exec-format' // an arm64 image on X86_64: exec format error, exit 255
  | 'stuck-pending' // tasks never leave PROVISIONING
  | 'no-capacity'; // placement fails (service event "unable to place a task")

export interface Ec2SecurityGroup {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  ingress: Ec2Permission[];
  egress: Ec2Permission[];
}

/** One IpPermission, as EC2 takes and returns it (one rule per source). */
export interface Ec2Permission {
  protocol: string; // "tcp" | "udp" | "icmp" | "-1"
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  /** Source security group id. */
  groupId?: string;
  description?: string;
}

export interface Elbv2State {
  /** region → ARN → resource. */
  loadBalancers: Record<string, Record<string, Elbv2LoadBalancer>>;
  targetGroups: Record<string, Record<string, Elbv2TargetGroup>>;
  listeners: Record<string, Record<string, Elbv2Listener>>;
}

export interface Elbv2LoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal';
  type: 'application';
  vpcId: string;
  subnets: { subnetId: string; zoneName: string }[];
  securityGroups: string[];
  /** provisioning → active a few seconds after creation. */
  createdAt: number;
  tags: Tag[];
}

export interface Elbv2TargetGroup {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  vpcId: string;
  targetType: 'ip' | 'instance';
  healthCheckPath: string;
  healthCheckPort: string;
  healthCheckIntervalSeconds: number;
  /** Absent in target groups stored before it was kept: 5, the default for HTTP. */
  healthCheckTimeoutSeconds?: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  matcher: string;
  tags: Tag[];
  /** Registered by ECS as its tasks start and stop (the ECS fake writes these). */
  targets: Elbv2Target[];
}

export interface Elbv2Target {
  id: string;
  port: number;
  state: 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';
  /** Target.ResponseCodeMismatch, Target.Timeout, Elb.RegistrationInProgress … */
  reason?: string;
  description?: string;
}

export interface Elbv2Listener {
  arn: string;
  loadBalancerArn: string;
  protocol: string;
  port: number;
  /** forward → target group ARN */
  targetGroupArn: string;
  tags: Tag[];
}

export interface LogsState {
  /** region → log group name → group. */
  groups: Record<string, Record<string, LogGroup>>;
}

export interface LogGroup {
  name: string;
  arn: string;
  createdAt: number;
  retentionInDays?: number;
  tags: Record<string, string>;
  /** stream name → stream; ECS tasks write `<prefix>/<container>/<task-id>` streams here. */
  streams: Record<string, LogStream>;
}

export interface LogStream {
  name: string;
  createdAt: number;
  events: { timestamp: number; message: string; ingestionTime: number }[];
}

/** Owned by the ECS fake (src/sandbox/ecs/state.ts). */
import type { EcsState } from './ecs/state.js';
export type { EcsState };

export interface Tag {
  Key: string;
  Value: string;
}

/** When a membership started, so it can stay invisible to authorization while IAM "propagates". */
export interface Membership {
  group: string;
  at: number;
}

export interface IamUser {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  tags: Tag[];
  groups: Membership[];
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
  loginProfile?: { createdAt: number; passwordResetRequired: boolean; passwordSha256: string };
  accessKeys: AccessKey[];
}

export interface AccessKey {
  id: string;
  /** The sandbox plays AWS, which must know the secret to check signatures; never logged. */
  secret: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
}

export interface IamGroup {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
}

export interface IamRole {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  /** Stored as sent; IAM returns policy documents URL-encoded. */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
}

/** An EC2 instance profile: what RunInstances names to hand an instance its role (at most one). */
export interface IamInstanceProfile {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  /** Role names; IAM allows one. */
  roles: string[];
  tags: Tag[];
}

export interface ManagedPolicy {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  updatedAt: number;
  description?: string;
  tags: Tag[];
  defaultVersionId: string;
  /** Version ids are never reused, even after DeletePolicyVersion. */
  nextVersion: number;
  versions: PolicyVersion[];
  awsManaged: boolean;
}

export interface PolicyVersion {
  id: string;
  document: string;
  createdAt: number;
}

export interface VirtualMfaDevice {
  serial: string;
  /** Base32; AWS keeps it to verify codes and so must the sandbox. Never logged. */
  seed: string;
  createdAt: number;
  tags: Tag[];
  user?: string;
  enabledAt?: number;
  /** Time steps whose codes were accepted: a TOTP code works once. */
  usedSteps: number[];
}

export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export interface StsSession {
  accessKeyId: string;
  secret: string;
  token: string;
  roleName: string;
  sessionName: string;
  createdAt: number;
  expiresAt: number;
  /** Whether AssumeRole carried a valid MFA code: the session's aws:MultiFactorAuthPresent. */
  mfa: boolean;
  sourceArn: string;
}

export interface Ec2KeyPair {
  name: string;
  id: string;
  fingerprint: string;
  type: 'rsa' | 'ed25519';
  createdAt: number;
  publicKey: string;
  tags: Tag[];
}

/** A Docker registry on this machine that stands in for ECR's storage (`docker push` really lands there). */
export interface SandboxRegistry {
  /** host:port on loopback, e.g. 127.0.0.1:5000; repository URIs become `<endpoint>/<name>`. */
  endpoint: string;
  username: string;
  /** The registry's basic-auth password; the sandbox hands it out as the ECR login token. Never logged. */
  password: string;
}

export interface EcrState {
  registry?: SandboxRegistry;
  /** Repositories are regional: region → repository name → repository. */
  repositories: Record<string, Record<string, EcrRepository>>;
}

export interface EcrRepository {
  name: string;
  arn: string;
  createdAt: number;
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  scanOnPush: boolean;
  encryption: { encryptionType: string; kmsKey?: string };
  tags: Tag[];
  lifecyclePolicy?: string;
  /** What tests recorded as pushed (`recordImage`) when no registry is configured; unused otherwise. */
  images: EcrImage[];
}

export interface EcrImage {
  /** sha256 of `manifest`, as a registry computes it. */
  digest: string;
  tags: string[];
  manifest: string;
  manifestMediaType: string;
  artifactMediaType?: string;
  sizeInBytes: number;
  pushedAt: number;
}
