import { Box, Text } from 'ink';
import type { ErrorReport } from '../src/engine/errors.js';

/**
 * What failed, why, and what to do next — the fix is the part a newcomer needs most. All failures in
 * one box; when the terminal is short, the first ones are shown and the rest counted (the line summary
 * printed after leaving has them all).
 */
export function ErrorPanel({ failures, maxShown }: { failures: { title: string; error: ErrorReport }[]; maxShown: number }) {
  if (failures.length === 0) return null;
  const shown = failures.slice(0, Math.max(1, maxShown));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      {shown.map(({ title, error }) => (
        <Box key={title} flexDirection="column">
          <Text color="red" bold>{`✖ ${title}: ${error.message}`}</Text>
          {error.why ? <Text>{`  Why: ${error.why}`}</Text> : null}
          {error.fix ? <Text color="green">{`  Fix: ${error.fix}`}</Text> : null}
        </Box>
      ))}
      {failures.length > shown.length ? <Text dimColor>{`…and ${failures.length - shown.length} more; all are printed when you leave.`}</Text> : null}
    </Box>
  );
}
