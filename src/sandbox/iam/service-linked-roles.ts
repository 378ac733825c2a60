import type { CreateServiceLinkedRoleRequest, CreateServiceLinkedRoleResponse } from '@aws-sdk/client-iam';
import { fault, SandboxUnsupportedError } from '../errors.js';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import type { IamRole } from '../state.js';
import { ECS_SERVICE_LINKED_POLICY_ARN } from './aws-policies.js';
import { adoptPolicy, findByName, iamArn, roleOut } from './common.js';

/** The services whose service-linked role the sandbox can make: role name, policy, description. */
const SERVICES: Record<string, { role: string; policy: string; description: string; suffix: boolean }> = {
  'ecs.amazonaws.com': { role: 'AWSServiceRoleForECS', policy: ECS_SERVICE_LINKED_POLICY_ARN, description: 'Role to enable Amazon ECS to manage your cluster.', suffix: false },
};

const pathFor = (service: string) => `/aws-service-role/${service}/`;

function serviceOf(name: string | undefined) {
  if (!name) throw validationError("1 validation error detected: Value null at 'aWSServiceName' failed to satisfy constraint: Member must not be null");
  const service = SERVICES[name];
  if (!service) throw new SandboxUnsupportedError(`the sandbox does not simulate the service-linked role of ${name} yet (${Object.keys(SERVICES).join(', ')})`);
  return service;
}

const resource = (input: CreateServiceLinkedRoleRequest, ctx: CallContext) => {
  const service = input.AWSServiceName ? SERVICES[input.AWSServiceName] : undefined;
  return service ? iamArn(ctx.state, 'role', pathFor(input.AWSServiceName!), service.role) : '*';
};

export const serviceLinkedRoleOperations: Record<string, Operation> = {
  /** What ECS needs once per account before its first cluster (reference §2): AWSServiceRoleForECS. */
  CreateServiceLinkedRole: op<CreateServiceLinkedRoleRequest, Out<CreateServiceLinkedRoleResponse>>({
    resource,
    run: (input, ctx) => {
      const service = serviceOf(input.AWSServiceName);
      const serviceName = input.AWSServiceName!;
      if (input.CustomSuffix !== undefined && !service.suffix) throw fault('InvalidInput', `Custom suffix is not allowed for AWSServiceName ${serviceName}`, 400);
      const name = service.role;
      if (findByName(ctx.state.iam.roles, name)) throw fault('InvalidInput', `Service role name ${name} has been taken in this account, please try a different suffix.`, 400);
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: serviceName }, Action: 'sts:AssumeRole' }] };
      adoptPolicy(ctx.state, service.policy);
      const path = pathFor(serviceName);
      const role: IamRole = {
        name,
        id: ctx.ids.uniqueId('AROA'),
        arn: iamArn(ctx.state, 'role', path, name),
        path,
        createdAt: ctx.now,
        trustPolicy: JSON.stringify(trust),
        description: input.Description ?? service.description,
        maxSessionDuration: 3600,
        tags: [],
        attachedPolicies: [service.policy],
        inlinePolicies: {},
      };
      ctx.state.iam.roles[name] = role;
      return { Role: roleOut(role) };
    },
  }),
};
