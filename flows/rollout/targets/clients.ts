import type { RolloutContext } from '../context.js';

/**
 * The two clients only the EC2 target needs. They are the rollout's own (rollout/context.ts): the same
 * region, endpoint, retries, sandbox and shared credentials, so an MFA profile asks for one code and an
 * expired session is renewed there too.
 */
export const ssmOf = (c: RolloutContext) => c.ssm();
export const autoScalingOf = (c: RolloutContext) => c.autoScaling();
