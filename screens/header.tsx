import { Box, Text } from 'ink';

/** Who and where: every screen says which profile, account and region it acts on. */
export function Header({ title, profile, account, region, endpoint }: { title: string; profile?: string; account?: string; region?: string; endpoint?: string }) {
  const parts = [`profile ${profile ?? 'default'}`, account ? `account ${account}` : undefined, `region ${region ?? 'not set'}`, endpoint ? `endpoint ${endpoint}` : undefined].filter(Boolean);
  return (
    <Box borderStyle="round" borderColor="cyan" paddingX={1} justifyContent="space-between">
      <Text bold color="cyan">{`slipway · ${title}`}</Text>
      <Text dimColor>{parts.join(' · ')}</Text>
    </Box>
  );
}
