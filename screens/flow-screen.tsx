import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useState, useSyncExternalStore } from 'react';
import { runExitCode } from '../src/cli/exit-code.js';
import { CancelledError, ExitCode, toErrorReport, UsageError, type ErrorReport } from '../src/engine/errors.js';
import type { RunResult } from '../src/engine/events.js';
import { outcomeHeadline, setAsideNotice, settledNotice } from '../src/present/outcome.js';
import type { RunRequest, Session } from '../src/session/session.js';
import { ErrorPanel } from './error-panel.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { LivePane } from './live-pane.js';
import { PlanPanel } from './prompts/plan-panel.js';
import { PromptScreen } from './prompts/prompt-screen.js';
import { PromptArea, QrPanel, qrLayout } from './prompts/prompt-area.js';
import type { PromptBroker } from './state/prompt-broker.js';
import { initialRunView, reduceRunView } from './state/run-view.js';
import { StepList } from './step-list.js';
import { flowLayout, MAX_PANE_ROWS, promptRows, rowsOf } from './layout/flow-layout.js';

const RESUMING = 'Resuming an unfinished run: finished steps whose inputs are unchanged are checked against AWS and skipped.';
import { useTerminalSize } from './use-terminal-size.js';

export interface FlowScreenProps {
  session: Session;
  request: RunRequest;
  broker: PromptBroker;
  onExit(code: number): void;
  /** Back to the home screen (this run's events stay in the session's record). */
  onHome(): void;
}

/**
 * One run on screen: hands the request to the session, folds its events into the view, owns Ctrl-C
 * (first press cancels the step and keeps the journal, the second leaves with 130).
 */
