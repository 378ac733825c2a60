import { createHash } from 'node:crypto';
import {
  AccessDeniedException,
  InternalServerError,
  InvalidParameters,
  ParameterNotFound,
  SSMServiceException,
  type GetParameterRequest,
  type GetParameterResult,
  type GetParametersRequest,
  type GetParametersResult,
  type Parameter,
} from '@aws-sdk/client-ssm';
import { fault, type ModeledCtor, type ResponseMetadata, type SandboxFault } from './errors.js';
import { op, validationError, type Operation, type Out } from './operation.js';
import type { ServiceFake } from './operation.js';

/**
 * Systems Manager Parameter Store, as far as a rollout reads it: the public parameters AWS publishes
 * for the ECS-optimized AMIs (rollout reference §11). Every region has its own AMI ids; the sandbox makes
 * them up once per region and parameter, so the same question always gets the same answer. Nothing
 * else exists: any other name is ParameterNotFound, as an unknown parameter is in AWS.
 */

const ROOT = '/aws/service/ecs/optimized-ami';

/** The image families the sandbox publishes, by the path under ROOT, with what they run on. */
export const ECS_OPTIMIZED_FAMILIES: Record<string, { name: (version: string) => string; architecture: 'x86_64' | 'arm64'; os: string }> = {
  'amazon-linux-2023': { name: (v) => `al2023-ami-ecs-hvm-2023.0.${v}-kernel-6.1-x86_64`, architecture: 'x86_64', os: 'Amazon Linux 2023' },
  'amazon-linux-2023/arm64': { name: (v) => `al2023-ami-ecs-hvm-2023.0.${v}-kernel-6.1-arm64`, architecture: 'arm64', os: 'Amazon Linux 2023' },
  'amazon-linux-2': { name: (v) => `amzn2-ami-ecs-hvm-2.0.${v}-x86_64-ebs`, architecture: 'x86_64', os: 'Amazon Linux 2' },
  'amazon-linux-2/arm64': { name: (v) => `amzn2-ami-ecs-hvm-2.0.${v}-arm64-ebs`, architecture: 'arm64', os: 'Amazon Linux 2' },
};

const RELEASE = '20251104';
const AGENT_VERSION = '1.99.1';
/** When the sandbox's parameters were last "published". */
const PUBLISHED = Date.parse('2025-11-04T18:00:00Z');

export interface EcsOptimizedAmi {
  family: string;
  imageId: string;
  imageName: string;
  architecture: 'x86_64' | 'arm64';
  agentVersion: string;
}

/** The current recommended AMI of one family in one region. */
export function ecsOptimizedAmi(region: string, family: string): EcsOptimizedAmi | undefined {
  const spec = ECS_OPTIMIZED_FAMILIES[family];
  if (!spec) return undefined;
  const imageId = `ami-${createHash('sha256').update(`${region}\n${family}\n${RELEASE}`).digest('hex').slice(0, 17)}`;
  return { family, imageId, imageName: spec.name(RELEASE), architecture: spec.architecture, agentVersion: AGENT_VERSION };
}

/** Which ECS-optimized AMI an image id is in this region, if any (what the Auto Scaling fake boots). */
export function findEcsOptimizedAmi(region: string, imageId: string): EcsOptimizedAmi | undefined {
  return Object.keys(ECS_OPTIMIZED_FAMILIES)
    .map((family) => ecsOptimizedAmi(region, family)!)
    .find((ami) => ami.imageId === imageId);
}

/** The value of one public parameter, or undefined when AWS publishes no such parameter. */
function publicValue(region: string, name: string): { value: string; dataType: string } | undefined {
  if (!name.startsWith(`${ROOT}/`)) return undefined;
  const rest = name.slice(ROOT.length + 1);
  const match = /^(.+)\/recommended(?:\/(image_id|image_name|ecs_agent_version|os))?$/.exec(rest);
  const ami = match ? ecsOptimizedAmi(region, match[1]!) : undefined;
  if (!match || !ami) return undefined;
  const os = ECS_OPTIMIZED_FAMILIES[ami.family]!.os;
  switch (match[2]) {
    case 'image_id':
      return { value: ami.imageId, dataType: 'aws:ec2:image' };
    case 'image_name':
      return { value: ami.imageName, dataType: 'text' };
    case 'ecs_agent_version':
      return { value: ami.agentVersion, dataType: 'text' };
    case 'os':
      return { value: os, dataType: 'text' };
    default:
      return {
        value: JSON.stringify({ ecs_agent_version: ami.agentVersion, ecs_runtime_version: 'Docker version 25.0.8', image_id: ami.imageId, image_name: ami.imageName, os, schema_version: 1, source_image_name: ami.imageName.replace('-ecs-', '-') }),
        dataType: 'text',
      };
  }
}

