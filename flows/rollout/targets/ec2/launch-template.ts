import { createHash } from 'node:crypto';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplateVersionsCommand,
  type LaunchTemplateVersion,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { tolerate } from '../../../../src/aws/errors.js';
import { UsageError } from '../../../../src/engine/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { isAlreadyExists, isNotFound, unless } from '../aws-errors.js';
import { ssmOf } from '../clients.js';
import { targetNames } from '../names.js';
import { ec2Settings } from './settings.js';

/** The public parameter AWS keeps pointing at the current ECS-optimized Amazon Linux 2023 AMI (reference §11). */
export function amiParameter(architecture: 'X86_64' | 'ARM64'): string {
  return `/aws/service/ecs/optimized-ami/amazon-linux-2023/${architecture === 'ARM64' ? 'arm64/' : ''}recommended/image_id`;
}

/** The book's user data: the agent joins this cluster (a typo would register it into a new, empty one). */
export function userData(cluster: string): string {
  return Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString('base64');
}

/**
 * The launch template the Auto Scaling group starts instances from: the current ECS-optimized AL2023 AMI
 * (read from SSM on every rollout), the instance type, ecsInstanceRole, the instances' security group,
 * ECS_CLUSTER in the user data, the key pair when the environment names one, IMDSv2. A change (a newer
 * AMI, another type) is a new version; the group launches `$Latest`, so new instances get it — running
 * ones are not replaced.
 */
export const launchTemplate: Step<RolloutContext> = {
  id: 'launch-template',
  title: 'Launch template (ECS-optimized AMI, ECS_CLUSTER)',
  plan: (c) => `ec2:CreateLaunchTemplate ${targetNames(c.settings.app, c.settings.env).launchTemplate} (${ec2Settings(c).instanceType}, AMI from ${amiParameter(c.environment().cpuArchitecture)})`,
  async probe(c) {
    const latest = await latestVersion(c);
    if (!latest) return undefined;
    const wanted = await desiredData(c);
    return same(latest, wanted) ? outputsOf(latest, wanted) : undefined;
  },
  async apply(c) {
    const ec2 = await c.ec2();
    const wanted = await desiredData(c);
    const keyPair = ec2Settings(c).keyPair;
    if (keyPair) {
      const found = await tolerate('not-found', () => ec2.send(new DescribeKeyPairsCommand({ KeyNames: [keyPair] }), { abortSignal: c.signal }));
      if (!found?.KeyPairs?.length) {
        throw new UsageError(`There is no EC2 key pair "${keyPair}" in ${c.settings.region}.`, { fix: `Run \`slipway bootstrap\` (it imports one), or remove "keyPair" from the environment file.` });
      }
    }
    const name = targetNames(c.settings.app, c.settings.env).launchTemplate;
    const latest = await latestVersion(c);
    if (!latest) {
      const created = await unless(isAlreadyExists, () =>
        ec2.send(
          new CreateLaunchTemplateCommand({
            LaunchTemplateName: name,
            VersionDescription: `slipway ${c.settings.app} ${c.settings.env}`,
            LaunchTemplateData: wanted,
            TagSpecifications: [{ ResourceType: 'launch-template', Tags: c.tags }],
            // The same request after a crash returns the template it made.
            ClientToken: token(c.account(), name, wanted),
          }),
          { abortSignal: c.signal },
        ),
      );
      if (created?.LaunchTemplate) {
        c.report.log(`Created launch template ${name} (${wanted.InstanceType}, ${wanted.ImageId}).`);
        return { launchTemplateId: created.LaunchTemplate.LaunchTemplateId ?? '', name, version: 1, imageId: wanted.ImageId ?? '', instanceType: wanted.InstanceType ?? '' };
      }
    }
    const base = latest ?? (await latestVersion(c));
    if (base && same(base, wanted)) return outputsOf(base, wanted);
    const version = (
      await ec2.send(
        new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: name, VersionDescription: `slipway ${c.settings.app} ${c.settings.env}`, LaunchTemplateData: wanted, ClientToken: token(base?.LaunchTemplateId ?? name, String(base?.VersionNumber ?? 0), wanted) }),
        { abortSignal: c.signal },
      )
    ).LaunchTemplateVersion!;
    c.report.log(`Launch template ${name} version ${version.VersionNumber}: ${changes(base, wanted).join(', ') || 'updated'}. New instances use it; running ones keep theirs.`);
    return outputsOf(version, wanted);
  },
};

