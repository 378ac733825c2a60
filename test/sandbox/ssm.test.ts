import { GetParameterCommand, GetParametersCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { findEcsOptimizedAmi } from '../../src/sandbox/ssm.js';
import type { Sandbox } from '../../src/sandbox/store.js';
import { caught, frozenSandbox } from './support.js';

const AL2023 = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
const AL2023_ARM = '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id';

function ssmOf(sandbox: Sandbox, region = 'us-east-1'): SSMClient {
  return attachSandbox(new SSMClient(clientConfig({ region }, async () => sandbox.adminCredentials())), sandbox);
}

describe('SSM public parameters for the ECS-optimized AMIs', () => {
  it('answers the AL2023 image id (x86_64 and arm64), the same in a region every time and different across regions', async () => {
    const sandbox = frozenSandbox();
    const ssm = ssmOf(sandbox);
    const x86 = (await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!;
    expect(x86).toMatchObject({ Name: AL2023, Type: 'String', DataType: 'aws:ec2:image', Version: 1, ARN: `arn:aws:ssm:us-east-1::parameter${AL2023}` });
    expect(x86.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    expect((await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value).toBe(x86.Value);
    const arm = (await ssm.send(new GetParameterCommand({ Name: AL2023_ARM }))).Parameter!.Value;
    expect(arm).not.toBe(x86.Value);
    expect(findEcsOptimizedAmi('us-east-1', x86.Value!)).toMatchObject({ architecture: 'x86_64', family: 'amazon-linux-2023' });
    expect(findEcsOptimizedAmi('us-east-1', arm!)).toMatchObject({ architecture: 'arm64' });
    const west = (await ssmOf(sandbox, 'eu-west-1').send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value;
    expect(west).not.toBe(x86.Value);
  });

  it('the `recommended` parameter is the JSON document AWS publishes; the ARN names the same parameter', async () => {
    const ssm = ssmOf(frozenSandbox());
    const doc = JSON.parse((await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended' }))).Parameter!.Value!);
    expect(doc).toMatchObject({ schema_version: 1, os: 'Amazon Linux 2023' });
    expect(doc.image_id).toBe((await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value);
    const byArn = (await ssm.send(new GetParameterCommand({ Name: `arn:aws:ssm:us-east-1::parameter${AL2023}` }))).Parameter!;
    expect(byArn.Value).toBe(doc.image_id);
  });

  it('an unknown name is ParameterNotFound (classified not-found); GetParameters lists it as invalid', async () => {
    const ssm = ssmOf(frozenSandbox());
    const missing = await caught(ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2099/recommended/image_id' })));
    expect(missing).toBeInstanceOf(ParameterNotFound);
    expect(missing.name).toBe('ParameterNotFound');
    expect(classifyAwsError(missing)).toBe('not-found');
    const both = await ssm.send(new GetParametersCommand({ Names: [AL2023, '/my/own'] }));
    expect(both.Parameters?.map((p) => p.Name)).toEqual([AL2023]);
    expect(both.InvalidParameters).toEqual(['/my/own']);
  });
});
