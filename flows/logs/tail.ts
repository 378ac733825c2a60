/**
 * Following a log group by polling FilterLogEvents, with no line printed twice and none skipped.
 *
 * FilterLogEvents takes a start time, not a position: each poll starts at the newest timestamp printed
 * so far, so the events of that millisecond come back again and are recognised by their eventId. The
 * poll reaches a little further back than that (`lookbackMs`): a task's log driver sends its lines in
 * batches, so a line stamped a second ago by one task can become visible after a newer line of
 * another task was printed. Such a late line is printed when it arrives (after the newer one) instead
 * of being lost; the eventIds remembered for that window keep everything else from repeating.
 */

export interface LogEvent {
  eventId: string;
  /** When the container wrote it (epoch ms). */
  timestamp: number;
  message: string;
  /** `<prefix>/<container>/<task id>`. */
  stream: string;
}

/**
 * What has been printed, and so where the next poll starts. A poll is `begin()` (its start time), then
 * `take()` for each page. Remembered: the eventIds a later poll can return again (at or after its start),
 * so memory stays within the lookback window however long the tail runs or however far back it starts.
 */
export class LogCursor {
  /** eventId → timestamp, printed by earlier polls, at or after this poll's start. */
  private earlier = new Map<string, number>();
  /** eventId → timestamp, printed by this poll and still within reach of the next. */
  private current = new Map<string, number>();
  private newest: number | undefined;

  constructor(
    private readonly since: number,
    private readonly lookbackMs = 0,
  ) {}

  /** The startTime of the next FilterLogEvents. */
  startTime(): number {
    return this.newest === undefined ? this.since : Math.max(this.since, this.newest - this.lookbackMs);
  }

  begin(): number {
    const start = this.startTime();
    this.earlier = new Map([...this.earlier, ...this.current].filter(([, timestamp]) => timestamp >= start));
    this.current = new Map();
    return start;
  }

  /** The events of one page not printed yet, oldest first; they count as printed from now on. */
  take(page: LogEvent[]): LogEvent[] {
    const fresh: LogEvent[] = [];
    // Stable: events of the same millisecond keep the order CloudWatch gave them.
    for (const event of [...page].sort((a, b) => a.timestamp - b.timestamp)) {
      if (event.timestamp < this.since || this.earlier.has(event.eventId) || this.current.has(event.eventId)) continue;
      this.current.set(event.eventId, event.timestamp);
      if (this.newest === undefined || event.timestamp > this.newest) this.newest = event.timestamp;
      fresh.push(event);
    }
    // This poll's events older than the next poll's start cannot come back: forget them as it goes,
    // so a first poll over a week of lines does not hold a week of eventIds.
    const horizon = this.startTime();
    for (const [id, timestamp] of this.current) if (timestamp < horizon) this.current.delete(id);
    return fresh;
  }

  /** How many eventIds are remembered (the memory stays bounded by the lookback window). */
  get remembered(): number {
    return this.earlier.size + this.current.size;
  }
}

/** Poll intervals: the shortest after a poll that found lines, doubling while nothing comes, up to the longest. */
export function pollBackoff(minMs: number, maxMs: number) {
  let current = minMs;
  return {
    next(found: boolean): number {
      current = found ? minMs : Math.min(maxMs, current * 2);
      return current;
    },
    /** After a refused poll (throttled, unreachable): wait the longest before the next. */
    refused(): number {
      current = maxMs;
      return current;
    },
  };
}

export interface TailOptions {
  /** Every page of events from `startTime` on, as FilterLogEvents returns them. */
  pages(startTime: number, signal: AbortSignal): AsyncIterable<LogEvent[]>;
  /** Prints events, oldest first. */
  print(events: LogEvent[]): void;
  since: number;
  follow: boolean;
  /** Aborted: leave (Ctrl-C). */
  signal: AbortSignal;
  poll: { minMs: number; maxMs: number };
  lookbackMs: number;
  /** Whether a failed poll is worth repeating when following (throttling, the network); told once per streak. */
  retryable?(error: unknown): boolean;
  onRetry?(error: unknown, waitMs: number): void;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/** Prints what the group holds since `since`; when following, polls for more until the signal aborts. */
export async function tailLogs(o: TailOptions): Promise<{ printed: number }> {
  const cursor = new LogCursor(o.since, o.follow ? o.lookbackMs : 0);
  const backoff = pollBackoff(o.poll.minMs, o.poll.maxMs);
  const sleep = o.sleep ?? abortableSleep;
  let printed = 0;
  let failing = false;
  while (!o.signal.aborted) {
    let wait: number;
    try {
      let found = 0;
      for await (const page of o.pages(cursor.begin(), o.signal)) {
        const fresh = cursor.take(page);
        if (fresh.length > 0) o.print(fresh);
        found += fresh.length;
      }
      printed += found;
      failing = false;
      if (!o.follow) break;
      wait = backoff.next(found > 0);
    } catch (error) {
      if (o.signal.aborted) break;
      if (!o.follow || !o.retryable?.(error)) throw error;
      wait = backoff.refused();
      if (!failing) o.onRetry?.(error, wait);
      failing = true;
    }
    await sleep(wait, o.signal);
  }
  return { printed };
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
