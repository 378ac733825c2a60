/** How slipway names a task on screen: the first characters of its id, as ECS's console does. */
export const SHORT_TASK_ID_LENGTH = 8;

/** "3f2a9c1e" for `arn:aws:ecs:…:task/cluster/3f2a9c1e0b1c…` or the bare id. Kept SDK-free: `slipway logs` uses it. */
export function shortTaskId(taskArnOrId: string): string {
  return (taskArnOrId.split('/').pop() ?? taskArnOrId).slice(0, SHORT_TASK_ID_LENGTH);
}
