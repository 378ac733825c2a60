import { Text, useInput } from 'ink';
import { useRef, useState } from 'react';

const BACKSPACE = new Set(['\u007F', '\b']);
const CLEAR_LINE = '\u0015'; // Ctrl-U

/**
 * A one-line text input. The value lives in a ref as well as in state: when keys arrive in one burst
 * (a paste, tmux, a fast typist), Enter comes in the same batch as the last characters, before React
 * re-renders — submitting the state would drop them. @inkjs/ui's TextInput has exactly that problem.
 *
 * A burst can also reach us as one string of several keys ("prod\r", or three Backspaces "\x7f\x7f\x7f",
 * which ink reports as text, not as one backspace): such input is read key by key.
 */
export function TextInput({ masked = false, onSubmit }: { masked?: boolean; onSubmit(value: string): void }) {
  const value = useRef('');
  const [shown, setShown] = useState('');
  useInput((input, key) => {
    if (key.return) return onSubmit(value.current);
    if (key.backspace || key.delete) value.current = withoutLastCharacter(value.current);
    else if (key.ctrl && input === 'u') value.current = '';
    else if (!key.ctrl && !key.meta && !key.escape && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab && input) {
      for (const character of input) {
        if (character === '\r' || character === '\n') {
          setShown(value.current);
          return onSubmit(value.current);
        }
        if (BACKSPACE.has(character)) value.current = withoutLastCharacter(value.current);
        else if (character === CLEAR_LINE) value.current = '';
        else if (character >= ' ') value.current += character;
      }
    } else return;
    setShown(value.current);
  });
  return (
    <Text>
      {masked ? '*'.repeat([...shown].length) : shown}
      <Text inverse> </Text>
    </Text>
  );
}

/** Drops the last character, never half of one (an emoji is two UTF-16 units). */
function withoutLastCharacter(text: string): string {
  return [...text].slice(0, -1).join('');
}
