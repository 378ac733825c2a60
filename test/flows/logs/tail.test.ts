import { describe, expect, it } from 'vitest';
import { LogCursor, pollBackoff, tailLogs, type LogEvent } from '../../../flows/logs/tail.js';

/**
 * A log group as FilterLogEvents shows it: every event at or after startTime, oldest first (ties in the
 * order they were written), in pages. Lines can be written between polls, and a line can become
 * visible late (`visible: false` until the test shows it), as a task's batched log driver makes them.
 */
class FakeGroup {
  events: (LogEvent & { visible: boolean })[] = [];
  private id = 0;
  calls: number[] = [];
  constructor(private readonly pageSize = 3) {}

  write(stream: string, timestamp: number, message: string, visible = true): LogEvent & { visible: boolean } {
    const event = { eventId: String(++this.id).padStart(8, '0'), stream, timestamp, message, visible };
    this.events.push(event);
    return event;
  }

  async *pages(startTime: number): AsyncIterable<LogEvent[]> {
    this.calls.push(startTime);
    const matching = this.events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.visible && e.timestamp >= startTime)
      .sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i)
      .map(({ e }) => ({ eventId: e.eventId, stream: e.stream, timestamp: e.timestamp, message: e.message }));
    for (let i = 0; i < matching.length; i += this.pageSize) yield matching.slice(i, i + this.pageSize);
  }
}

/** Runs a follow: `between[n]` runs after poll n (writes lines), and the tail is stopped after the last. */
async function follow(group: FakeGroup, between: (() => void)[], options: { lookbackMs?: number; since?: number } = {}) {
  const printed: LogEvent[] = [];
  const waits: number[] = [];
  const stop = new AbortController();
  let polls = 0;
  const result = await tailLogs({
    pages: (start) => group.pages(start),
    print: (events) => printed.push(...events),
    since: options.since ?? 0,
    follow: true,
    signal: stop.signal,
    poll: { minMs: 100, maxMs: 800 },
    lookbackMs: options.lookbackMs ?? 0,
    sleep: async (ms) => {
      waits.push(ms);
      between[polls++]?.();
      if (polls > between.length) stop.abort();
    },
  });
  return { printed, waits, result, messages: printed.map((e) => e.message) };
}

