import { spawn } from 'node:child_process';
import { buildChild } from '../support/build-child.js';

// Running the flow child (test/support/flow-verify-child.ts) and reading what it printed. No vitest here.

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The JSON lines it printed (run events, `asked`, `summary`). */
  lines: Record<string, unknown>[];
  asked: string[];
  summary?: { status: string; failures: { stepId: string; message: string }[]; calls: number; mutatingCalls: number; journalWrites: number; faults?: { calls: number; injected: number; byKind: Record<string, number>; sessionsExpired: number } };
  ms: number;
}

let built: Promise<string> | undefined;
export function flowChild(): Promise<string> {
  return (built ??= buildChild('test/support/flow-verify-child.ts'));
}

export async function runFlowChild(flow: string, work: string, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<ChildRun> {
  const child = await flowChild();
  const started = Date.now();
  const proc = spawn(process.execPath, [child, flow, work], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  const lines = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return []; // the last line of a killed child may be cut short
      }
    });
  const asked = lines.filter((l) => l.type === 'asked').map((l) => String(l.id));
  const summary = lines.find((l) => l.type === 'summary') as ChildRun['summary'];
  return { code, signal, stdout, stderr, lines, asked, summary, ms: Date.now() - started };
}

/** Runs `work` over `items`, `width` at a time (2: the machine has 2 CPUs). */
export async function pool<T, R>(items: T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T, index);
      }
    }),
  );
  return results;
}
