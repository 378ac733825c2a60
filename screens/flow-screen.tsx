import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { CliArgs } from '../src/cli/args.js';
import { givenAnswers } from '../src/cli/answers-file.js';
import { FLOWS, type FlowEntry } from '../src/cli/flows.js';
import { runExitCode } from '../src/cli/exit-code.js';
import { makeRuntime } from '../src/cli/runtime.js';
import { argsForResume, runMeta } from '../src/cli/runs.js';
import { readJournal } from '../src/engine/journal.js';
import { CancelledError, ExitCode, toErrorReport, UsageError, type ErrorReport } from '../src/engine/errors.js';
import type { RunEvent, RunResult } from '../src/engine/events.js';
import { runFlow } from '../src/engine/runner.js';
import { outcomeHeadline, setAsideNotice } from '../src/present/outcome.js';
import { ErrorPanel } from './error-panel.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { LivePane } from './live-pane.js';
import { PlanPanel } from './prompts/plan-panel.js';
import { PromptArea, QrPanel, qrLayout } from './prompts/prompt-area.js';
import type { PromptBroker } from './state/prompt-broker.js';
import { initialRunView, reduceRunView } from './state/run-view.js';
import { StepList } from './step-list.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface FlowScreenProps {
  flowName: string;
  journalPath?: string;
  region?: string;
  args: CliArgs;
  env: NodeJS.ProcessEnv;
  broker: PromptBroker;
  /** The flows this screen can run (the registry; tests pass their own). */
  flows?: FlowEntry[];
  onExit(code: number, events: RunEvent[]): void;
  /** Back to the home screen, with this run's events (printed with the others when slipway ends). */
  onHome(events: RunEvent[]): void;
}

/**
 * State container for one run: starts the runner, folds its events into the view, owns Ctrl-C
 * (first press cancels the step and keeps the journal, the second leaves with 130).
 */
