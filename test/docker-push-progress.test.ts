import { describe, expect, it } from 'vitest';
import type { LayerProgress, PushLine } from '../src/docker/push-progress.js';
import { parseByteSize, parsePushLine } from '../src/docker/push-progress.js';

// Captured from docker 28.2.2 and 20.10.24 pushing to a local registry:2 (distribution 2.8.2).

/** What docker prints when stdout is a pipe, as slipway runs it: no byte counts at all. */
const PIPE_FIRST_PUSH = `The push refers to repository [127.0.0.1:5000/exp/big]
d72884d37917: Preparing
f32a1dc3905d: Preparing
f32a1dc3905d: Pushed
d72884d37917: Pushed
1: digest: sha256:14865cb2bfbf8ce450c626ae7fd96ca9bcd9e9ca21aa3cb7dfce8b69808b9ba0 size: 736`;

const PIPE_SECOND_PUSH = `The push refers to repository [127.0.0.1:5000/exp/scratch]
d03bd1c2fcc1: Preparing
d03bd1c2fcc1: Layer already exists
a: digest: sha256:c5bbad11018aebf19d5ad984f65bbb47b715d3970b4ceded12510d46a43162eb size: 524`;

const PIPE_MOUNT = `d72884d37917: Mounted from exp/big`;

/** On a terminal narrower than 110 columns docker leaves out the bar. */
const TTY_NARROW =
  'The push refers to repository [127.0.0.1:5000/exp/big4]\r\n\r\n\u001b[1A\u001b[2K\rc0242757967e: Preparing \r\u001b[1B\r\n' +
  '\u001b[1A\u001b[2K\rf32a1dc3905d: Preparing \r\u001b[1B\u001b[2A\u001b[2K\rc0242757967e: Pushing  328.2kB/30MB\r\u001b[2B' +
  '\u001b[1A\u001b[2K\rf32a1dc3905d: Mounted from exp/big3 \r\u001b[1B\u001b[2A\u001b[2K\rc0242757967e: Pushing   2.95MB/30MB\r\u001b[2B' +
  '\u001b[2A\u001b[2K\rc0242757967e: Pushing  29.16MB/30MB\r\u001b[2B\u001b[2A\u001b[2K\rc0242757967e: Pushing     30MB\r\u001b[2B' +
  '\u001b[2A\u001b[2K\rc0242757967e: Pushed \r\u001b[2B1: digest: sha256:cfb575432a69f1f2b8fd9dc9de39d1fcc0be1b38d46d8188dda4b358e92ad6f3 size: 736\r\n';

/** A 200-column terminal: with the `[==>   ]` bar. */
const TTY_WIDE =
  'The push refers to repository [127.0.0.1:5000/exp/big5]\r\n\r\n\u001b[1A\u001b[2K\re9a4ba6eea10: Preparing \r\u001b[1B\r\n' +
  '\u001b[1A\u001b[2K\ra4763042f36a: Preparing \r\u001b[1B\u001b[1A\u001b[2K\ra4763042f36a: Pushing [>                                                  ]  33.28kB/3MB\r\u001b[1B' +
  '\u001b[2A\u001b[2K\re9a4ba6eea10: Pushing [>                                                  ]  328.2kB/30MB\r\u001b[2B' +
  '\u001b[1A\u001b[2K\ra4763042f36a: Pushing [==================================================>]  3.002MB\r\u001b[1B' +
  '\u001b[1A\u001b[2K\ra4763042f36a: Pushed \r\u001b[1B\u001b[2A\u001b[2K\re9a4ba6eea10: Pushing [=========================>                         ]   15.4MB/30MB\r\u001b[2B' +
  '\u001b[2A\u001b[2K\re9a4ba6eea10: Pushed \r\u001b[2B1: digest: sha256:c02b79f7c0c8b11c701d418a7240161540545d1e21351c05c03a792630e99cd4 size: 740\r\n';

function parseAll(output: string): PushLine[] {
  return output.split('\n').flatMap((line) => parsePushLine(line));
}

function layerEvents(output: string): LayerProgress[] {
  return parseAll(output).flatMap((line) => (line.kind === 'layer' ? [line.progress] : []));
}

