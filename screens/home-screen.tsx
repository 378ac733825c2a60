import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { FLOWS, type FlowEntry } from '../src/cli/flows.js';
import { NO_CREDENTIALS_REASON } from '../src/cli/home-sandbox.js';
import { describeRun, isBroken, type RunListing } from '../src/cli/runs.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { HOME_MENU_ROWS, homeItems } from '../src/session/home-menu.js';
import { SelectList } from './prompts/select-list.js';

export type HomeChoice = { kind: 'flow'; flow: string } | { kind: 'plan'; flow: string } | { kind: 'resume'; run: RunListing } | { kind: 'discard'; run: RunListing } | { kind: 'sandbox' } | { kind: 'quit' };

export interface HomeScreenProps {
  runs: RunListing[];
  flows?: FlowEntry[];
  /** `slipway resume` shows only the unfinished runs. */
  runsOnly?: boolean;
  profile?: string;
  region?: string;
  notice?: string;
  /** The sandbox every flow started from here rehearses in (the header's SANDBOX badge). */
  sandbox?: string;
  /** No AWS credentials on this machine: the sandbox is offered first, with the reason. */
  noCredentials?: boolean;
  /** The entry focused at first (keys pressed on the first paint may have moved it). */
  selected?: string;
  /** Enter was pressed on the first paint: act on `selected` at once. */
  chosen?: boolean;
  onChoose(choice: HomeChoice): void;
}

/** Presentational: what slipway can do, and the runs waiting to be resumed. */
export function HomeScreen({ runs, flows = FLOWS, runsOnly = false, profile, region, notice, sandbox, noCredentials = false, selected, chosen = false, onChoose }: HomeScreenProps) {
  const [picked, setPicked] = useState<RunListing>();
  const pick = (value: string) => {
    if (value === 'quit') return onChoose({ kind: 'quit' });
    if (value === 'sandbox') return onChoose({ kind: 'sandbox' });
    if (value.startsWith('flow:')) return onChoose({ kind: 'flow', flow: value.slice(5) });
    const run = runs[Number(value.slice(4))];
    if (run) setPicked(run);
  };
  // Enter pressed on the first paint, before ink was loaded: the choice stands.
  useEffect(() => {
    if (chosen && selected) pick(selected);
    // Once, on mount: the choice was made on the first paint.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const items = homeItems({ runs, flows, runsOnly, sandbox, noCredentials });
  // The entry under the cursor, for `p` (show that flow's plan instead of running it).
  const highlighted = useRef(selected ?? items[0]?.value);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onChoose({ kind: 'quit' });
    if (key.escape && picked) setPicked(undefined);
    const flow = !picked && highlighted.current?.startsWith('flow:') ? flows.find((f) => `flow:${f.name}` === highlighted.current) : undefined;
    if (input === 'p' && flow && flow.plannable !== false) onChoose({ kind: 'plan', flow: flow.name });
  });

  if (picked) {
    return (
      <Box flexDirection="column">
        <Header title="resume" profile={profile} region={region} sandbox={sandbox} />
        <Box paddingX={1} flexDirection="column">
          <Text bold>{describeRun(picked)}</Text>
          <SelectList
            items={[
              ...(isBroken(picked) ? [] : [{ value: 'resume', label: 'Resume it', hint: 'finished steps are checked and skipped' }]),
              { value: 'discard', label: 'Discard its journal', hint: 'resources already made in AWS stay as they are' },
              { value: 'back', label: 'Back' },
            ]}
            onSelect={(value) => {
              if (value === 'back') setPicked(undefined);
              else onChoose(value === 'resume' ? { kind: 'resume', run: picked } : { kind: 'discard', run: picked });
            }}
          />
        </Box>
        <Footer keys={[['↑↓', 'move'], ['enter', 'choose'], ['esc', 'back'], ['q', 'quit']]} />
      </Box>
    );
  }

  // Mirrored line for line by screens/first-paint.ts.
  const offerSandbox = !runsOnly && !sandbox;
  return (
    <Box flexDirection="column">
      <Header title={runsOnly ? 'resume' : 'home'} profile={profile} region={region} sandbox={sandbox} />
      <Box paddingX={1} flexDirection="column">
        {notice ? <Text color="green">{notice}</Text> : null}
        <Text bold wrap="truncate-end">
          {runs.length ? `Unfinished runs (${runs.length}) — pick one to resume or discard:` : 'No unfinished runs.'}
        </Text>
        {!runsOnly ? (
          <Text dimColor wrap="truncate-end">
            Every flow can be stopped at any moment and picked up again here.
          </Text>
        ) : null}
        {offerSandbox && noCredentials ? <Text color="yellow" wrap="truncate-end">{NO_CREDENTIALS_REASON}</Text> : null}
        <Box marginTop={1}>
          <SelectList
            items={items}
            initial={selected}
            maxVisible={HOME_MENU_ROWS}
            onSelect={pick}
            onHighlight={(value) => (highlighted.current = value)}
          />
        </Box>
      </Box>
      <Footer keys={runsOnly ? [['↑↓', 'move'], ['enter', 'choose'], ['q', 'quit']] : [['↑↓', 'move'], ['enter', 'choose'], ['p', 'plan'], ['q', 'quit']]} />
    </Box>
  );
}
