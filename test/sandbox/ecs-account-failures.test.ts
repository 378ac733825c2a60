import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { RunTaskCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { EXECUTION_ROLE_POLICY } from '../../src/sandbox/ecs/preflight.js';
import { caught } from './support.js';
import { CLUSTER, createService, describeService, ecsWorld, NETWORK, REGION, register, serviceTasks, TRUST_ECS_TASKS, type EcsWorld } from './ecs-world.js';

/** A first deployment whose tasks fail to start: what the first stopped task says. */
async function firstFailure(world: EcsWorld, definition: string, network = NETWORK) {
  await createService(world, definition, { networkConfiguration: network });
  world.advance(2);
  const [task] = await serviceTasks(world, 'STOPPED');
  return task!;
}

async function roleWithoutPolicies(world: EcsWorld, name: string): Promise<string> {
  return (await world.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST_ECS_TASKS }))).Role!.Arn!;
}

describe('ECS tasks that fail because of the account itself', () => {
  it('an image digest or tag not in ECR: CannotPullContainerError … not found', async () => {
    const world = await ecsWorld();
    const image = `${world.account}.dkr.ecr.${REGION}.amazonaws.com/app:v9`;
    const task = await firstFailure(world, await register(world, { containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080 }] }] }));
    expect(task).toMatchObject({
      lastStatus: 'DEPROVISIONING',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`,
    });
    expect(task.containers![0]).toMatchObject({ lastStatus: 'STOPPED' });
    expect(task.containers![0]!.exitCode).toBeUndefined();
    world.advance(1);
    expect((await serviceTasks(world, 'STOPPED'))[0]!.lastStatus).toBe('STOPPED');
    expect((await describeService(world)).deployments![0]!.failedTasks).toBe(1);
  });

  it('no public IP in a public subnet without NAT: registry auth times out', async () => {
    const world = await ecsWorld();
    const task = await firstFailure(world, await register(world), { awsvpcConfiguration: { ...NETWORK.awsvpcConfiguration, assignPublicIp: 'DISABLED' } });
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: .*dial tcp [\d.]+:443: i\/o timeout/);
  });

  it('an execution role without ECR permissions: AccessDeniedException from registry auth', async () => {
    const world = await ecsWorld();
    const role = await roleWithoutPolicies(world, 'bare');
    const task = await firstFailure(world, await register(world, { executionRoleArn: role }));
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth: .*AccessDeniedException: User: arn:aws:sts::\d{12}:assumed-role\/bare\/[0-9a-f]{32} is not authorized to perform: ecr:GetAuthorizationToken on resource: \*/);
  });

  it('AmazonECSTaskExecutionRolePolicy attached is enough, seeded or not', async () => {
    const world = await ecsWorld();
    const role = await roleWithoutPolicies(world, 'managed');
    world.sandbox.update((state) => {
      state.iam.roles.managed!.attachedPolicies.push(EXECUTION_ROLE_POLICY);
    });
    await createService(world, await register(world, { executionRoleArn: role }));
    world.advance(3);
    expect((await describeService(world)).deployments![0]!.rolloutState).toBe('COMPLETED');
  });

  it('the awslogs group does not exist: the log driver fails the task', async () => {
    const world = await ecsWorld();
    const definition = await register(world, {
      containerDefinitions: [{ name: 'app', image: world.image, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/missing', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' } } }],
    });
    const task = await firstFailure(world, definition);
    expect(task.stoppedReason).toBe(
      'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
    );
  });

  it('a role created moments ago: ECS cannot assume it yet (CreateService and RunTask refuse, classified not-propagated)', async () => {
    const world = await ecsWorld({ propagationSeconds: 10 });
    const definition = await register(world);
    const created = await caught(createService(world, definition));
    expect(created.name).toBe('InvalidParameterException');
    expect(created.message).toBe(
      `ECS was unable to assume the role '${world.executionRoleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
    );
    expect(classifyAwsError(created)).toBe('not-propagated');
    const run = await caught(world.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: definition, launchType: 'FARGATE', networkConfiguration: NETWORK })));
    expect([run.name, classifyAwsError(run)]).toEqual(['ClientException', 'not-propagated']);

    world.advance(10);
    await createService(world, definition);
    world.advance(3);
    expect((await describeService(world)).deployments![0]!.rolloutState).toBe('COMPLETED');
  });

  it('a role that ECS tasks may not assume (wrong trust) is refused the same way', async () => {
    const world = await ecsWorld();
    const trustEc2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const role = (await world.iam.send(new CreateRoleCommand({ RoleName: 'ec2-role', AssumeRolePolicyDocument: trustEc2 }))).Role!.Arn!;
    const error = await caught(createService(world, await register(world, { executionRoleArn: role })));
    expect(error.message).toMatch(/^ECS was unable to assume the role 'arn:aws:iam::\d{12}:role\/ec2-role'/);
  });
});
