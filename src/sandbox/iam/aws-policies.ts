import type { ManagedPolicy } from '../state.js';

/**
 * AWS managed policies a rollout attaches, as a fresh account sees them. Names, ARNs, paths, dates and
 * default version ids are AWS's; the policy ids are fixed stand-ins. The task execution policy is AWS's
 * document word for word; the others carry the statements that matter for ECS, abbreviated.
 */

interface Spec {
  name: string;
  id: string;
  path: string;
  created: string;
  updated?: string;
  version: number;
  description: string;
  statements: object[];
}

function awsPolicy(spec: Spec): ManagedPolicy {
  const createdAt = Date.parse(spec.created);
  const updatedAt = Date.parse(spec.updated ?? spec.created);
  const id = `v${spec.version}`;
  return {
    name: spec.name,
    id: spec.id,
    arn: `arn:aws:iam::aws:policy${spec.path}${spec.name}`,
    path: spec.path,
    createdAt,
    updatedAt,
    description: spec.description,
    tags: [],
    defaultVersionId: id,
    nextVersion: spec.version + 1,
    versions: [{ id, document: JSON.stringify({ Version: '2012-10-17', Statement: spec.statements }, null, 2), createdAt: updatedAt }],
    awsManaged: true,
  };
}

export const ECS_TASK_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
export const ECS_SERVICE_LINKED_POLICY_ARN = 'arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy';

export function rolloutPolicies(): ManagedPolicy[] {
  return [
    awsPolicy({
      name: 'AmazonECSTaskExecutionRolePolicy',
      id: 'ANPAJG4T4G4PV56DE72PY',
      path: '/service-role/',
      created: '2017-11-16T18:48:22Z',
      version: 1,
      description: 'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
      statements: [
        {
          Effect: 'Allow',
          Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: '*',
        },
      ],
    }),
    awsPolicy({
      name: 'AmazonEC2ContainerServiceforEC2Role',
      id: 'ANPAJLYJCVHC7TQHCSQDS',
      path: '/service-role/',
      created: '2015-03-19T18:45:18Z',
      updated: '2026-02-12T17:59:00Z',
      version: 10,
      description: 'Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.',
      statements: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:DescribeTags',
            'ecs:CreateCluster',
            'ecs:DeregisterContainerInstance',
            'ecs:DiscoverPollEndpoint',
            'ecs:Poll',
            'ecs:RegisterContainerInstance',
            'ecs:StartTelemetrySession',
            'ecs:UpdateContainerInstancesState',
            'ecs:Submit*',
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
        { Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { StringEquals: { 'ecs:CreateAction': ['CreateCluster', 'RegisterContainerInstance'] } } },
      ],
    }),
    awsPolicy({
      name: 'AmazonECSInfrastructureRoleforExpressGatewayServices',
      id: 'ANPAZKAPJZG4LEXPRESS6',
      path: '/service-role/',
      created: '2025-11-12T20:34:00Z',
      updated: '2026-02-12T18:01:00Z',
      version: 6,
      description:
        'These permissions enable Amazon ECS to automatically provision and manage the infrastructure components required for Express Gateway Services, including load balancing, security groups, SSL certificates, and auto scaling configurations.',
      statements: [
        {
          Sid: 'ServiceLinkedRoleCreateOperations',
          Effect: 'Allow',
          Action: 'iam:CreateServiceLinkedRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:AWSServiceName': ['ecs.application-autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] } },
        },
        { Sid: 'ELBOperations', Effect: 'Allow', Action: ['elasticloadbalancing:Create*', 'elasticloadbalancing:Modify*', 'elasticloadbalancing:Delete*', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:Describe*'], Resource: '*' },
        { Sid: 'EC2Operations', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup', 'ec2:CreateTags', 'ec2:Describe*'], Resource: '*' },
        { Sid: 'CertificateOperations', Effect: 'Allow', Action: ['acm:RequestCertificate', 'acm:DeleteCertificate', 'acm:DescribeCertificate', 'acm:AddTagsToCertificate'], Resource: '*' },
        { Sid: 'AutoScalingOperations', Effect: 'Allow', Action: ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:DeregisterScalableTarget', 'application-autoscaling:PutScalingPolicy', 'application-autoscaling:DeleteScalingPolicy', 'application-autoscaling:Describe*'], Resource: '*' },
        { Sid: 'CloudWatchOperations', Effect: 'Allow', Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'], Resource: '*' },
      ],
    }),
    awsPolicy({
      name: 'AmazonECSServiceRolePolicy',
      id: 'ANPAIVUWKCAI7URU4WUEI',
      path: '/aws-service-role/',
      created: '2017-10-14T01:18:58Z',
      version: 1,
      description: 'Policy to enable Amazon ECS to manage your cluster.',
      statements: [
        {
          Sid: 'ECSTaskManagement',
          Effect: 'Allow',
          Action: [
            'ec2:AttachNetworkInterface',
            'ec2:CreateNetworkInterface',
            'ec2:CreateNetworkInterfacePermission',
            'ec2:DeleteNetworkInterface',
            'ec2:DeleteNetworkInterfacePermission',
            'ec2:Describe*',
            'ec2:DetachNetworkInterface',
            'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
            'elasticloadbalancing:DeregisterTargets',
            'elasticloadbalancing:Describe*',
            'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
            'elasticloadbalancing:RegisterTargets',
            'logs:CreateLogGroup',
            'logs:DescribeLogGroups',
            'logs:PutRetentionPolicy',
          ],
          Resource: '*',
        },
      ],
    }),
  ];
}
