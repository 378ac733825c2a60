import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../../flows/shared/runtime.js';
import { settleKnown } from '../../../flows/shared/settled.js';
import { rolloutQuestions } from '../../../flows/rollout/questions.js';
import { settledNotice } from '../../../src/present/outcome.js';

const runtime = (aws: Runtime['aws'], sandbox = false): Runtime => ({ aws, env: {}, platform: 'linux', cwd: '/nowhere', ...(sandbox ? { sandbox: {} as Runtime['sandbox'] } : {}) });
const settledOf = (questions: ReturnType<typeof settleKnown>) => Object.fromEntries(questions.filter((q) => q.settled).map((q) => [q.id, [q.default, q.settled]]));

describe('settleKnown: region and app are not asked again once chosen', () => {
  it('the region of the AWS configuration, and the app of slipway/project.json', () => {
    const questions = settleKnown(rolloutQuestions({}), runtime({ region: 'eu-west-1', regionSource: 'profile', profile: 'acme' }), { app: 'todo' });
    expect(settledOf(questions)).toEqual({ region: ['eu-west-1', 'profile acme'], app: ['todo', 'slipway/project.json'] });
    expect(settledOf(settleKnown(rolloutQuestions({}), runtime({ region: 'eu-west-2', regionSource: 'AWS_REGION' })))).toEqual({ region: ['eu-west-2', 'AWS_REGION'] });
    expect(settledOf(settleKnown(rolloutQuestions({}), runtime({ region: 'us-east-1', regionSource: 'flag' }, true)))).toEqual({ region: ['us-east-1', 'the sandbox'] });
  });

  it('nothing configured, no project file: both are asked (the environment is always asked)', () => {
    expect(settledOf(settleKnown(rolloutQuestions({}), runtime({})))).toEqual({});
  });

  it('the notice names what was taken and the flags that change it', () => {
    expect(settledNotice(['region eu-west-1 (AWS_REGION)', 'app todo (slipway/project.json)'])).toBe('Using region eu-west-1 (AWS_REGION) and app todo (slipway/project.json); --region or --app changes them.');
    expect(settledNotice(['region us-east-1 (the sandbox)'])).toBe('Using region us-east-1 (the sandbox); --region changes it.');
  });
});
