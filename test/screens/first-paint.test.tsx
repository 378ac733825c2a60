import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { paintHome } from '../../screens/first-paint.js';
import { HomeScreen } from '../../screens/home-screen.js';
import type { FlowEntry } from '../../src/cli/flows.js';
import type { RunListing } from '../../src/cli/runs.js';

const flows: FlowEntry[] = [
  { name: 'doctor', label: 'Check this machine', description: 'Node, Docker, buildx, AWS credentials and identity, region, ~/.aws file modes', load: async () => { throw new Error('not loaded'); } },
  { name: 'other', label: 'Another flow', description: 'second', load: async () => { throw new Error('not loaded'); } },
];
const run: RunListing = { path: '/x.json', flow: 'doctor', target: { region: 'eu-west-1', app: 'todo', env: 'dev' }, status: 'failed', reached: 'Docker buildx', stepsDone: 3, stepsTotal: 8, updatedAt: new Date(Date.now() - 3 * 3600_000).toISOString() }; // "3 h ago" in both renders

// ink-testing-library renders 100 columns wide, without colour.
const strip = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).join('\n');

describe('the first frame painted before ink loads', () => {
  it.each([
    ['no runs', [] as RunListing[], undefined, 'us-east-1'],
    ['one unfinished run, a named profile', [run], 'acme', 'eu-west-1'],
    ['no region', [run, { path: '/broken.json', broken: 'bad' }], undefined, undefined],
  ])('matches the ink home screen line for line (%s)', (_name, runs, profile, region) => {
    const ink = render(<HomeScreen runs={runs} flows={flows} profile={profile} region={region} onChoose={() => {}} />);
    const inkFrame = strip(ink.lastFrame() ?? '');
    ink.unmount();
    expect(strip(paintHome({ runs, flows, profile, region, columns: 100, color: false }))).toBe(inkFrame);
  });

  it.each([
    ['no credentials: the sandbox first, with the reason', [] as RunListing[], { noCredentials: true }, 100],
    ['no credentials and a run to resume', [run], { noCredentials: true }, 100],
    ['no credentials, 80 columns (the reason is cut, not wrapped)', [run], { noCredentials: true }, 80],
    ['credentials: the sandbox after the flows', [run], { noCredentials: false }, 100],
    ['in the sandbox: the badge, no entry', [run], { sandbox: 'default', noCredentials: true }, 100],
    ['in a named sandbox, narrow (the header info is cut at its start)', [], { sandbox: 'rehearsal-2' }, 60],
    ['narrow, no credentials', [run], { noCredentials: true }, 45],
  ])('matches the ink home screen line for line (%s)', (_name, runs, home, columns) => {
    // ink-testing-library's terminal is 100 columns wide; a narrower one is a box that wide.
    const ink = render(
      <Box width={columns} flexDirection="column">
        <HomeScreen runs={runs} flows={flows} profile="acme" region="eu-west-1" onChoose={() => {}} {...home} />
      </Box>,
    );
    const inkFrame = strip(ink.lastFrame() ?? '');
    ink.unmount();
    expect(strip(paintHome({ runs, flows, profile: 'acme', region: 'eu-west-1', columns, color: false, ...home }))).toBe(inkFrame);
  });

  it.each([
    ['the second entry', 'flow:other', 4],
    ['a run, in a menu longer than the window (scrolled)', 'run:9', 14],
    ['Quit, at the end of a scrolled menu', 'quit', 14],
  ])('with the focus moved by early keys, matches the ink home screen started there (%s)', (_name, selected, runCount) => {
    const runs = Array.from({ length: runCount }, (_, i) => ({ ...run, path: `/r${i}.json` }));
    const ink = render(<HomeScreen runs={runs} flows={flows} profile="acme" region="eu-west-1" selected={selected} onChoose={() => {}} />);
    const inkFrame = strip(ink.lastFrame() ?? '');
    ink.unmount();
    const painted = strip(paintHome({ runs, flows, profile: 'acme', region: 'eu-west-1', columns: 100, color: false, selected }));
    expect(painted).toBe(inkFrame);
    expect(painted.split('\n').filter((line) => line.startsWith(' ❯'))).toHaveLength(1);
  });

  it('ink opens what Enter chose on the first paint', () => {
    const chosen: unknown[] = [];
    const ink = render(<HomeScreen runs={[]} flows={flows} selected="flow:other" chosen onChoose={(choice) => chosen.push(choice)} />);
    ink.unmount();
    expect(chosen).toEqual([{ kind: 'flow', flow: 'other' }]);
  });

  it('offers the sandbox first with its reason only when there are no credentials', () => {
    const none = strip(paintHome({ runs: [], flows, columns: 100, color: false, noCredentials: true })).split('\n');
    expect(none).toContain(' No AWS credentials found on this machine — rehearse first; nothing leaves this machine.');
    expect(none.find((line) => line.startsWith(' ❯'))).toBe(' ❯ Rehearse in the sandbox (slipway --sandbox)');
    const some = strip(paintHome({ runs: [], flows, columns: 100, color: false })).split('\n');
    expect(some.join('\n')).not.toContain('No AWS credentials');
    expect(some.filter((line) => /^ (❯ | {2})\S/.test(line)).slice(0, -1).map((line) => line.slice(3))).toEqual(['Check this machine (slipway doctor)', 'Another flow (slipway other)', 'Rehearse in the sandbox (slipway --sandbox)', 'Quit']);
    const inside = strip(paintHome({ runs: [], flows, columns: 100, color: false, sandbox: 'default', noCredentials: true }));
    expect(inside).toContain('slipway · home SANDBOX default ');
    expect(inside).not.toContain('Rehearse in the sandbox');
    expect(inside).not.toContain('No AWS credentials');
  });

  it('colours only when asked', () => {
    const plain = paintHome({ runs: [], flows, columns: 80, color: false });
    expect(plain).not.toMatch(/\u001B\[/);
    expect(paintHome({ runs: [], flows, columns: 80, color: true })).toMatch(/\u001B\[1;36mslipway · home/);
    expect(plain.split('\n').every((line) => [...line].length <= 80)).toBe(true);
  });
});
