import {
  CreateExpressGatewayServiceCommand,
  DeleteClusterCommand,
  DeleteExpressGatewayServiceCommand,
  DescribeClustersCommand,
  DescribeExpressGatewayServiceCommand,
  ServiceNotActiveException,
  UpdateExpressGatewayServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { caught } from './support.js';
import { ecsWorld, REGION } from './ecs-world.js';

const TRUST_ECS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('ECS Express Mode', () => {
  it('creates a service with a public HTTPS endpoint, ACTIVE after provisioning; update adds a revision; delete drains to INACTIVE', async () => {
    const world = await ecsWorld();
    const infrastructure = (await world.iam.send(new CreateRoleCommand({ RoleName: 'express-infrastructure', AssumeRolePolicyDocument: TRUST_ECS }))).Role!.Arn!;
    const created = (
      await world.ecs.send(
        new CreateExpressGatewayServiceCommand({
          serviceName: 'hello',
          executionRoleArn: world.executionRoleArn,
          infrastructureRoleArn: infrastructure,
          primaryContainer: { image: world.image, containerPort: 8080 },
          tags: [{ key: 'slipway:app', value: 'hello' }],
        }),
      )
    ).service!;
    expect(created).toMatchObject({ cluster: 'default', serviceName: 'hello', serviceArn: `arn:aws:ecs:${REGION}:${world.account}:service/default/hello`, infrastructureRoleArn: infrastructure });
    expect(created.status?.statusCode).toBeUndefined();
    expect(created.activeConfigurations![0]!.ingressPaths).toEqual([{ accessType: 'PUBLIC', endpoint: `https://hello.ecs.${REGION}.on.aws` }]);
    // The default cluster is created when missing.
    expect((await world.ecs.send(new DescribeClustersCommand({ clusters: ['default'] }))).clusters![0]!.status).toBe('ACTIVE');

    world.advance(3);
    const active = (await world.ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: created.serviceArn, include: ['TAGS'] }))).service!;
    expect(active.status).toEqual({ statusCode: 'ACTIVE' });
    expect(active.tags).toEqual([{ key: 'slipway:app', value: 'hello' }]);

    const updated = (await world.ecs.send(new UpdateExpressGatewayServiceCommand({ serviceArn: created.serviceArn, healthCheckPath: '/health' }))).service!;
    expect(updated.targetConfiguration).toMatchObject({ healthCheckPath: '/health', primaryContainer: { image: world.image, containerPort: 8080 } });
    expect(updated.targetConfiguration!.serviceRevisionArn).not.toBe(created.activeConfigurations![0]!.serviceRevisionArn);

    const deleting = (await world.ecs.send(new DeleteExpressGatewayServiceCommand({ serviceArn: created.serviceArn }))).service!;
    expect(deleting.status).toEqual({ statusCode: 'DRAINING' });
    const busy = await caught(world.ecs.send(new DeleteClusterCommand({ cluster: 'default' })));
    expect(busy.name).toBe('ClusterContainsServicesException');
    world.advance(3);
    expect((await world.ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn: created.serviceArn }))).service!.status).toEqual({ statusCode: 'INACTIVE' });
    expect(await caught(world.ecs.send(new DeleteExpressGatewayServiceCommand({ serviceArn: created.serviceArn })))).toBeInstanceOf(ServiceNotActiveException);
    await world.ecs.send(new DeleteClusterCommand({ cluster: 'default' }));
  });

  it('needs an infrastructure role that exists and an image', async () => {
    const world = await ecsWorld();
    const missing = await caught(
      world.ecs.send(new CreateExpressGatewayServiceCommand({ executionRoleArn: world.executionRoleArn, infrastructureRoleArn: `arn:aws:iam::${world.account}:role/none`, primaryContainer: { image: world.image } })),
    );
    expect(missing.message).toMatch(/^ECS was unable to assume the role/);
    const noImage = await caught(world.ecs.send(new CreateExpressGatewayServiceCommand({ executionRoleArn: world.executionRoleArn, infrastructureRoleArn: world.executionRoleArn })));
    expect(noImage.name).toBe('InvalidParameterException');
  });
});
