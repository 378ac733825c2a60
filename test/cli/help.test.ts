import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgsError, parseCli } from '../../src/cli/args.js';
import { COMMANDS, FLOWS, findCommand, findFlow } from '../../src/cli/flows.js';
import { commandHelp, mainHelp } from '../../src/cli/help.js';

const BIN = join(process.cwd(), 'dist', 'slipway.js');
const README = readFileSync('README.md', 'utf8');
/** Flags of other tools the README quotes (docker login, npm install, node, the benchmarks), not slipway's. */
const OTHER_TOOLS = new Set(['--password-stdin', '--prefix', '--offline', '--cache', '--build-snapshot', '--snapshot-blob', '--runs', '--node', '--cask', '--rm']);

/** Flows and the commands that are not flows (`slipway logs`): help is made the same way for both. */
const ENTRIES = [...FLOWS, ...COMMANDS];
const findEntry = (name: string) => findFlow(name) ?? findCommand(name);

const flagsIn = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));

/** The README's section about `slipway <name>`: from its heading to the next one of its level. */
function readmeSection(name: string): string {
  const start = README.indexOf(`## \`slipway ${name}\``);
  if (start === -1) return '';
  const next = README.slice(start + 3).search(/^## /m);
  return next === -1 ? README.slice(start) : README.slice(start, start + 3 + next);
}

describe('help made from the flows', () => {
  it('slipway --help lists every command', () => {
    const help = mainHelp(FLOWS, COMMANDS);
    for (const flow of ENTRIES) expect(help).toMatch(new RegExp(`^  slipway ${flow.name}\\b`, 'm'));
    expect(help).toContain('slipway <command> --help');
  });

  it.each(ENTRIES.map((f) => [f.name]))('slipway %s --help: every flag it lists is one the command line takes, and every flag it takes is listed', (name) => {
    const flow = findEntry(name)!;
    const help = commandHelp(flow);
    const listed = [...flagsIn(help)].filter((flag) => flag !== '--help');
    for (const question of flow.questions ?? []) if (question.flag !== '--') expect(listed).toContain(question.flag);
    for (const flag of listed) {
      const question = flow.questions?.find((q) => q.flag === flag);
      const value = question?.kind === 'confirm' ? 'yes' : question?.kind === 'number' ? '1' : question?.choices?.[0]?.value ?? 'x';
      const argv = [name, flag, ...(['--plain', '--yes', '--json', '--sandbox', '--version', '--plan'].includes(flag) ? [] : flag === '--detailed-exitcode' ? ['--plan'] : [value])];
      expect(() => parseCli(argv), `${argv.join(' ')}`).not.toThrow();
    }
    expect(help.split('\n').every((line) => [...line].length <= 80), 'every line fits 80 columns').toBe(true);
  });

  it('every flag the README gives a command is in that command’s help (or is one of every command’s)', () => {
    const everywhere = flagsIn(mainHelp(FLOWS, COMMANDS));
    let checked = 0;
    for (const flow of ENTRIES) {
      const section = readmeSection(flow.name);
      const own = flagsIn(commandHelp(flow));
      for (const flag of flagsIn(section)) {
        if (OTHER_TOOLS.has(flag)) continue;
        expect(own.has(flag) || everywhere.has(flag), `README's "slipway ${flow.name}" names ${flag}, which \`slipway ${flow.name} --help\` does not list`).toBe(true);
        checked++;
      }
    }
    // And no flag anywhere in the README is unknown to every help.
    const known = new Set([...everywhere, ...ENTRIES.flatMap((f) => [...flagsIn(commandHelp(f))]), '--discard', '--list']);
    for (const flag of flagsIn(README)) if (!OTHER_TOOLS.has(flag)) expect(known, `README names ${flag}`).toContain(flag);
    expect(checked).toBeGreaterThan(20);
  });

  it('an unknown flag exits 2 and names that command’s help; --help prints it', () => {
    const env = { ...process.env, HOME: '/nonexistent-home' };
    const wrong = spawnSync(process.execPath, [BIN, 'publish', '--alow-dirty'], { encoding: 'utf8', env });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("Unknown option '--alow-dirty'.");
    expect(wrong.stderr).toContain('Its flags: slipway publish --help');
    const help = spawnSync(process.execPath, [BIN, 'publish', '--help'], { encoding: 'utf8', env });
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(commandHelp(findFlow('publish')!));
    expect(help.stdout).toMatch(/^ {2}--allow-dirty \[yes\|no\] +Publish uncommitted changes \(tagged -dirty\) —\s+default: no$/m);
    expect(() => parseCli(['publish', '--alow-dirty'])).toThrow(ArgsError);
  });
});
