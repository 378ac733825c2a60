import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../../src/aws/clients.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import type { SandboxOptions } from '../../src/sandbox/store.js';
import { CLUSTER, ecsWorld, REGION, type EcsWorld } from './ecs-world.js';

export const EC2_ROLE_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';
const TRUST_EC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

export interface CapacityWorld extends EcsWorld {
  ec2: EC2Client;
  ssm: SSMClient;
  autoscaling: AutoScalingClient;
  subnets: string[];
  /** The current ECS-optimized AL2023 AMI of the region, from SSM. */
  ami: string;
}

/** The ECS world (one-second phases, cluster CLUSTER) plus what EC2 capacity needs: clients, subnets, the AMI. */
export async function capacityWorld(options: SandboxOptions = {}): Promise<CapacityWorld> {
  const world = await ecsWorld(options);
  const config = clientConfig({ region: REGION }, async () => world.sandbox.adminCredentials());
  const ec2 = attachSandbox(new EC2Client(config), world.sandbox);
  const ssm = attachSandbox(new SSMClient(config), world.sandbox);
  const autoscaling = attachSandbox(new AutoScalingClient(config), world.sandbox);
  const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => s.SubnetId!).sort();
  const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
  return { ...world, ec2, ssm, autoscaling, subnets, ami };
}

/** The book's ecsInstanceRole: role, AmazonEC2ContainerServiceforEC2Role (unless `bare`), instance profile. */
export async function instanceProfile(world: CapacityWorld, name = 'ecsInstanceRole', options: { bare?: boolean } = {}): Promise<void> {
  await world.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST_EC2 }));
  if (!options.bare) await world.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: EC2_ROLE_POLICY }));
  await world.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await world.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
}

export const userData = (cluster: string) => Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString('base64');

/** A launch template booting the ECS-optimized AMI into `cluster`, and a group launched from it. */
export async function capacityGroup(world: CapacityWorld, options: { name?: string; cluster?: string; instanceType?: string; min?: number; max?: number; desired?: number; profile?: string; keyName?: string } = {}): Promise<string> {
  const name = options.name ?? 'app-dev';
  await world.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      LaunchTemplateData: {
        ImageId: world.ami,
        InstanceType: (options.instanceType ?? 't3.micro') as never,
        IamInstanceProfile: { Name: options.profile ?? 'ecsInstanceRole' },
        UserData: userData(options.cluster ?? CLUSTER),
        ...(options.keyName ? { KeyName: options.keyName } : {}),
      },
    }),
  );
  await world.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: name, Version: '$Latest' },
      MinSize: options.min ?? 0,
      MaxSize: options.max ?? 2,
      DesiredCapacity: options.desired ?? 1,
      VPCZoneIdentifier: world.subnets.join(','),
      Tags: [{ Key: 'slipway:app', Value: 'app', PropagateAtLaunch: true }],
    }),
  );
  return name;
}
