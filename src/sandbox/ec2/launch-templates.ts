import type {
  CreateLaunchTemplateRequest,
  CreateLaunchTemplateResult,
  CreateLaunchTemplateVersionRequest,
  CreateLaunchTemplateVersionResult,
  DeleteLaunchTemplateRequest,
  DeleteLaunchTemplateResult,
  DescribeLaunchTemplatesRequest,
  DescribeLaunchTemplatesResult,
  DescribeLaunchTemplateVersionsRequest,
  DescribeLaunchTemplateVersionsResult,
  Filter,
  LaunchTemplate,
  LaunchTemplateVersion,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { fault } from '../errors.js';
import type { CallContext, Operation, Out } from '../operation.js';
import type { SandboxState, Tag } from '../state.js';
import { anyMatch, ec2op, invalidFilter, tagFilter, tagsFor } from './common.js';

/**
 * EC2 launch templates: named, versioned instance settings (AMI, type, key, instance profile, user data,
 * security groups) that an Auto Scaling group launches from. Versions are immutable; `$Latest` and
 * `$Default` name the newest and the default one. EC2 checks little here — a wrong AMI or profile fails
 * when an instance is launched from it, as in AWS.
 */

export interface Ec2LaunchTemplateVersion {
  number: number;
  description?: string;
  createdAt: number;
  createdBy: string;
  /** RequestLaunchTemplateData as sent (its members read back as ResponseLaunchTemplateData). */
  data: Record<string, unknown>;
  clientToken?: string;
}

export interface Ec2LaunchTemplate {
  id: string;
  name: string;
  createdAt: number;
  createdBy: string;
  defaultVersion: number;
  tags: Tag[];
  clientToken?: string;
  versions: Ec2LaunchTemplateVersion[];
}

declare module '../state.js' {
  interface SandboxState {
    /** EC2 launch templates: region → template id → template (ec2/launch-templates.ts). */
    launchTemplates?: Record<string, Record<string, Ec2LaunchTemplate>>;
  }
}

const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;

const nameNotFound = () => fault('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.');
const idNotFound = (id: string) => fault('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
const missing = (member: string) => fault('MissingParameter', `The request must contain the parameter ${member}`);

/** Read-only calls see the live state and must not add to it. */
export function launchTemplatesIn(state: SandboxState, region: string): Record<string, Ec2LaunchTemplate> {
  return state.launchTemplates?.[region] ?? {};
}

function forUpdate(ctx: CallContext): Record<string, Ec2LaunchTemplate> {
  return ((ctx.state.launchTemplates ??= {})[ctx.region] ??= {});
}

/** The template a call names by id or by name (exactly one of them). */
export function findLaunchTemplate(state: SandboxState, region: string, ref: { LaunchTemplateId?: string; LaunchTemplateName?: string }): Ec2LaunchTemplate {
  if (ref.LaunchTemplateId && ref.LaunchTemplateName) throw fault('InvalidParameterCombination', 'Both a launch template ID and a launch template name were specified. Specify one or the other.');
  const templates = Object.values(launchTemplatesIn(state, region));
  if (ref.LaunchTemplateId) {
    const found = templates.find((t) => t.id === ref.LaunchTemplateId);
    if (!found) throw idNotFound(ref.LaunchTemplateId);
    return found;
  }
  if (!ref.LaunchTemplateName) throw missing('LaunchTemplateId or LaunchTemplateName');
  const found = templates.find((t) => t.name === ref.LaunchTemplateName);
  if (!found) throw nameNotFound();
  return found;
}

/** `$Latest`, `$Default` or a number: the version it names, or undefined. */
export function versionOf(template: Ec2LaunchTemplate, version: string | undefined): Ec2LaunchTemplateVersion | undefined {
  const number = version === undefined || version === '$Default' ? template.defaultVersion : version === '$Latest' ? template.versions.at(-1)!.number : Number(version);
  return template.versions.find((v) => v.number === number);
}

function checkData(data: RequestLaunchTemplateData | undefined): Record<string, unknown> {
  if (!data) throw missing('LaunchTemplateData');
  if (data.UserData !== undefined) {
    const decoded = Buffer.from(data.UserData, 'base64');
    // Base64 that does not round-trip is refused, as EC2 refuses plain text user data.
    if (decoded.toString('base64').replace(/=+$/, '') !== data.UserData.replace(/\s/g, '').replace(/=+$/, '')) {
      throw fault('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');
    }
  }
  if (data.ImageId !== undefined && !/^ami-[0-9a-f]{8,17}$/.test(data.ImageId)) throw fault('InvalidAMIID.Malformed', `Invalid id: "${data.ImageId}" (expecting "ami-...")`);
  return structuredClone(data) as Record<string, unknown>;
}

function templateOut(t: Ec2LaunchTemplate): LaunchTemplate {
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    CreateTime: new Date(t.createdAt),
    CreatedBy: t.createdBy,
    DefaultVersionNumber: t.defaultVersion,
    LatestVersionNumber: t.versions.at(-1)!.number,
    Tags: t.tags.length ? t.tags.map((x) => ({ ...x })) : undefined,
  };
}

function versionOut(t: Ec2LaunchTemplate, v: Ec2LaunchTemplateVersion): LaunchTemplateVersion {
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    VersionNumber: v.number,
    VersionDescription: v.description,
    CreateTime: new Date(v.createdAt),
    CreatedBy: v.createdBy,
    DefaultVersion: v.number === t.defaultVersion,
    LaunchTemplateData: structuredClone(v.data) as ResponseLaunchTemplateData,
  };
}