describe('following a log group with FilterLogEvents', () => {
  it('lines with the timestamp of the last printed one, written after it was printed: each printed once, none missed', async () => {
    const group = new FakeGroup();
    group.write('ecs/app/a', 1000, 'a1');
    group.write('ecs/app/a', 1000, 'a2');
    group.write('ecs/app/b', 1000, 'b1');
    const { messages, printed } = await follow(group, [
      // Same millisecond as everything printed so far, in both streams: the boundary of the next poll.
      () => {
        group.write('ecs/app/a', 1000, 'a3');
        group.write('ecs/app/b', 1000, 'b2');
      },
      () => {}, // a poll that finds nothing new: the boundary events come back and are not printed again
      () => {
        group.write('ecs/app/a', 1000, 'a4');
        group.write('ecs/app/a', 1001, 'a5');
        group.write('ecs/app/b', 1001, 'b3');
      },
      () => group.write('ecs/app/b', 1001, 'b4'),
    ]);
    expect(messages).toEqual(['a1', 'a2', 'b1', 'a3', 'b2', 'a4', 'a5', 'b3', 'b4']);
    expect(new Set(printed.map((e) => e.eventId)).size).toBe(printed.length);
    // Each poll after the first starts at the newest timestamp printed (no lookback asked for).
    expect(group.calls).toEqual([0, 1000, 1000, 1000, 1001]);
  });

  it('many lines in one millisecond, over several pages and polls: every one, once, in order', async () => {
    const group = new FakeGroup(2);
    const written: string[] = [];
    const burst = (n: number) => () => {
      for (let i = 0; i < n; i++) written.push(group.write(`ecs/app/${i % 3}`, 5000, `line ${written.length}`).message);
    };
    burst(5)();
    const { messages } = await follow(group, [burst(4), burst(0), burst(7), burst(1)]);
    expect(messages).toEqual(written);
  });

  it('a line that becomes visible late (another task’s batch) is printed when it arrives, once, when within the lookback', async () => {
    const group = new FakeGroup();
    group.write('ecs/app/a', 10_000, 'a at 10.0 s');
    const late = group.write('ecs/app/b', 9_500, 'b at 9.5 s, sent late', false);
    const tooLate = group.write('ecs/app/b', 1_000, 'b at 1.0 s, sent much later', false);
    const { messages } = await follow(
      group,
      [
        () => {
          late.visible = true;
          group.write('ecs/app/a', 10_200, 'a at 10.2 s');
        },
        () => {},
        () => (tooLate.visible = true),
        () => {},
      ],
      { lookbackMs: 2000 },
    );
    expect(messages).toEqual(['a at 10.0 s', 'b at 9.5 s, sent late', 'a at 10.2 s']);
  });

  it('without following: one pass from --since, oldest first, and no sleeping', async () => {
    const group = new FakeGroup();
    group.write('ecs/app/a', 500, 'too old');
    group.write('ecs/app/b', 2000, 'second');
    group.write('ecs/app/a', 1000, 'first');
    const printed: string[] = [];
    const result = await tailLogs({
      pages: (start) => group.pages(start),
      print: (events) => printed.push(...events.map((e) => e.message)),
      since: 1000,
      follow: false,
      signal: new AbortController().signal,
      poll: { minMs: 1, maxMs: 1 },
      lookbackMs: 0,
      sleep: () => Promise.reject(new Error('must not sleep')),
    });
    expect(printed).toEqual(['first', 'second']);
    expect(result.printed).toBe(2);
  });

  it('backs off while nothing comes (doubling up to the longest), and polls at the shortest again once lines come', async () => {
    const group = new FakeGroup();
    group.write('ecs/app/a', 1, 'x');
    const quiet = () => {};
    const { waits } = await follow(group, [quiet, quiet, quiet, quiet, quiet, () => group.write('ecs/app/a', 2, 'y'), quiet]);
    expect(waits).toEqual([100, 200, 400, 800, 800, 800, 100, 200]);
    const backoff = pollBackoff(1000, 8000);
    expect([backoff.next(false), backoff.next(false), backoff.refused(), backoff.next(true)]).toEqual([2000, 4000, 8000, 1000]);
  });

  it('a throttled poll waits the longest and tries again, said once per streak; another error ends the tail', async () => {
    const group = new FakeGroup();
    group.write('ecs/app/a', 1, 'x');
    let failures = 2;
    const told: number[] = [];
    const waits: number[] = [];
    const printed: string[] = [];
    const stop = new AbortController();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    await tailLogs({
      pages: (start) => (failures-- > 0 ? (async function* () { throw throttled; })() : group.pages(start)),
      print: (events) => printed.push(...events.map((e) => e.message)),
      since: 0,
      follow: true,
      signal: stop.signal,
      poll: { minMs: 100, maxMs: 800 },
      lookbackMs: 0,
      retryable: (e) => (e as Error).name === 'ThrottlingException',
      onRetry: (_e, ms) => told.push(ms),
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) stop.abort();
      },
    });
    expect(waits).toEqual([800, 800, 100]);
    expect(told).toEqual([800]);
    expect(printed).toEqual(['x']);

    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const failing = tailLogs({
      pages: () => (async function* () { throw denied; })(),
      print: () => {},
      since: 0,
      follow: true,
      signal: new AbortController().signal,
      poll: { minMs: 1, maxMs: 1 },
      lookbackMs: 0,
      retryable: (e) => (e as Error).name === 'ThrottlingException',
    });
    await expect(failing).rejects.toBe(denied);
  });

  it('an abort (Ctrl-C) during a poll or a wait ends the tail quietly', async () => {
    const stop = new AbortController();
    const pending = tailLogs({
      pages: (_start, signal) =>
        (async function* () {
          await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
          yield [];
        })(),
      print: () => {},
      since: 0,
      follow: true,
      signal: stop.signal,
      poll: { minMs: 60_000, maxMs: 60_000 },
      lookbackMs: 0,
    });
    setTimeout(() => stop.abort(), 10);
    await expect(pending).resolves.toEqual({ printed: 0 });

    const waiting = new AbortController();
    const started = Date.now();
    const sleeping = tailLogs({ pages: async function* () {}, print: () => {}, since: 0, follow: true, signal: waiting.signal, poll: { minMs: 60_000, maxMs: 60_000 }, lookbackMs: 0 });
    setTimeout(() => waiting.abort(), 10);
    await sleeping;
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('remembers only the eventIds a later poll can return again', () => {
    const cursor = new LogCursor(0, 1000);
    let id = 0;
    const page = (t: number, n: number) => Array.from({ length: n }, () => ({ eventId: String(++id), stream: 'ecs/app/a', timestamp: t, message: '' }));
    for (let second = 0; second < 100; second++) {
      cursor.begin();
      cursor.take(page(second * 1000, 50));
      cursor.take(page(second * 1000 + 500, 50));
    }
    // The newest is at 99.5 s: the next poll starts at 98.5 s, so what is older is forgotten.
    expect(cursor.startTime()).toBe(98_500);
    expect(cursor.remembered).toBeLessThanOrEqual(250); // this poll's window and the last one's
    cursor.begin();
    expect(cursor.remembered).toBe(150); // 98.5 s, 99 s and 99.5 s: 50 each
    expect(cursor.take(page(99_500, 1)).length).toBe(1);
  });
});
