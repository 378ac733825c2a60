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

  it('colours only when asked', () => {
    const plain = paintHome({ runs: [], flows, columns: 80, color: false });
    expect(plain).not.toMatch(/\u001B\[/);
    expect(paintHome({ runs: [], flows, columns: 80, color: true })).toMatch(/\u001B\[1;36mslipway · home/);
    expect(plain.split('\n').every((line) => [...line].length <= 80)).toBe(true);
  });
});
