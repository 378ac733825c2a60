import { Box, Text } from 'ink';

/** Who and where: every screen says which profile, account and region it acts on. */
export function Header({ title, profile, account, region, endpoint, sandbox }: { title: string; profile?: string; account?: string; region?: string; endpoint?: string; sandbox?: string }) {
  const parts = [`profile ${profile ?? 'default'}`, account ? `account ${account}` : undefined, `region ${region ?? 'not set'}`, endpoint ? `endpoint ${endpoint}` : undefined].filter(Boolean);
  return (
    <Box borderStyle="round" borderColor="cyan" paddingX={1}>
      <Box flexShrink={0}>
        <Text bold color="cyan">{`slipway · ${title}`}</Text>
        {/* Never mistaken for a real account: every screen of a rehearsal says so. */}
        {sandbox ? <Text bold inverse color="yellow">{` SANDBOX ${sandbox} `}</Text> : null}
      </Box>
      <Box flexGrow={1} flexShrink={1} justifyContent="flex-end" marginLeft={2}>
        <Text dimColor wrap="truncate-start">
          {parts.join(' · ')}
        </Text>
      </Box>
    </Box>
  );
}