export function FlowScreen({ session, request, broker, onExit, onHome }: FlowScreenProps) {
  const entry = session.flows.find((f) => f.name === request.flow);
  const [view, dispatch] = useReducer(reduceRunView, initialRunView(entry?.title ?? entry?.label ?? request.flow));
  const [fatal, setFatal] = useState<{ error: ErrorReport; code: number }>();
  const [cancelling, setCancelling] = useState(false);
  const controller = useMemo(() => new AbortController(), []);
  const prompt = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
  const { rows, columns } = useTerminalSize();
  const prepared = useMemo(() => safely(() => session.prepare(request)), [session, request]);

  useEffect(() => {
    (async () => {
      if (!prepared.value) throw prepared.error;
      await session.run(prepared.value, { prompter: broker, cancel: controller.signal, emit: dispatch });
    })().catch((error: unknown) => {
      // Ctrl-C while the questions were asked: nothing was started, nothing to resume.
      if (error instanceof CancelledError) setFatal({ error: { message: 'Cancelled before anything was done.' }, code: ExitCode.cancelled });
      else setFatal({ error: toErrorReport(error), code: error instanceof UsageError ? ExitCode.usage : ExitCode.failed });
    });
    return () => controller.abort();
  }, []);

  const runtime = prepared.value?.runtime;
  const finished = view.result !== undefined || fatal !== undefined;
  const code = fatal?.code ?? (view.result ? runExitCode(view.result) : ExitCode.failed);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (finished || cancelling) return onExit(finished ? code : ExitCode.cancelled);
      setCancelling(true);
      controller.abort();
      broker.cancel();
      return;
    }
    if (!finished || prompt) return;
    if (input === 'q' || key.return) onExit(code);
    else if (input === 'h') onHome();
  });

  const failures = view.steps.flatMap((s) => (s.status === 'failed' && s.error ? [{ title: s.title, error: s.error }] : []));
  // Ctrl-C before anything began is a choice, not a failure: said in yellow below, not in the error panel.
  const cancelledEarly = fatal?.code === ExitCode.cancelled;
  if (fatal && !cancelledEarly) failures.push({ title: 'Could not start', error: fatal.error });
  // Once finished, the warnings and errors stay — and all of it for a flow whose output is the point
  // (`slipway run`: the task's own log).
  const paneLog = !finished || entry?.keepsOutput ? view.log : view.log.filter((l) => l.level !== 'info');
  const notices = [view.resumed ? RESUMING : undefined, view.setAside ? setAsideNotice(view.setAside) : undefined, view.settled ? settledNotice(view.settled) : undefined].filter((n): n is string => n !== undefined);
  // Keep the frame within the terminal: a taller frame makes ink clear the screen on every render.
  const layout = flowLayout({
    rows,
    columns,
    steps: view.steps.length,
    notices,
    // The pane never shows more than MAX_PANE_ROWS rows: only its newest lines need measuring.
    paneLines: paneLog.slice(-MAX_PANE_ROWS).reduce((sum, line) => sum + rowsOf(line.text, columns - 4), 0) + (finished ? 0 : view.progress.length),
    prompt: prompt && !cancelling ? prompt : undefined,
    outcome: view.result ? [...view.result.summary, outcomeHeadline(view.result)] : undefined,
    statusLine: cancelledEarly || (cancelling && !finished),
    failures,
  });

  const header = (
    <Header title={view.title} profile={runtime?.aws.profile} account={view.account} region={view.target.region ?? runtime?.aws.region} endpoint={runtime?.aws.endpoint} sandbox={prepared.value?.args.sandbox ?? session.args.sandbox} />
  );
  if (prompt?.kind === 'text' && prompt.ask.details && !cancelling) {
    // A typed confirmation gets the screen for what it approves: header, the plan, the question, the
    // footer — the step list and log give way, so a long plan is readable at 80×24.
    const { title, lines } = prompt.ask.details;
    // Header 3, the panel's title and its 'lines x–y' row, the margin, the question (wrapped, with room
    // for a wrapped validation message), the footer.
    const room = Math.max(3, rows - 3 - 2 - 1 - promptRows(prompt, columns - 2) - 1);
    return (
      <Box flexDirection="column">
        {header}
        <PlanPanel title={title} lines={lines} height={room} />
        <Box paddingX={1} marginTop={1}>
          <PromptArea request={prompt} />
        </Box>
        <Footer keys={[...(lines.length > room ? ([['↑↓', 'read']] as [string, string][]) : []), ['enter', 'answer'], ['ctrl-u', 'clear'], ['ctrl-c', 'stop']]} />
      </Box>
    );
  }
  if (prompt?.kind === 'secret' && !cancelling) {
    // A secret shown once gets the screen: read and saved without the step list pushing it off.
    return <PromptScreen header={header} request={prompt} keys={[['enter', 'saved it'], ['ctrl-c', 'stop']]} />;
  }
  if (prompt?.kind === 'qr' && !cancelling) {
    // A QR code needs most of the screen: show it alone, so the frame never outgrows the terminal —
    // and without the header when that is what it takes to show the code whole (80×24).
    return (
      <Box flexDirection="column">
        {qrLayout(prompt.rendered, rows, columns) === 'full' ? header : null}
        <QrPanel request={prompt} rows={rows} columns={columns} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {header}
      {view.resumed ? <Text color="yellow">{`  ${RESUMING}`}</Text> : null}
      {view.setAside ? <Text color="yellow">{`  ${setAsideNotice(view.setAside)}`}</Text> : null}
      {view.settled ? (
        <Box paddingLeft={2}>
          <Text dimColor>{settledNotice(view.settled)}</Text>
        </Box>
      ) : null}
      <StepList steps={view.steps} maxRows={layout.stepRows} />
      <LivePane log={paneLog} progress={finished ? [] : view.progress} height={layout.paneHeight} width={columns} />
      <ErrorPanel failures={failures} maxShown={layout.maxFailures} />
      {prompt && !cancelling ? (
        <Box paddingX={1} marginTop={1}>
          <PromptArea request={prompt} />
        </Box>
      ) : null}
      {view.result ? <Outcome result={view.result} /> : null}
      {cancelledEarly ? <Text color="yellow">{`  ${fatal.error.message}`}</Text> : null}
      {cancelling && !finished ? <Text color="yellow">{'  Cancelling the running step… press Ctrl-C again to leave now.'}</Text> : null}
      <Footer keys={finished ? [['enter/q', 'leave'], ['h', 'home']] : prompt ? [['enter', 'answer'], ...(prompt.kind === 'text' ? ([['ctrl-u', 'clear']] as [string, string][]) : []), ['ctrl-c', 'cancel step']] : [['ctrl-c', 'cancel step (journal kept)']]} />
    </Box>
  );
}

function Outcome({ result }: { result: RunResult }) {
  const { status } = result;
  return (
    <Box flexDirection="column" paddingX={1} marginTop={1}>
      {result.summary.map((line) => (
        <Text key={line}>{line}</Text>
      ))}
      <Text bold color={status === 'done' ? (runExitCode(result) === 0 ? 'green' : 'yellow') : status === 'cancelled' ? 'yellow' : 'red'}>{outcomeHeadline(result)}</Text>
    </Box>
  );
}

function safely<T>(make: () => T): { value: T; error?: undefined } | { value?: undefined; error: unknown } {
  try {
    return { value: make() };
  } catch (error) {
    return { error };
  }
}
