import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { CancelledError, ExitCode, toErrorReport, type ErrorReport } from '../src/engine/errors.js';
import { countLine, planLines, type PlanResult } from '../src/engine/plan.js';
import type { Answers } from '../src/engine/types.js';
import type { RunRequest, Session } from '../src/session/session.js';
import { ErrorPanel } from './error-panel.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { PlanPanel } from './prompts/plan-panel.js';
import { PromptScreen } from './prompts/prompt-screen.js';
import type { PromptBroker } from './state/prompt-broker.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface PlanScreenProps {
  session: Session;
  request: RunRequest;
  broker: PromptBroker;
  /** Run the flow now, with the answers the plan was made with (not asked again). */
  onRun(answers: Answers): void;
  onHome(): void;
  onExit(code: number): void;
}

/**
 * "Show the plan" from the home screen (`p` on a flow): the flow's questions, then what a run would do —
 * the same plan as `slipway <flow> --plan`, from the present, nothing written — with the choice to run
 * it as planned, go home, or leave.
 */
export function PlanScreen({ session, request, broker, onRun, onHome, onExit }: PlanScreenProps) {
  const entry = session.flows.find((f) => f.name === request.flow);
  const [made, setMade] = useState<{ plan: PlanResult; answers: Answers }>();
  const [failed, setFailed] = useState<ErrorReport>();
  const controller = useMemo(() => new AbortController(), []);
  const prompt = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
  const { rows } = useTerminalSize();

  useEffect(() => {
    (async () => setMade(await session.plan(session.prepare(request), { prompter: broker, cancel: controller.signal })))().catch((error: unknown) => {
      if (error instanceof CancelledError) onHome();
      else setFailed(toErrorReport(error));
    });
    return () => controller.abort();
  }, []);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (made || failed) return onExit(ExitCode.ok);
      controller.abort();
      broker.cancel();
      return;
    }
    if (prompt) return;
    if (made && (key.return || input === 'r')) onRun(made.answers);
    else if ((made || failed) && input === 'h') onHome();
    else if ((made || failed) && input === 'q') onExit(ExitCode.ok);
  });

  const title = `Plan: ${entry?.title ?? request.flow}`;
  const header = <Header title={title} profile={session.args.profile} account={made?.plan.target.account} region={made?.plan.target.region ?? session.args.region} sandbox={session.sandbox} />;
  if (prompt) return <PromptScreen header={header} request={prompt} keys={[['enter', 'answer'], ['ctrl-c', 'back home']]} />;
  if (failed) {
    return (
      <Box flexDirection="column">
        {header}
        <ErrorPanel failures={[{ title: 'The plan could not be made', error: failed }]} maxShown={1} />
        <Footer keys={[['h', 'home'], ['q', 'quit']]} />
      </Box>
    );
  }
  if (!made) {
    return (
      <Box flexDirection="column">
        {header}
        <Text>{'  Reading AWS and your files as they are now (nothing is changed)…'}</Text>
      </Box>
    );
  }
  // The plan's own lines, as `--plan` prints them: the first names the target, the last counts.
  const steps = planLines(made.plan).slice(1, -1);
  return (
    <Box flexDirection="column">
      {header}
      {/* The target is in the header; the panel's title stays on one row at 80 columns. */}
      <PlanPanel title="What a run would do now (nothing is changed):" lines={steps} height={Math.max(3, rows - 3 - 1 - 1 - 2 - 1)} />
      <Box paddingX={1} marginTop={1}>
        <Text bold color={made.plan.changes ? 'yellow' : 'green'}>{countLine(made.plan)}</Text>
      </Box>
      <Footer keys={[...(steps.length > rows - 8 ? ([['↑↓', 'read']] as [string, string][]) : []), ['enter', made.plan.changes ? 'run it as planned' : 'run it'], ['h', 'home'], ['q', 'quit']]} />
    </Box>
  );
}
