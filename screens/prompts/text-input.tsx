import { Text, useInput } from 'ink';
import { useRef, useState } from 'react';

/**
 * A one-line text input. The value lives in a ref as well as in state: when keys arrive in one burst
 * (a paste, tmux, a fast typist), Enter comes in the same batch as the last characters, before React
 * re-renders — submitting the state would drop them. @inkjs/ui's TextInput has exactly that problem.
 */
export function TextInput({ masked = false, onSubmit }: { masked?: boolean; onSubmit(value: string): void }) {
  const value = useRef('');
  const [shown, setShown] = useState('');
  useInput((input, key) => {
    if (key.return) {
      onSubmit(value.current);
      return;
    }
    if (key.backspace || key.delete) value.current = value.current.slice(0, -1);
    else if (key.ctrl && input === 'u') value.current = '';
    else if (!key.ctrl && !key.meta && !key.escape && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab && input) {
      // Text and Enter in one chunk ("prod\r" from a paste or tmux) arrive as plain input: the Enter
      // still submits, with the text before it.
      const end = input.search(/[\r\n]/);
      value.current += end === -1 ? input : input.slice(0, end);
      if (end !== -1) {
        setShown(value.current);
        onSubmit(value.current);
        return;
      }
    } else return;
    setShown(value.current);
  });
  return (
    <Text>
      {masked ? '*'.repeat(shown.length) : shown}
      <Text inverse> </Text>
    </Text>
  );
}
