import { Box, Text } from 'ink';
import wrapAnsi from 'wrap-ansi';
import { bar, bytes } from '../src/present/format.js';
import type { LogLine, ProgressView } from './state/run-view.js';

const LEVEL_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const;

/**
 * The running step's log and progress bars. Long lines wrap (an error, a URL, a task's output are read
 * whole, not cut at 80 columns), and only the last `height` rows are drawn: a frame taller than the
 * terminal makes ink clear the whole screen on every render.
 */
export function LivePane({ log, progress, height, width }: { log: LogLine[]; progress: ProgressView[]; height: number; width: number }) {
  if (log.length === 0 && progress.length === 0) return null;
  const barWidth = Math.max(10, Math.min(30, width - 50));
  const bars = progress.slice(-Math.max(1, Math.floor(height / 2)));
  const rows = Math.max(1, height - bars.length);
  // Inside the border and padding: two columns on each side. Wrapped with ink's own wrap-ansi.
  const inner = Math.max(10, width - 4);
  const lines = log
    .slice(-rows)
    .flatMap((line) => wrapAnsi(line.text, inner, { hard: true, trim: false }).split('\n').map((text) => ({ text, level: line.level })))
    .slice(-rows);
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
      {lines.map((line, i) => (
        <Text key={i} color={LEVEL_COLOR[line.level]} wrap="truncate-end">
          {line.text}
        </Text>
      ))}
      {bars.map((p) => (
        <Text key={p.label} wrap="truncate-end">
          {`${p.label.padEnd(14).slice(0, 14)} ${p.total ? bar(p.current, p.total, barWidth) : ''} ${p.unit === 'bytes' ? `${bytes(p.current)}${p.total ? ` / ${bytes(p.total)}` : ''}` : `${p.current}${p.total ? `/${p.total}` : ''}`}`}
        </Text>
      ))}
    </Box>
  );
}
