import { expect, it } from 'vitest';
import { inSentence } from '../../src/present/format.js';

it('lowers a title’s first letter inside a sentence, but never an acronym’s or a name with digits', () => {
  expect(inSentence('The container exited')).toBe('the container exited');
  expect(inSentence('ECS could not place the tasks')).toBe('ECS could not place the tasks');
  expect(inSentence('IAM role missing')).toBe('IAM role missing');
  expect(inSentence('S3 bucket gone')).toBe('S3 bucket gone');
  expect(inSentence('Out of memory')).toBe('out of memory');
});
