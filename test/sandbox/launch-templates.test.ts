import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { adminClients, caught, frozenSandbox } from './support.js';

const userData = (cluster: string) => Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString('base64');

describe('EC2 launch templates', () => {
  it('creates a template (version 1, tagged), adds versions, reads $Latest and $Default, deletes it', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const created = (
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'todo-dev',
          LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', UserData: userData('todo-dev'), IamInstanceProfile: { Name: 'ecsInstanceRole' } },
          TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'slipway:app', Value: 'todo' }] }],
        }),
      )
    ).LaunchTemplate!;
    expect(created).toMatchObject({ LaunchTemplateName: 'todo-dev', DefaultVersionNumber: 1, LatestVersionNumber: 1, Tags: [{ Key: 'slipway:app', Value: 'todo' }] });
    expect(created.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);

    const v2 = (await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'todo-dev', SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.small' } }))).LaunchTemplateVersion!;
    expect(v2).toMatchObject({ VersionNumber: 2, DefaultVersion: false });
    // SourceVersion: what is not given comes from the source version.
    expect(v2.LaunchTemplateData).toMatchObject({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', IamInstanceProfile: { Name: 'ecsInstanceRole' } });

    const latest = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: created.LaunchTemplateId, Versions: ['$Latest'] }))).LaunchTemplateVersions!;
    expect(latest.map((v) => v.VersionNumber)).toEqual([2]);
    const standard = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'todo-dev', Versions: ['$Default'] }))).LaunchTemplateVersions!;
    expect(standard[0]).toMatchObject({ VersionNumber: 1, DefaultVersion: true });
    expect(Buffer.from(standard[0]!.LaunchTemplateData!.UserData!, 'base64').toString()).toContain('ECS_CLUSTER=todo-dev');
    const all = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'todo-dev' }))).LaunchTemplateVersions!;
    expect(all.map((v) => v.VersionNumber)).toEqual([1, 2]);

    const described = (await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['todo-dev'] }))).LaunchTemplates!;
    expect(described[0]).toMatchObject({ LatestVersionNumber: 2, DefaultVersionNumber: 1 });
    const byTag = (await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:slipway:app', Values: ['todo'] }] }))).LaunchTemplates!;
    expect(byTag.map((t) => t.LaunchTemplateId)).toEqual([created.LaunchTemplateId]);

    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'todo-dev' }));
    expect((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates).toEqual([]);
  });

  it('fails as EC2 does: a duplicate name, an unknown name or id, user data that is not base64', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'app', LaunchTemplateData: { InstanceType: 't3.micro' } }));
    expect((await caught(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'app', LaunchTemplateData: {} })))).name).toBe('InvalidLaunchTemplateName.AlreadyExistsException');
    expect((await caught(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope'] })))).name).toBe('InvalidLaunchTemplateName.NotFoundException');
    expect((await caught(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0123456789abcdef0' })))).name).toBe('InvalidLaunchTemplateId.NotFound');
    expect((await caught(ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'nope' })))).name).toBe('InvalidLaunchTemplateName.NotFoundException');
    const plain = await caught(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'plain', LaunchTemplateData: { UserData: '#!/bin/bash\necho hi' } })));
    expect([plain.name, plain.message]).toEqual(['InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.']);
  });

  it('a retried create with the same client token returns the same template', async () => {
    const { ec2 } = adminClients(frozenSandbox());
    const request = { LaunchTemplateName: 'app', ClientToken: 'token-1', LaunchTemplateData: { InstanceType: 't3.micro' as const } };
    const first = (await ec2.send(new CreateLaunchTemplateCommand(request))).LaunchTemplate!;
    const again = (await ec2.send(new CreateLaunchTemplateCommand(request))).LaunchTemplate!;
    expect(again.LaunchTemplateId).toBe(first.LaunchTemplateId);
    expect((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates).toHaveLength(1);
  });
});
