import { readProfileConfig } from '../local/aws-files.js';

/** Where and as whom AWS calls go: flags first, then the standard AWS environment variables and files. */
export interface AwsSettings {
  profile?: string;
  region?: string;
  /** AWS_ENDPOINT_URL or --endpoint-url: any AWS-compatible endpoint (LocalStack and friends). */
  endpoint?: string;
  /** Where the region came from, so doctor can say how to change it. */
  regionSource?: 'flag' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';
}

export interface AwsFlags {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

export function resolveAwsSettings(flags: AwsFlags, env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const profile = flags.profile || env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || undefined;
  const endpoint = flags.endpointUrl || env.AWS_ENDPOINT_URL || undefined;
  if (flags.region) return { profile, endpoint, region: flags.region, regionSource: 'flag' };
  if (env.AWS_REGION) return { profile, endpoint, region: env.AWS_REGION, regionSource: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { profile, endpoint, region: env.AWS_DEFAULT_REGION, regionSource: 'AWS_DEFAULT_REGION' };
  const fromProfile = readProfileConfig(profile ?? 'default', env).region;
  return fromProfile ? { profile, endpoint, region: fromProfile, regionSource: 'profile' } : { profile, endpoint };
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export function validateRegion(region: string): string | undefined {
  return REGION.test(region) ? undefined : `"${region}" is not an AWS region name (like us-east-1 or eu-west-2).`;
}

export function validateEndpoint(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : `"${url}" must start with http:// or https://.`;
  } catch {
    return `"${url}" is not a URL (like http://localhost:4566).`;
  }
}
