import { createHash } from 'node:crypto';
import type { RolloutNames } from '../rollout/names.js';

/**
 * The task role `slipway exec` makes when the task definition has none: `<app>-<env>-ecs-task`, at most
 * 64 characters (IAM's limit). Teardown finds it by this name and deletes it only with slipway's tags.
 */
export function execTaskRoleName(names: Pick<RolloutNames, 'family'>): string {
  const name = `${names.family}-ecs-task`;
  return name.length <= 64 ? name : `${name.slice(0, 57).replace(/-+$/, '')}-${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
}
