import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { elapsed } from '../src/present/format.js';

/** Ticks once a second while running, so long waits visibly move. */
export function Elapsed({ since, until }: { since: number; until?: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return <Text dimColor>{elapsed((until ?? now) - since)}</Text>;
}
