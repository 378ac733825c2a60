import { describe, expect, it } from 'vitest';
import { ArgsError, parseCli } from '../../../src/cli/args.js';
import { FLOWS } from '../../../src/cli/flows.js';
import { mainHelp } from '../../../src/cli/help.js';
import { parseCommand, showCommand } from '../../../flows/run/command.js';

describe('the words after --', () => {
  it('become the run’s command, untouched (flags after -- are the command’s)', () => {
    const args = parseCli(['run', '--env', 'dev', '--', 'sh', '-c', 'exit 3', '--env', 'x']);
    expect(args.command).toBe('run');
    expect(args.passthrough).toEqual(['sh', '-c', 'exit 3', '--env', 'x']);
    expect(args.rest).toEqual([]);
    expect(args.flowAnswers).toEqual({ env: 'dev', command: JSON.stringify(['sh', '-c', 'exit 3', '--env', 'x']) });
  });

  it('global flags still work before --', () => {
    const args = parseCli(['run', '--sandbox', '--json', '--env', 'dev', '--', 'true']);
    expect(args).toMatchObject({ sandbox: 'default', json: true, passthrough: ['true'] });
  });

  it('are refused where a command takes none, and the command word goes before --', () => {
    expect(() => parseCli(['status', '--', 'x'])).toThrow(ArgsError);
    expect(() => parseCli(['status', '--', 'x'])).toThrow(/Unexpected argument "x" after "--"/);
    expect(() => parseCli(['--', 'run'])).toThrow(/goes before "--"/);
    expect(() => parseCli(['run', 'migrate'])).toThrow(/Unexpected argument "migrate"/);
  });

  it('the help shows where the command goes', () => {
    expect(mainHelp(FLOWS)).toContain('slipway run --env <e> -- <command…>');
  });

  it('a bare -- gives no command (it is asked, or its absence named)', () => {
    expect(parseCli(['run', '--env', 'dev', '--']).flowAnswers.command).toBeUndefined();
  });
});

describe('a command typed at the prompt', () => {
  it('is split like a shell splits words, quotes and backslashes only', () => {
    expect(parseCommand(`sh -c 'echo "hi there"; exit 3'`)).toEqual(['sh', '-c', 'echo "hi there"; exit 3']);
    expect(parseCommand(`./manage.py   migrate --no-input`)).toEqual(['./manage.py', 'migrate', '--no-input']);
    expect(parseCommand(`echo "a \\"b\\"" c\\ d ''`)).toEqual(['echo', 'a "b"', 'c d', '']);
    expect(parseCommand(`echo 'unclosed`)).toBeUndefined();
    expect(parseCommand('   ')).toBeUndefined();
  });

  it('or given as a JSON array (from the command line or an answers file)', () => {
    expect(parseCommand('["sh","-c","exit 3"]')).toEqual(['sh', '-c', 'exit 3']);
    expect(parseCommand('[]')).toBeUndefined();
    expect(parseCommand('[1]')).toBeUndefined();
  });

  it('is shown so it can be pasted back', () => {
    expect(showCommand(['sh', '-c', "echo it's; exit 3"])).toBe(`sh -c 'echo it'\\''s; exit 3'`);
    expect(parseCommand(showCommand(['sh', '-c', "echo it's; exit 3"]))).toEqual(['sh', '-c', "echo it's; exit 3"]);
  });
});
