import { classifyAwsError } from '../../../src/aws/errors.js';

/**
 * Error names of the services only the EC2 and Express targets call (Auto Scaling, SSM, EC2 launch
 * templates, ECS capacity providers), which src/aws/errors.ts does not classify yet. Kept in one place so
 * the steps still never string-match: they ask `isAlreadyExists` / `isNotFound`.
 */
const ALREADY_EXISTS = new Set(['AlreadyExistsFault', 'InvalidLaunchTemplateName.AlreadyExistsException']);
const NOT_FOUND = new Set(['ParameterNotFound', 'InvalidLaunchTemplateName.NotFoundException', 'InvalidLaunchTemplateId.NotFound']);

export function isAlreadyExists(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (ALREADY_EXISTS.has(name ?? '')) return true;
  // ECS says a capacity provider exists with a ClientException.
  if (name === 'ClientException' && /capacity provider already exists/i.test(message ?? '')) return true;
  return classifyAwsError(error) === 'already-exists';
}

export function isNotFound(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (NOT_FOUND.has(name ?? '')) return true;
  // Auto Scaling says "not found" with a ValidationError.
  if (name === 'ValidationError' && /AutoScalingGroup name not found/i.test(message ?? '')) return true;
  return classifyAwsError(error) === 'not-found';
}

/** Runs a call; an error `test` accepts becomes undefined ("already there", "not there"). */
export async function unless<T>(test: (error: unknown) => boolean, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (test(error)) return undefined;
    throw error;
  }
}
