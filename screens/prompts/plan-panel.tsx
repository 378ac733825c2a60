import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

/**
 * What a typed confirmation approves (a teardown's deletions, a protected rollout's changes), given the
 * screen above the question: every line can be read before the name is typed. Longer than the room it
 * has, it scrolls with ↑/↓ and PgUp/PgDn (the text input below ignores those keys); lines are cut at the
 * terminal's width, never wrapped, so the panel keeps its height.
 */
export function PlanPanel({ title, lines, height }: { title: string; lines: string[]; height: number }) {
  const rows = Math.max(1, height);
  const last = Math.max(0, lines.length - rows);
  const [top, setTop] = useState(0);
  useInput((_input, key) => {
    const step = key.pageDown || key.pageUp ? rows : 1;
    if (key.downArrow || key.pageDown) setTop((t) => Math.min(last, t + step));
    else if (key.upArrow || key.pageUp) setTop((t) => Math.max(0, t - step));
  });
  const shown = lines.slice(top, top + rows);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>{title}</Text>
      {shown.map((line, i) => (
        <Text key={top + i} wrap="truncate-end">{`  ${line}`}</Text>
      ))}
      {lines.length > rows ? <Text dimColor>{`  lines ${top + 1}–${top + shown.length} of ${lines.length} · ↑↓ PgUp PgDn to read the rest`}</Text> : null}
    </Box>
  );
}

