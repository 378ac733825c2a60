import { Box } from 'ink';
import type { ReactNode } from 'react';
import { Footer } from '../footer.js';
import type { PromptRequest } from '../state/prompt-broker.js';
import { PromptArea } from './prompt-area.js';

/** A question given the screen: the header, the question, the keys — nothing else competes for the rows. */
export function PromptScreen({ header, request, keys }: { header: ReactNode; request: PromptRequest; keys: [string, string][] }) {
  return (
    <Box flexDirection="column">
      {header}
      <Box paddingX={1} marginTop={1}>
        <PromptArea request={request} />
      </Box>
      <Footer keys={keys} />
    </Box>
  );
}
