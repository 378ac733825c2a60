import { createHash } from 'node:crypto';

/**
 * Names of what a rollout creates, derived from app and environment so environments coexist (the
 * book's lesson from chapter 13: hard-coded names collide). ECR allows "." in app names, ECS and ELB do
 * not, so names are made from a sanitised app name.
 */
export interface RolloutNames {
  cluster: string;
  service: string;
  family: string;
  container: string;
  logGroup: string;
  executionRole: string;
  loadBalancer: string;
  targetGroup: string;
  lbSecurityGroup: string;
  taskSecurityGroup: string;
}

export const ENV_NAME = /^[a-z][a-z0-9-]{0,19}$/;

export function validateEnvName(value: string): string | undefined {
  if (ENV_NAME.test(value) && !value.endsWith('-')) return undefined;
  return 'An environment name is 1–20 lowercase letters, digits and "-", starting with a letter (e.g. dev, staging, prod).';
}

export function rolloutNames(app: string, env: string): RolloutNames {
  const base = `${app.replace(/[^A-Za-z0-9-]+/g, '-')}-${env}`;
  return {
    cluster: base,
    service: base,
    family: base,
    container: 'app',
    logGroup: `/slipway/${app}/${env}`,
    executionRole: short(`${base}-ecs-execution`, 64),
    loadBalancer: short(base, 32),
    targetGroup: short(`${base}-tg`, 32),
    lbSecurityGroup: `${base}-load-balancer`,
    taskSecurityGroup: `${base}-tasks`,
  };
}

/** ELB names are at most 32 characters: a long name keeps its start and gets a hash for uniqueness. */
function short(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, '')}-${hash}`;
}

/** The tags on everything a rollout creates: how status and teardown find it, and never anything else. */
export function rolloutTags(app: string, env: string): { Key: string; Value: string }[] {
  return [
    { Key: 'slipway:app', Value: app },
    { Key: 'slipway:env', Value: env },
    { Key: 'slipway:managed', Value: 'true' },
  ];
}