export function FlowScreen({ flowName, journalPath, region, args, env, broker, flows = FLOWS, onExit, onHome }: FlowScreenProps) {
  const findFlow = (name: string) => flows.find((f) => f.name === name);
  const [view, dispatch] = useReducer(reduceRunView, initialRunView(findFlow(flowName)?.label ?? flowName));
  const [fatal, setFatal] = useState<{ error: ErrorReport; code: number }>();
  const [cancelling, setCancelling] = useState(false);
  const controller = useMemo(() => new AbortController(), []);
  const events = useRef<RunEvent[]>([]);
  const prompt = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
  const { rows, columns } = useTerminalSize();
  // A resumed run starts as it was first started (its sandbox, its profile), whatever was typed now.
  const runArgs = useMemo(() => (journalPath ? argsForResume(args, readJournal(journalPath).meta) : args), [args, journalPath]);
  const runtime = useMemo(() => safely(() => makeRuntime(runArgs, env, region)), [runArgs, env, region]);

  useEffect(() => {
    (async () => {
      const entry = findFlow(flowName);
      if (!entry) throw new UsageError(`This slipway does not know the flow "${flowName}".`, { fix: 'Update slipway, or discard the run from the home screen.' });
      if (!runtime.value) throw runtime.error;
      const given = givenAnswers(args);
      const flow = await entry.load(runtime.value);
      await runFlow({
        flow,
        given,
        prompter: broker,
        cancel: controller.signal,
        acceptDefaults: args.yes,
        journalPath,
        env,
        meta: runMeta(runArgs),
        emit: (event) => {
          events.current.push(event);
          dispatch(event);
        },
      });
    })().catch((error: unknown) => {
      // Ctrl-C while the questions were asked: nothing was started, nothing to resume.
      if (error instanceof CancelledError) setFatal({ error: { message: 'Cancelled before anything was done.' }, code: ExitCode.cancelled });
      else setFatal({ error: toErrorReport(error), code: error instanceof UsageError ? ExitCode.usage : ExitCode.failed });
    });
    return () => controller.abort();
  }, []);

  const finished = view.result !== undefined || fatal !== undefined;
  const code = fatal?.code ?? (view.result ? runExitCode(view.result) : ExitCode.failed);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (finished || cancelling) return onExit(finished ? code : ExitCode.cancelled, events.current);
      setCancelling(true);
      controller.abort();
      broker.cancel();
      return;
    }
    if (!finished || prompt) return;
    if (input === 'q' || key.return) onExit(code, events.current);
    else if (input === 'h') onHome(events.current);
  });

  const failures = view.steps.flatMap((s) => (s.status === 'failed' && s.error ? [{ title: s.title, error: s.error }] : []));
  // Ctrl-C before anything began is a choice, not a failure: said in yellow below, not in the error panel.
  const cancelledEarly = fatal?.code === ExitCode.cancelled;
  if (fatal && !cancelledEarly) failures.push({ title: 'Could not start', error: fatal.error });
  // Keep the frame within the terminal: a taller frame makes ink clear the screen on every render.
  const fixedRows = 3 + (view.resumed || view.setAside ? 1 : 0) + view.steps.length + (prompt ? 4 : 0) + (finished ? 4 : 1) + 1;
  const maxFailures = failuresThatFit(failures, rows - fixedRows - 3, columns - 4);
  const failureRows = failures.slice(0, maxFailures).reduce((sum, f) => sum + linesOf(f, columns - 4), failures.length ? 3 : 0);
  const paneHeight = Math.max(3, Math.min(12, rows - fixedRows - failureRows));

  const header = (
    <Header title={view.title} profile={runtime.value?.aws.profile} account={view.account} region={view.target.region ?? runtime.value?.aws.region} endpoint={runtime.value?.aws.endpoint} sandbox={runArgs.sandbox} />
  );
  if (prompt?.kind === 'text' && prompt.ask.details && !cancelling) {
    // A typed confirmation gets the screen for what it approves: header, the plan, the question, the
    // footer — the step list and log give way, so a long plan is readable at 80×24.
    const { title, lines } = prompt.ask.details;
    const room = Math.max(3, rows - 3 - 2 - 2 - 1 - 1);
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
      {view.resumed ? <Text color="yellow">{`  Resuming an unfinished run: finished steps whose inputs are unchanged are checked against AWS and skipped.`}</Text> : null}
      {view.setAside ? <Text color="yellow" wrap="truncate-end">{`  ${setAsideNotice(view.setAside)}`}</Text> : null}
      <StepList steps={view.steps} />
      {!finished ? (
        <LivePane log={view.log} progress={view.progress} height={paneHeight} width={columns} />
      ) : (
        // Once finished, the warnings and errors stay — and all of it for a flow whose output is the
        // point (`slipway run`: the task's own log).
        <LivePane log={findFlow(flowName)?.keepsOutput ? view.log : view.log.filter((l) => l.level !== 'info')} progress={[]} height={paneHeight} width={columns} />
      )}
      <ErrorPanel failures={failures} maxShown={maxFailures} />
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
      <Text bold color={status === 'done' ? 'green' : status === 'cancelled' ? 'yellow' : 'red'}>{outcomeHeadline(result)}</Text>
    </Box>
  );
}

/** How many rows one failure takes in the error panel at this width. */
function linesOf({ title, error }: { title: string; error: ErrorReport }, width: number): number {
  const wrapped = (text: string | undefined) => (text ? Math.ceil((text.length + 8) / Math.max(20, width)) : 0);
  return wrapped(`${title}: ${error.message}`) + wrapped(error.why) + wrapped(error.fix);
}

/** As many failures as the rows allow (at least one), so the frame never outgrows the terminal. */
function failuresThatFit(failures: { title: string; error: ErrorReport }[], rows: number, width: number): number {
  let used = 0;
  let count = 0;
  for (const failure of failures) {
    used += linesOf(failure, width);
    if (used > rows) break;
    count++;
  }
  return Math.max(1, count);
}

function safely<T>(make: () => T): { value: T; error?: undefined } | { value?: undefined; error: unknown } {
  try {
    return { value: make() };
  } catch (error) {
    return { error };
  }
}
