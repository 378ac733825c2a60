import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runQuestions } from '../../../flows/run/questions.js';
import { teardownQuestions } from '../../../flows/teardown/questions.js';
import { validateGivenAnswers } from '../../../src/engine/answers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function appWith(...envs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-envs-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'slipway', 'environments'), { recursive: true });
  for (const env of envs) writeFileSync(join(dir, 'slipway', 'environments', `${env}.json`), '{}');
  writeFileSync(join(dir, 'slipway', 'environments', 'notes.txt'), 'not an environment');
  return dir;
}

const envQuestion = (questions: ReturnType<typeof teardownQuestions>) => questions.find((q) => q.id === 'env')!;

describe('run and teardown list the environments there are', () => {
  it('teardown: a list of the environment files, nothing chosen for the person; a flag may name one whose file is gone', () => {
    const questions = teardownQuestions({ cwd: appWith('staging', 'dev') });
    const env = envQuestion(questions);
    expect(env).toMatchObject({ kind: 'select', default: undefined, message: 'Environment to tear down' });
    expect(env.choices?.map((c) => c.value)).toEqual(['dev', 'staging']);
    expect(() => validateGivenAnswers(questions, { env: 'old-one' })).not.toThrow();
    expect(() => validateGivenAnswers(questions, { env: 'Not A Name' })).toThrow(/--env Not A Name/);
  });

  it('run: the same list, with dev first chosen when there is one', () => {
    expect(envQuestion(runQuestions({ cwd: appWith('dev', 'prod') }))).toMatchObject({ kind: 'select', default: 'dev' });
    expect(envQuestion(runQuestions({ cwd: appWith('prod') }))).toMatchObject({ kind: 'select', default: undefined });
  });

  it('no environment files yet: the name is typed, as before', () => {
    expect(envQuestion(teardownQuestions({ cwd: appWith() })).kind).toBe('text');
    expect(envQuestion(teardownQuestions({})).kind).toBe('text');
  });
});
