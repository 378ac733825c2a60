import { UsageError } from '../../../../src/engine/errors.js';
import type { RolloutContext } from '../../context.js';
import type { Ec2Capacity } from '../../environment.js';

/** The environment's EC2 capacity settings; a usage error when the environment is not an EC2 one. */
export function ec2Settings(c: RolloutContext): Ec2Capacity {
  const env = c.environment();
  if (env.launchType !== 'EC2') throw new UsageError(`The ${c.settings.env} environment runs on ${env.launchType}, not EC2.`, { fix: 'Set "launchType": "EC2" and an "ec2" section in the environment file.' });
  return env.ec2;
}
