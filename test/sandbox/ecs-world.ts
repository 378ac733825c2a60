import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type AssignPublicIp,
  type CreateServiceRequest,
  type RegisterTaskDefinitionRequest,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { clientConfig } from '../../src/aws/clients.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { recordImage } from '../../src/sandbox/ecr.js';
import { configureEcs } from '../../src/sandbox/ecs.js';
import type { Elbv2TargetGroup, RolloutScenario } from '../../src/sandbox/state.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/store.js';
import { frozenSandbox } from './support.js';

export const REGION = 'eu-west-1';
export const CLUSTER = 'app-dev-cluster';
export const LOG_GROUP = '/app-dev/ecs/app';
export const SUBNETS = ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'];

export const TRUST_ECS_TASKS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** The book's execution-role permissions (rollout reference §2). */
export const EXECUTION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken'], Resource: '*' },
    { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
  ],
});

/** Real SDK clients on a frozen-clock sandbox, with what a rollout needs already there. */
export interface EcsWorld {
  sandbox: Sandbox;
  ecs: ECSClient;
  iam: IAMClient;
  logs: CloudWatchLogsClient;
  account: string;
  executionRoleArn: string;
  /** The published image, pinned by digest. */
  image: string;
  /** Moves sandbox time on by `seconds` (deployments progress on the next call). */
  advance(seconds: number): void;
}

/**
 * A sandbox with one-second task phases (a first deployment completes 3 s after CreateService), an
 * execution role with the book's permissions, an ECR image, the log group and the cluster.
 */
export async function ecsWorld(options: SandboxOptions = {}): Promise<EcsWorld> {
  const sandbox = frozenSandbox(options);
  configureEcs(sandbox, { taskPhaseSeconds: 1 });
  const config = clientConfig({ region: REGION }, async () => sandbox.adminCredentials());
  const ecs = attachSandbox(new ECSClient(config), sandbox);
  const iam = attachSandbox(new IAMClient(config), sandbox);
  const logs = attachSandbox(new CloudWatchLogsClient(config), sandbox);
  const ecr = attachSandbox(new ECRClient(config), sandbox);
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'app-dev-execution', AssumeRolePolicyDocument: TRUST_ECS_TASKS }));
  const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'app-dev-execution', PolicyDocument: EXECUTION_POLICY }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-dev-execution', PolicyArn: policy.Policy!.Arn }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  const digest = recordImage(sandbox, { repositoryName: 'app', region: REGION, tags: ['v1'] });
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  return {
    sandbox,
    ecs,
    iam,
    logs,
    account: sandbox.accountId,
    executionRoleArn: role.Role!.Arn!,
    image: `${sandbox.accountId}.dkr.ecr.${REGION}.amazonaws.com/app@${digest}`,
    advance: (seconds) => sandbox.clock.advance(seconds * 1000),
  };
}

/** A Fargate task definition as the rollout flow registers it; `changes` override members. */
export function fargateDefinition(world: EcsWorld, changes: Partial<RegisterTaskDefinitionRequest> = {}): RegisterTaskDefinitionRequest {
  return {
    family: 'app-dev',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    executionRoleArn: world.executionRoleArn,
    containerDefinitions: [
      {
        name: 'app',
        image: world.image,
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': LOG_GROUP, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' } },
      },
    ],
    ...changes,
  };
}

export async function register(world: EcsWorld, changes: Partial<RegisterTaskDefinitionRequest> = {}): Promise<string> {
  return (await world.ecs.send(new RegisterTaskDefinitionCommand(fargateDefinition(world, changes)))).taskDefinition!.taskDefinitionArn!;
}

export const NETWORK = { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: ['sg-0ccccccccccccccccc'], assignPublicIp: 'ENABLED' as AssignPublicIp } };

export function serviceRequest(taskDefinition: string, changes: Partial<CreateServiceRequest> = {}): CreateServiceRequest {
  return {
    cluster: CLUSTER,
    serviceName: 'app-dev-service',
    taskDefinition,
    desiredCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: NETWORK,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
    ...changes,
  };
}

export async function createService(world: EcsWorld, taskDefinition: string, changes: Partial<CreateServiceRequest> = {}): Promise<Service> {
  return (await world.ecs.send(new CreateServiceCommand(serviceRequest(taskDefinition, changes)))).service!;
}

export async function describeService(world: EcsWorld, name = 'app-dev-service'): Promise<Service> {
  return (await world.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services![0]!;
}

/** Every task of the service with that desired status, described. */
export async function serviceTasks(world: EcsWorld, desiredStatus: 'RUNNING' | 'STOPPED', name = 'app-dev-service'): Promise<Task[]> {
  const arns = (await world.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: name, desiredStatus }))).taskArns ?? [];
  if (!arns.length) return [];
  return (await world.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
}

export function setScenario(world: EcsWorld, scenario: RolloutScenario): void {
  world.sandbox.update((state) => {
    state.scenario = scenario;
  });
}

/** A target group behind a listener, written straight into the state contract (the ELBv2 fake's shape). */
export function seedTargetGroup(world: EcsWorld, name = 'app-dev'): string {
  const arn = `arn:aws:elasticloadbalancing:${REGION}:${world.account}:targetgroup/${name}/0123456789abcdef`;
  const group: Elbv2TargetGroup = {
    arn,
    name,
    protocol: 'HTTP',
    port: 8080,
    vpcId: 'vpc-0123456789abcdef0',
    targetType: 'ip',
    healthCheckPath: '/health',
    healthCheckPort: 'traffic-port',
    healthCheckIntervalSeconds: 30,
    healthyThresholdCount: 5,
    unhealthyThresholdCount: 2,
    matcher: '200',
    tags: [],
    targets: [],
  };
  world.sandbox.update((state) => {
    state.elbv2 ??= { loadBalancers: {}, targetGroups: {}, listeners: {} };
    (state.elbv2.targetGroups[REGION] ??= {})[arn] = group;
    const listener = `arn:aws:elasticloadbalancing:${REGION}:${world.account}:listener/app/${name}/0123456789abcdef/fedcba9876543210`;
    (state.elbv2.listeners[REGION] ??= {})[listener] = { arn: listener, loadBalancerArn: `arn:aws:elasticloadbalancing:${REGION}:${world.account}:loadbalancer/app/${name}/0123456789abcdef`, protocol: 'HTTP', port: 80, targetGroupArn: arn, tags: [] };
  });
  return arn;
}

/** The target group's targets now: any call first moves the simulation to the sandbox's time. */
export async function targetsOf(world: EcsWorld, targetGroupArn: string) {
  await world.ecs.send(new ListClustersCommand({}));
  return world.sandbox.snapshot().elbv2?.targetGroups[REGION]?.[targetGroupArn]?.targets ?? [];
}