async function desiredData(c: RolloutContext): Promise<RequestLaunchTemplateData> {
  const env = c.environment();
  const settings = ec2Settings(c);
  const ssm = await ssmOf(c);
  const parameter = amiParameter(env.cpuArchitecture);
  const ami = await unless(isNotFound, () => ssm.send(new GetParameterCommand({ Name: parameter }), { abortSignal: c.signal }));
  if (!ami?.Parameter?.Value) {
    throw new UsageError(`AWS publishes no ECS-optimized AMI in ${c.settings.region} (${parameter}).`, { fix: 'Choose a region that has Amazon ECS, or the Fargate target.' });
  }
  return {
    ImageId: ami.Parameter.Value,
    InstanceType: settings.instanceType as RequestLaunchTemplateData['InstanceType'],
    IamInstanceProfile: { Name: c.output('instance-role', 'profileName') },
    SecurityGroupIds: [c.output('instance-security-group', 'groupId')],
    UserData: userData(c.names.cluster),
    ...(settings.keyPair ? { KeyName: settings.keyPair } : {}),
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
    TagSpecifications: [{ ResourceType: 'instance', Tags: [...c.tags, { Key: 'Name', Value: `${c.names.cluster} (ECS)` }] }],
  };
}

async function latestVersion(c: RolloutContext): Promise<LaunchTemplateVersion | undefined> {
  const ec2 = await c.ec2();
  const name = targetNames(c.settings.app, c.settings.env).launchTemplate;
  const out = await unless(isNotFound, () => ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: name, Versions: ['$Latest'] }), { abortSignal: c.signal }));
  return out?.LaunchTemplateVersions?.[0];
}

/** What the instances boot with: the fields slipway sets, compared with the template's latest version. */
function essence(data: RequestLaunchTemplateData | LaunchTemplateVersion['LaunchTemplateData']): string {
  return JSON.stringify({
    image: data?.ImageId,
    type: data?.InstanceType,
    key: data?.KeyName ?? null,
    profile: data?.IamInstanceProfile?.Name ?? data?.IamInstanceProfile?.Arn?.split('/').pop(),
    groups: [...(data?.SecurityGroupIds ?? [])].sort(),
    userData: data?.UserData,
    imds: data?.MetadataOptions?.HttpTokens,
  });
}

const same = (v: LaunchTemplateVersion, wanted: RequestLaunchTemplateData) => essence(v.LaunchTemplateData) === essence(wanted);

function changes(base: LaunchTemplateVersion | undefined, wanted: RequestLaunchTemplateData): string[] {
  const old = base?.LaunchTemplateData;
  const lines: string[] = [];
  if (old?.ImageId !== wanted.ImageId) lines.push(`AMI ${old?.ImageId ?? '–'} → ${wanted.ImageId}`);
  if (old?.InstanceType !== wanted.InstanceType) lines.push(`type ${old?.InstanceType ?? '–'} → ${wanted.InstanceType}`);
  if ((old?.KeyName ?? '') !== (wanted.KeyName ?? '')) lines.push(`key pair ${old?.KeyName ?? 'none'} → ${wanted.KeyName ?? 'none'}`);
  return lines;
}

function outputsOf(v: LaunchTemplateVersion, wanted: RequestLaunchTemplateData) {
  return { launchTemplateId: v.LaunchTemplateId ?? '', name: v.LaunchTemplateName ?? '', version: v.VersionNumber ?? 0, imageId: wanted.ImageId ?? '', instanceType: wanted.InstanceType ?? '' };
}

function token(...parts: (string | object)[]): string {
  return createHash('sha256').update(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\n')).digest('hex').slice(0, 64);
}