function templateMatches(t: Ec2LaunchTemplate, filter: Filter): boolean {
  const tagged = tagFilter(t.tags, filter);
  if (tagged !== undefined) return tagged;
  if (filter.Name === 'launch-template-name') return anyMatch(filter, [t.name]);
  throw invalidFilter(filter.Name);
}

export const launchTemplateOperations: Record<string, Operation> = {
  CreateLaunchTemplate: ec2op<CreateLaunchTemplateRequest, Out<CreateLaunchTemplateResult>>((input, ctx) => {
    const templates = forUpdate(ctx);
    // The same client token gives back the template it made, whatever happened to the answer.
    const earlier = input.ClientToken ? Object.values(templates).find((t) => t.clientToken === input.ClientToken) : undefined;
    if (earlier) return { LaunchTemplate: templateOut(earlier) };
    const name = input.LaunchTemplateName;
    if (!name) throw missing('LaunchTemplateName');
    if (!NAME.test(name)) throw fault('InvalidLaunchTemplateName.MalformedException', 'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.');
    if (Object.values(templates).some((t) => t.name === name)) throw fault('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
    const template: Ec2LaunchTemplate = {
      id: ctx.ids.ec2Id('lt'),
      name,
      createdAt: ctx.now,
      createdBy: ctx.caller.arn,
      defaultVersion: 1,
      tags: tagsFor(input.TagSpecifications, 'launch-template'),
      clientToken: input.ClientToken,
      versions: [{ number: 1, description: input.VersionDescription, createdAt: ctx.now, createdBy: ctx.caller.arn, data: checkData(input.LaunchTemplateData) }],
    };
    templates[template.id] = template;
    return { LaunchTemplate: templateOut(template) };
  }),

  CreateLaunchTemplateVersion: ec2op<CreateLaunchTemplateVersionRequest, Out<CreateLaunchTemplateVersionResult>>((input, ctx) => {
    const template = forUpdate(ctx)[findLaunchTemplate(ctx.state, ctx.region, input).id]!;
    const earlier = input.ClientToken ? template.versions.find((v) => v.clientToken === input.ClientToken) : undefined;
    if (earlier) return { LaunchTemplateVersion: versionOut(template, earlier) };
    let base: Record<string, unknown> = {};
    if (input.SourceVersion !== undefined) {
      const source = versionOf(template, input.SourceVersion);
      if (!source) throw fault('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${input.SourceVersion} for launch template ${template.id}.`);
      base = structuredClone(source.data);
    }
    const version: Ec2LaunchTemplateVersion = {
      number: template.versions.at(-1)!.number + 1,
      description: input.VersionDescription,
      createdAt: ctx.now,
      createdBy: ctx.caller.arn,
      data: { ...base, ...checkData(input.LaunchTemplateData) },
      clientToken: input.ClientToken,
    };
    template.versions.push(version);
    return { LaunchTemplateVersion: versionOut(template, version) };
  }),

  DescribeLaunchTemplates: ec2op<DescribeLaunchTemplatesRequest, Out<DescribeLaunchTemplatesResult>>((input, ctx) => {
    const templates = Object.values(launchTemplatesIn(ctx.state, ctx.region)).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    for (const id of input.LaunchTemplateIds ?? []) if (!templates.some((t) => t.id === id)) throw idNotFound(id);
    for (const name of input.LaunchTemplateNames ?? []) if (!templates.some((t) => t.name === name)) throw nameNotFound();
    const selected = templates.filter(
      (t) =>
        (!input.LaunchTemplateIds?.length || input.LaunchTemplateIds.includes(t.id)) &&
        (!input.LaunchTemplateNames?.length || input.LaunchTemplateNames.includes(t.name)) &&
        (input.Filters ?? []).every((f) => templateMatches(t, f)),
    );
    return { LaunchTemplates: selected.map(templateOut) };
  }),

  DescribeLaunchTemplateVersions: ec2op<DescribeLaunchTemplateVersionsRequest, Out<DescribeLaunchTemplateVersionsResult>>((input, ctx) => {
    const template = findLaunchTemplate(ctx.state, ctx.region, input);
    let versions = template.versions;
    if (input.Versions?.length) {
      versions = input.Versions.map((given) => {
        const found = versionOf(template, given);
        if (!found) throw fault('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${given} for launch template ${template.id}.`);
        return found;
      });
    }
    const min = input.MinVersion === undefined ? -Infinity : (versionOf(template, input.MinVersion)?.number ?? Number(input.MinVersion));
    const max = input.MaxVersion === undefined ? Infinity : (versionOf(template, input.MaxVersion)?.number ?? Number(input.MaxVersion));
    return { LaunchTemplateVersions: versions.filter((v) => v.number >= min && v.number <= max).map((v) => versionOut(template, v)) };
  }),

  DeleteLaunchTemplate: ec2op<DeleteLaunchTemplateRequest, Out<DeleteLaunchTemplateResult>>((input, ctx) => {
    const template = findLaunchTemplate(ctx.state, ctx.region, input);
    delete forUpdate(ctx)[template.id];
    return { LaunchTemplate: templateOut(template) };
  }),
};
