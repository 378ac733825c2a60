import { CreateExpressGatewayServiceCommand, DeleteExpressGatewayServiceCommand, DescribeServiceRevisionsCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createService, describeService, ecsWorld, register } from './ecs-world.js';

const TRUST_ECS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('ECS DescribeServiceRevisions', () => {
  it('an Express Mode revision lists the resources ECS made for it, PROVISIONING → ACTIVE → DEPROVISIONING → DELETED', async () => {
    const world = await ecsWorld();
    const infrastructure = (await world.iam.send(new CreateRoleCommand({ RoleName: 'infra', AssumeRolePolicyDocument: TRUST_ECS }))).Role!.Arn!;
    const created = (
      await world.ecs.send(
        new CreateExpressGatewayServiceCommand({
          serviceName: 'hello',
          executionRoleArn: world.executionRoleArn,
          infrastructureRoleArn: infrastructure,
          primaryContainer: { image: world.image, containerPort: 8080, awsLogsConfiguration: { logGroup: '/slipway/hello/dev', logStreamPrefix: 'ecs' } },
          healthCheckPath: '/health',
        }),
      )
    ).service!;
    const revisionArn = created.activeConfigurations![0]!.serviceRevisionArn!;
    const revision = async () => (await world.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }))).serviceRevisions![0]!;
    const first = await revision();
    expect(first).toMatchObject({ serviceArn: created.serviceArn, launchType: 'FARGATE', containerImages: [{ image: world.image }] });
    const resources = first.ecsManagedResources!;
    const path = resources.ingressPaths![0]!;
    expect(path.endpoint).toBe('https://hello.ecs.eu-west-1.on.aws');
    expect(path.loadBalancer?.arn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:\d{12}:loadbalancer\/app\//);
    expect(path.certificate?.domainName).toBe('hello.ecs.eu-west-1.on.aws');
    expect(path.targetGroups?.[0]).toMatchObject({ healthCheckPath: '/health', port: 8080 });
    expect(resources.logGroups?.[0]?.logGroupName).toBe('/slipway/hello/dev');
    expect(resources.autoScaling?.scalableTarget).toMatchObject({ minCapacity: 1, maxCapacity: 20 });
    expect(path.loadBalancer?.status).toBe('PROVISIONING');
    world.advance(3);
    expect((await revision()).ecsManagedResources!.ingressPaths![0]!.loadBalancer?.status).toBe('ACTIVE');
    await world.ecs.send(new DeleteExpressGatewayServiceCommand({ serviceArn: created.serviceArn }));
    expect((await revision()).ecsManagedResources!.logGroups![0]!.status).toBe('DEPROVISIONING');
    world.advance(3);
    expect((await revision()).ecsManagedResources!.logGroups![0]!.status).toBe('DELETED');
  });

  it('a service deployment’s revision names its task definition; an unknown ARN is a failure', async () => {
    const world = await ecsWorld();
    const definition = await register(world);
    await createService(world, definition);
    const service = await describeService(world);
    expect(service.deployments?.length).toBe(1);
    const deployment = (await world.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'app-dev-cluster', service: 'app-dev-service' }))).serviceDeployments![0]!;
    const out = await world.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [deployment.targetServiceRevisionArn!, 'arn:aws:ecs:eu-west-1:1:service-revision/x/y/1'] }));
    expect(out.serviceRevisions?.[0]).toMatchObject({ taskDefinition: definition, launchType: 'FARGATE' });
    expect(out.failures?.map((f) => f.reason)).toEqual(['MISSING']);
  });
});
