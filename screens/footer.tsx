import { Box, Text } from 'ink';

/** The keys that work right now. */
export function Footer({ keys }: { keys: [string, string][] }) {
  return (
    <Box paddingX={1}>
      <Text dimColor>{keys.map(([key, action]) => `${key} ${action}`).join('   ')}</Text>
    </Box>
  );
}
