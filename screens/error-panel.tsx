import { Box, Text } from 'ink';
import type { ErrorReport } from '../src/engine/errors.js';

/** What failed, why, and what to do next — the fix is the part a newcomer needs most. */
export function ErrorPanel({ title, error }: { title: string; error: ErrorReport }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text color="red" bold>{`✖ ${title}: ${error.message}`}</Text>
      {error.why ? <Text>{`Why: ${error.why}`}</Text> : null}
      {error.fix ? <Text color="green">{`Fix: ${error.fix}`}</Text> : null}
    </Box>
  );
}
