import { useState } from 'react';
import { sandboxHeader } from '../src/cli/home-sandbox.js';
import { ExitCode } from '../src/engine/errors.js';
import type { RunRequest, Session } from '../src/session/session.js';
import { FlowScreen } from './flow-screen.js';
import { PlanScreen } from './plan-screen.js';
import { HomeScreen, type HomeChoice } from './home-screen.js';
import type { PromptBroker } from './state/prompt-broker.js';

export type Screen =
  | { kind: 'home'; runsOnly?: boolean; notice?: string; key?: number; selected?: string; chosen?: boolean }
  | { kind: 'flow'; request: RunRequest; key: number }
  | { kind: 'plan'; request: RunRequest; key: number };

export interface RootProps {
  session: Session;
  initial: Screen;
  broker: PromptBroker;
  profile?: string;
  region?: string;
  /** The wizard ends with this exit code; the session's record is what is printed after it. */
  onExit(code: number): void;
}

/** Navigation between home and a run; what either does is the session's. */
export function Root({ session, initial, broker, profile, region, onExit }: RootProps) {
  const [screen, setScreen] = useState<Screen>(initial);
  const [runs, setRuns] = useState(() => session.runs());
  const shown = session.sandbox ? sandboxHeader(session.args) : { profile, region };

  if (screen.kind === 'plan') {
    return (
      <PlanScreen
        key={screen.key}
        session={session}
        request={screen.request}
        broker={broker}
        onExit={onExit}
        onHome={() => setScreen({ kind: 'home', selected: `flow:${screen.request.flow}`, key: Date.now() })}
        onRun={(answers) => setScreen({ kind: 'flow', request: { ...screen.request, answers }, key: Date.now() })}
      />
    );
  }

  if (screen.kind === 'flow') {
    return (
      <FlowScreen
        key={screen.key}
        session={session}
        request={screen.request}
        broker={broker}
        onExit={onExit}
        onHome={() => {
          setRuns(session.runs());
          setScreen({ kind: 'home' });
        }}
      />
    );
  }

  const choose = (choice: HomeChoice) => {
    switch (choice.kind) {
      case 'quit':
        return onExit(ExitCode.ok);
      case 'sandbox':
        return setScreen({ kind: 'home', notice: session.enterSandbox(), key: Date.now() });
      case 'flow':
        return setScreen({ kind: 'flow', request: { flow: choice.flow }, key: Date.now() });
      case 'plan':
        return setScreen({ kind: 'plan', request: { flow: choice.flow }, key: Date.now() });
      case 'resume':
        try {
          return setScreen({ kind: 'flow', request: session.resumeRequest(choice.run), key: Date.now() });
        } catch (error) {
          return setScreen({ kind: 'home', runsOnly: screen.runsOnly, notice: error instanceof Error ? error.message : String(error), key: Date.now() });
        }
      case 'discard': {
        let notice: string;
        try {
          notice = session.discard(choice.run);
        } catch (error) {
          notice = error instanceof Error ? error.message : String(error);
        }
        setRuns(session.runs());
        return setScreen({ kind: 'home', runsOnly: screen.runsOnly, notice, key: Date.now() });
      }
    }
  };
  // A new key after a discard: the home screen starts over, not on the menu of a run that is gone.
  return (
    <HomeScreen
      key={screen.key}
      runs={runs}
      flows={session.flows}
      runsOnly={screen.runsOnly}
      profile={shown.profile}
      region={shown.region}
      notice={screen.notice}
      sandbox={session.sandbox}
      noCredentials={session.noCredentials}
      selected={screen.selected}
      chosen={screen.chosen}
      onChoose={choose}
    />
  );
}
