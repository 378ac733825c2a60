import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { menuWindowStart } from '../first-paint.js';

export interface SelectItem {
  value: string;
  label: string;
  hint?: string;
}

/**
 * A vertical menu: ↑/↓ (or k/j) move, Enter picks. Written here rather than taken from @inkjs/ui,
 * whose Select does not report Enter on the already-selected default.
 */
export function SelectList({ items, initial, onSelect, onHighlight, isActive = true, maxVisible = 8 }: { items: SelectItem[]; initial?: string; onSelect(value: string): void; onHighlight?(value: string): void; isActive?: boolean; maxVisible?: number }) {
  const [index, setShownIndex] = useState(() => Math.max(0, items.findIndex((i) => i.value === initial)));
  // Keys in one burst (Down then Enter from tmux, a paste, a fast typist) arrive before React renders
  // again: Enter must read the index Down just set, not the one this render closed over.
  const current = useRef(index);
  const setIndex = (next: number) => {
    current.current = next;
    setShownIndex(next);
    const item = items[next];
    if (item) onHighlight?.(item.value);
  };
  const choose = () => {
    const item = items[current.current];
    if (item) onSelect(item.value);
  };
  useInput(
    (input, key) => {
      if (key.upArrow) setIndex((current.current - 1 + items.length) % items.length);
      else if (key.downArrow) setIndex((current.current + 1) % items.length);
      else if (key.return) choose();
      else if (!key.ctrl && !key.meta && !key.escape) {
        // Keys without escape sequences arrive as one string when sent in a burst ("jj\r", or "dev\r"
        // typed by someone who took the list for a text field): read them key by key, as if typed slowly.
        for (const character of input) {
          if (character === 'k') setIndex((current.current - 1 + items.length) % items.length);
          else if (character === 'j') setIndex((current.current + 1) % items.length);
          else if (character === '\r' || character === '\n') return choose();
        }
      }
    },
    { isActive },
  );
  const start = menuWindowStart(index, items.length, maxVisible);
  const visible = items.slice(start, start + maxVisible);
  return (
    <Box flexDirection="column">
      {visible.map((item, i) => {
        const focused = start + i === index;
        return (
          <Text key={item.value} color={focused ? 'cyan' : undefined} wrap="truncate-end">
            {focused ? '❯ ' : '  '}
            {item.label}
          </Text>
        );
      })}
      {items.length > maxVisible ? <Text dimColor>{`  ${start + 1}–${start + visible.length} of ${items.length}`}</Text> : null}
      {items[index]?.hint ? <Text dimColor wrap="truncate-end">{`  ${items[index]?.hint}`}</Text> : null}
    </Box>
  );
}