describe('parsePushLine on piped output', () => {
  it('reports each layer state change and the digest', () => {
    expect(parseAll(PIPE_FIRST_PUSH)).toEqual([
      { kind: 'layer', progress: { layer: 'd72884d37917', status: 'preparing' } },
      { kind: 'layer', progress: { layer: 'f32a1dc3905d', status: 'preparing' } },
      { kind: 'layer', progress: { layer: 'f32a1dc3905d', status: 'pushed' } },
      { kind: 'layer', progress: { layer: 'd72884d37917', status: 'pushed' } },
      {
        kind: 'digest',
        manifest: {
          tag: '1',
          digest: 'sha256:14865cb2bfbf8ce450c626ae7fd96ca9bcd9e9ca21aa3cb7dfce8b69808b9ba0',
          size: 736,
        },
      },
    ]);
  });

  it('recognises layers that already exist or were mounted', () => {
    expect(layerEvents(PIPE_SECOND_PUSH).map((event) => event.status)).toEqual(['preparing', 'exists']);
    expect(layerEvents(PIPE_MOUNT)).toEqual([{ layer: 'd72884d37917', status: 'mounted', detail: 'exp/big' }]);
  });

  it('treats waiting and docker’s own retries as waiting', () => {
    expect(layerEvents('5f70bf18a086: Waiting')).toEqual([{ layer: '5f70bf18a086', status: 'waiting' }]);
    expect(layerEvents('5f70bf18a086: Retrying in 5 seconds')).toEqual([
      { layer: '5f70bf18a086', status: 'waiting', detail: 'Retrying in 5 seconds' },
    ]);
  });

  it('ignores the header, errors and blank lines', () => {
    expect(parsePushLine('The push refers to repository [127.0.0.1:5000/exp/scratch]')).toEqual([]);
    expect(parsePushLine('unauthorized: authentication required')).toEqual([]);
    expect(parsePushLine('no basic auth credentials')).toEqual([]);
    expect(parsePushLine('')).toEqual([]);
  });
});

describe('parsePushLine on terminal output', () => {
  it('splits redraws, strips cursor movement and reads byte counts without a bar', () => {
    const events = layerEvents(TTY_NARROW);
    expect(events).toContainEqual({ layer: 'c0242757967e', status: 'pushing', current: 328_200, total: 30_000_000 });
    expect(events).toContainEqual({ layer: 'c0242757967e', status: 'pushing', current: 2_950_000, total: 30_000_000 });
    // The last update has no total.
    expect(events).toContainEqual({ layer: 'c0242757967e', status: 'pushing', current: 30_000_000 });
    expect(events).toContainEqual({ layer: 'f32a1dc3905d', status: 'mounted', detail: 'exp/big3' });
    expect(events.at(-1)).toEqual({ layer: 'c0242757967e', status: 'pushed' });
    const digests = parseAll(TTY_NARROW).filter((line) => line.kind === 'digest');
    expect(digests).toEqual([
      {
        kind: 'digest',
        manifest: { tag: '1', digest: 'sha256:cfb575432a69f1f2b8fd9dc9de39d1fcc0be1b38d46d8188dda4b358e92ad6f3', size: 736 },
      },
    ]);
  });

  it('reads byte counts behind the progress bar', () => {
    const events = layerEvents(TTY_WIDE);
    expect(events).toContainEqual({ layer: 'a4763042f36a', status: 'pushing', current: 33_280, total: 3_000_000 });
    expect(events).toContainEqual({ layer: 'a4763042f36a', status: 'pushing', current: 3_002_000 });
    expect(events).toContainEqual({ layer: 'e9a4ba6eea10', status: 'pushing', current: 15_400_000, total: 30_000_000 });
    expect(events.filter((event) => event.status === 'pushed').map((event) => event.layer)).toEqual([
      'a4763042f36a',
      'e9a4ba6eea10',
    ]);
    expect(parseAll(TTY_WIDE).some((line) => line.kind === 'digest')).toBe(true);
  });

  it('handles a GB-sized layer', () => {
    expect(layerEvents('0123456789ab: Pushing [=>     ]  1.2MB/3.4GB')).toEqual([
      { layer: '0123456789ab', status: 'pushing', current: 1_200_000, total: 3_400_000_000 },
    ]);
  });
});

describe('parseByteSize', () => {
  it.each([
    ['512B', 512],
    ['33.28kB', 33_280],
    ['1.2MB', 1_200_000],
    ['3.4GB', 3_400_000_000],
    ['1TB', 1e12],
    ['2KiB', 2048],
    ['1.5MiB', 1_572_864],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it('rejects text that is not a size', () => {
    expect(parseByteSize('fast')).toBeUndefined();
    expect(parseByteSize('12 parsecs')).toBeUndefined();
  });
});
