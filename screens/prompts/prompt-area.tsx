import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { secondsToNextCode } from '../../src/engine/prompter.js';
import type { PromptRequest } from '../state/prompt-broker.js';
import { SelectList } from './select-list.js';
import { TextInput } from './text-input.js';
import { qrSize } from '../../src/present/qr.js';

/** Renders the flow's current question; submitting resolves it. A failed validation asks again in place. */
export function PromptArea({ request }: { request: PromptRequest }) {
  switch (request.kind) {
    case 'text':
      return <TextQuestion request={request} />;
    case 'select':
      return (
        <Box flexDirection="column">
          <Text bold>{request.ask.message}</Text>
          <SelectList items={request.ask.choices} initial={request.ask.default} onSelect={request.resolve} />
        </Box>
      );
    case 'confirm':
      return <ConfirmQuestion request={request} />;
    case 'qr':
      return <QrPanel request={request} />;
    case 'secret':
      return <SecretPanel request={request} />;
  }
}

function TextQuestion({ request }: { request: Extract<PromptRequest, { kind: 'text' }> }) {
  const [problem, setProblem] = useState<string>();
  const submit = (raw: string) => {
    const value = raw.trim() === '' && request.ask.default !== undefined ? request.ask.default : raw.trim();
    // An empty default marks an optional answer (e.g. no account alias): Enter leaves it empty.
    const optional = request.ask.default === '';
    const issue = request.ask.validate?.(value) ?? (value === '' && !optional ? 'An answer is needed.' : undefined);
    if (issue) setProblem(issue);
    else request.resolve(value);
  };
  return (
    <Box flexDirection="column">
      {/* One paragraph, not a row of boxes: a question longer than the terminal is wide wraps whole, and
          what is typed follows it (a row would squeeze both into columns and cut the question's end). */}
      <Text>
        <Text bold>{request.ask.message}</Text>
        {request.ask.default !== undefined && !request.masked ? <Text dimColor>{request.ask.default === '' ? ' (optional)' : ` (${request.ask.default})`}</Text> : null}
        <Text bold>{': '}</Text>
        <TextInput masked={request.masked} onSubmit={submit} />
      </Text>
      {problem ? <Text color="red">{`  ${problem}`}</Text> : null}
      {request.ask.totp ? <NextCodeCountdown /> : null}
    </Box>
  );
}

/** "The app shows a new code in 12 s": when to type the next of two consecutive codes, or a fresh one. */
function NextCodeCountdown() {
  const [left, setLeft] = useState(() => secondsToNextCode());
  useEffect(() => {
    const timer = setInterval(() => setLeft(secondsToNextCode()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <Text dimColor>{`  The app shows a new code in ${left} s.`}</Text>;
}

function ConfirmQuestion({ request }: { request: Extract<PromptRequest, { kind: 'confirm' }> }) {
  useInput((input, key) => {
    if (key.return) {
      if (request.ask.default !== undefined) request.resolve(request.ask.default);
      return;
    }
    if (key.ctrl || key.meta || key.escape) return;
    // "y" and Enter sent in one burst arrive as one string ("y\r"): read key by key, the first answer counts.
    for (const character of input) {
      if (/^y$/i.test(character)) return request.resolve(true);
      if (/^n$/i.test(character)) return request.resolve(false);
      if ((character === '\r' || character === '\n') && request.ask.default !== undefined) return request.resolve(request.ask.default);
    }
  });
  const hint = request.ask.default === undefined ? 'y/n' : request.ask.default ? 'Y/n' : 'y/N';
  return (
    <Text>
      <Text bold>{request.ask.message}</Text>
      <Text dimColor>{` (${hint}) `}</Text>
    </Text>
  );
}

function SecretPanel({ request }: { request: Extract<PromptRequest, { kind: 'secret' }> }) {
  useInput((_input, key) => {
    if (key.return) request.resolve();
  });
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
      <Text bold>{request.show.title}</Text>
      <Text color="yellow" bold>{`  ${request.show.secret}`}</Text>
      {request.show.note ? <Text>{request.show.note}</Text> : null}
      <Text dimColor>Press Enter once it is saved. It is shown only now and never stored.</Text>
    </Box>
  );
}

/**
 * The QR code of an MFA seed, whole or not at all: a code cut at the top cannot be scanned. Where the
 * full panel does not fit (header, title, code, key, hint), the header goes and the key is shown in
 * groups of eight on one line; where even the code alone does not fit, a plain request to enlarge the
 * window, with the key on one line to type by hand.
 */
export function QrPanel({ request, rows = 24, columns = 80 }: { request: Extract<PromptRequest, { kind: 'qr' }>; rows?: number; columns?: number }) {
  useInput((_input, key) => {
    if (key.return) request.resolve();
  });
  const layout = qrLayout(request.rendered, rows, columns);
  const compactKey = request.show.fallback.replace(/\s+/g, '').replace(/(.{8})(?=.)/g, '$1 ');
  if (layout === 'enlarge') {
    const size = qrSize(request.rendered);
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">{request.show.title}</Text>
        <Text color="yellow">{`The QR code needs a window of at least ${size.columns} columns and ${size.rows + 3} rows; this one is ${columns}×${rows}. Enlarge it to scan — or enter this key by hand:`}</Text>
        <Text bold>{compactKey}</Text>
        <Text dimColor>Press Enter once it is in your authenticator app. It is shown only now and never stored.</Text>
      </Box>
    );
  }
  if (layout === 'compact') {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">{request.show.title}</Text>
        <Text>{request.rendered.replace(/\n+$/, '')}</Text>
        <Text bold wrap="truncate-end">{compactKey}</Text>
        <Text dimColor wrap="truncate-end">{'Or type the key above by hand. Enter once it is in your app (shown only now).'}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold>{request.show.title}</Text>
      <Text>{request.rendered.replace(/\n+$/, '')}</Text>
      <Text>Cannot scan it? Enter this key by hand:</Text>
      <Text bold>{`  ${request.show.fallback}`}</Text>
      <Text dimColor>Press Enter once it is in your authenticator app. It is shown only now and never stored.</Text>
    </Box>
  );
}

/** Rows of the full panel besides the code (header 3, title, two key lines, hint) and of the compact one. */
const FULL_CHROME = 3 + 1 + 2 + 1;
const COMPACT_CHROME = 1 + 1 + 1;

export function qrLayout(rendered: string, rows: number, columns: number): 'full' | 'compact' | 'enlarge' {
  const size = qrSize(rendered);
  if (size.columns > columns || size.rows + COMPACT_CHROME > rows) return 'enlarge';
  return size.rows + FULL_CHROME <= rows ? 'full' : 'compact';
}
