import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LivePane } from '../../screens/live-pane.js';
import { plain } from './support.js';

const LONG = 'Error: connect ECONNREFUSED 10.0.3.17:5432 — the database at postgres://todo@db.internal:5432/todo refused the connection; is its security group open to the tasks?';

describe('LivePane', () => {
  it('wraps a long line at 80 columns instead of cutting it, and stays within its height', () => {
    const { lastFrame } = render(<Box width={80}><LivePane log={[{ text: 'first line', level: 'info' }, { text: LONG, level: 'error' }]} progress={[]} height={4} width={80} /></Box>);
    const frame = plain(lastFrame() ?? '');
    const rows = frame.split('\n');
    expect(Math.max(...rows.map((r) => r.length))).toBeLessThanOrEqual(80);
    const text = rows.map((r) => r.replace(/^[│ ]+|[│ ]+$/g, '')).join(' ');
    expect(text.replace(/\s+/g, ' ')).toContain(LONG);
    // Three rows of the long line leave one for the line before it; border rows come on top.
    expect(rows).toHaveLength(4 + 2);
    expect(frame).toContain('first line');
  });

  it('the newest rows win when the lines need more rows than there are', () => {
    const { lastFrame } = render(<Box width={80}><LivePane log={[{ text: 'older line', level: 'info' }, { text: LONG, level: 'info' }]} progress={[]} height={2} width={80} /></Box>);
    const frame = plain(lastFrame() ?? '');
    expect(frame).not.toContain('older line');
    const text = frame.split('\n').map((r) => r.replace(/^[│ ]+|[│ ]+$/g, '')).join(' ');
    expect(text.replace(/\s+/g, ' ')).toMatch(/open to the tasks\?/);
    expect(frame.split('\n')).toHaveLength(2 + 2);
  });
});