/** A name as callers may write it: a plain name, or the parameter's ARN. `:version` and `:label` selectors are not simulated. */
function parameterName(name: string | undefined): string {
  if (!name) throw validationError("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  const arn = /^arn:aws[a-z-]*:ssm:[a-z0-9-]*:\d*:parameter(\/.+)$/.exec(name);
  return arn ? arn[1]! : name;
}

function parameter(region: string, name: string): Parameter | undefined {
  const found = publicValue(region, name);
  if (!found) return undefined;
  return { Name: name, Type: 'String', Value: found.value, Version: 1, LastModifiedDate: new Date(PUBLISHED), ARN: `arn:aws:ssm:${region}::parameter${name}`, DataType: found.dataType };
}

const parameterArn = (region: string, name: string | undefined) => `arn:aws:ssm:${region}::parameter${name?.startsWith('/') ? '' : '/'}${name ?? ''}`;

const operations: Record<string, Operation> = {
  GetParameter: op<GetParameterRequest, Out<GetParameterResult>>({
    resource: (input, ctx) => parameterArn(ctx.region, input.Name),
    run: (input, ctx) => {
      const name = parameterName(input.Name);
      const found = parameter(ctx.region, name);
      if (!found) throw fault('ParameterNotFound', '', 400);
      return { Parameter: found };
    },
  }),

  GetParameters: op<GetParametersRequest, Out<GetParametersResult>>({
    resource: (input, ctx) => parameterArn(ctx.region, input.Names?.[0]),
    run: (input, ctx) => {
      const names = input.Names ?? [];
      if (names.length < 1 || names.length > 10) throw validationError(`1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`);
      const Parameters: Parameter[] = [];
      const InvalidParameters: string[] = [];
      for (const given of names) {
        const found = parameter(ctx.region, parameterName(given));
        if (found) Parameters.push(found);
        else InvalidParameters.push(given);
      }
      return { Parameters, InvalidParameters };
    },
  }),
};

/** The errors the sandbox's SSM raises that @aws-sdk/client-ssm models (`__type` is the class name). */
const MODELED: Record<string, ModeledCtor> = {
  AccessDeniedException: AccessDeniedException as unknown as ModeledCtor,
  InternalServerError: InternalServerError as unknown as ModeledCtor,
  InvalidParameters: InvalidParameters as unknown as ModeledCtor,
  ParameterNotFound: ParameterNotFound as unknown as ModeledCtor,
};

/** SSM speaks awsJson1_1: credential failures come back with the JSON services' names, status 400. */
const AUTH_FAULTS: Record<string, (f: SandboxFault) => SandboxFault> = {
  InvalidClientTokenId: (f) => fault('UnrecognizedClientException', f.message, 400),
  SignatureDoesNotMatch: (f) => fault('InvalidSignatureException', f.message, 400),
  ExpiredToken: (f) => fault('ExpiredTokenException', f.message, 400),
};

function toSsmError(original: SandboxFault, requestId: string): Error {
  const f = AUTH_FAULTS[original.code]?.(original) ?? original;
  const $metadata: ResponseMetadata = { httpStatusCode: f.status, requestId, attempts: 1, totalRetryDelay: 0 };
  const $fault = f.status >= 500 ? 'server' : 'client';
  const Modeled = MODELED[f.code];
  const error = Modeled ? new Modeled({ message: f.message, $metadata }) : new SSMServiceException({ name: f.code, $fault, $metadata, message: f.message });
  return Object.assign(error, { $fault, $metadata, message: f.message, __type: f.code });
}

/** The SSM fake: the public ECS-optimized AMI parameters (GetParameter, GetParameters). */
export const ssmFake: ServiceFake = {
  prefix: 'ssm',
  serviceId: 'SSM',
  operations,
  toError: toSsmError,
  denied: (message) => fault('AccessDeniedException', message, 400),
};
