import { classifyAwsError } from '../../../src/aws/errors.js';

/** "Already there" and "not there" as src/aws/errors.ts classifies them, for `unless`. */
export const isAlreadyExists = (error: unknown): boolean => classifyAwsError(error) === 'already-exists';
export const isNotFound = (error: unknown): boolean => classifyAwsError(error) === 'not-found';

/** Runs a call; an error `test` accepts becomes undefined ("already there", "not there"). */
export async function unless<T>(test: (error: unknown) => boolean, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (test(error)) return undefined;
    throw error;
  }
}
