import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { chooseMode } from '../../src/cli/mode.js';

describe('front-end choice', () => {
  const tty = (argv: string[], env: NodeJS.ProcessEnv = {}) => chooseMode(parseCli(argv), env, true, true);
  it('the wizard on a terminal', () => expect(tty([])).toBe('tui'));
  it('plain for --plain, TERM=dumb, piped output and resume --list', () => {
    expect(tty(['--plain'])).toBe('plain');
    expect(tty([], { TERM: 'dumb' })).toBe('plain');
    expect(chooseMode(parseCli([]), {}, true, false)).toBe('plain');
    expect(tty(['resume', '--list'])).toBe('plain');
  });
  it('non-interactive for --yes, --answers, --json, CI and no terminal on stdin', () => {
    expect(tty(['--yes'])).toBe('ci');
    expect(tty(['doctor', '--answers', 'a.json'])).toBe('ci');
    expect(tty(['doctor', '--json'])).toBe('ci');
    expect(tty([], { CI: 'true' })).toBe('ci');
    expect(chooseMode(parseCli([]), {}, false, true)).toBe('ci');
  });
});

describe('argument parsing', () => {
  it('reads commands, flags and positionals', () => {
    expect(parseCli(['resume', '2', '--discard'])).toMatchObject({ command: 'resume', rest: ['2'], discard: true });
    expect(parseCli(['doctor', '--profile', 'acme', '--region', 'eu-west-1', '--endpoint-url', 'http://localhost:4566'])).toMatchObject({
      command: 'doctor',
      profile: 'acme',
      region: 'eu-west-1',
      endpointUrl: 'http://localhost:4566',
    });
    expect(parseCli([])).toMatchObject({ command: 'home' });
  });
  it.each([[['home']], [['--region', '']], [['doctor', '--yes=1']]])('refuses %j', (argv) => {
    expect(() => parseCli(argv)).toThrow();
  });
});
