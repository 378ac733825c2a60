import { describe, expect, it } from 'vitest';
import { ArgsError, parseCli } from '../../src/cli/args.js';

describe('parseCli: yes/no flags of a flow', () => {
  it('stand alone (--approve) or take a value (--approve no)', () => {
    expect(parseCli(['rollout', '--env', 'prod', '--approve']).flowAnswers).toMatchObject({ env: 'prod', approve: 'yes' });
    expect(parseCli(['rollout', '--approve', '--env', 'prod']).flowAnswers).toMatchObject({ env: 'prod', approve: 'yes' });
    expect(parseCli(['rollout', '--approve', 'no', '--env', 'prod']).flowAnswers).toMatchObject({ approve: 'no' });
    expect(parseCli(['rollout', '--detach=false']).flowAnswers).toMatchObject({ detach: 'false' });
  });

  it('leave words after -- alone (they are a one-off task’s command)', () => {
    const args = parseCli(['run', '--env', 'dev', '--', 'echo', '--approve']);
    expect(args.passthrough).toEqual(['echo', '--approve']);
  });

  it('a text flag still needs its value', () => {
    expect(() => parseCli(['rollout', '--env'])).toThrow(ArgsError);
  });
});

describe('parseCli: a yes/no flag with a wrong word', () => {
  it('keeps the word as its value, so it is refused by name', () => {
    expect(parseCli(['bootstrap', '--console-password', 'maybe']).flowAnswers).toMatchObject({ consolePassword: 'maybe' });
  });
});
