import { createHash } from 'node:crypto';

/**
 * Names of what the EC2 and Express targets add, beside rolloutNames (names.ts). The instance role keeps
 * the book's and the console's account-wide name, ecsInstanceRole: it is shared by every EC2 environment
 * of the account, so it is never tagged as one environment's (teardown must not take it away).
 */
export interface TargetNames {
  instanceRole: string;
  instanceProfile: string;
  instanceSecurityGroup: string;
  launchTemplate: string;
  autoScalingGroup: string;
  capacityProvider: string;
  infrastructureRole: string;
}

export const INSTANCE_ROLE = 'ecsInstanceRole';

export function targetNames(app: string, env: string): TargetNames {
  const base = `${app.replace(/[^A-Za-z0-9-]+/g, '-')}-${env}`;
  return {
    instanceRole: INSTANCE_ROLE,
    instanceProfile: INSTANCE_ROLE,
    instanceSecurityGroup: `${base}-instances`,
    launchTemplate: base,
    autoScalingGroup: base,
    // ECS refuses capacity provider names that start with aws, ecs or fargate.
    capacityProvider: /^(aws|ecs|fargate)/i.test(base) ? `cp-${base}` : `${base}-ec2`,
    infrastructureRole: short(`${base}-ecs-infrastructure`, 64),
  };
}

function short(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, '')}-${hash}`;
}
