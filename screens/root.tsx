import { useMemo, useRef, useState } from 'react';
import type { CliArgs } from '../src/cli/args.js';
import { FLOWS, type FlowEntry } from '../src/cli/flows.js';
import { awsCredentialsFound, DEFAULT_SANDBOX, sandboxHeader } from '../src/cli/home-sandbox.js';
import { unfinishedRuns, describeRun, isBroken } from '../src/cli/runs.js';
import { discardRun } from '../src/engine/journal.js';
import { ExitCode } from '../src/engine/errors.js';
import type { RunEvent } from '../src/engine/events.js';
import { FlowScreen } from './flow-screen.js';
import { HomeScreen, type HomeChoice } from './home-screen.js';
import type { PromptBroker } from './state/prompt-broker.js';

export type Screen = { kind: 'home'; runsOnly?: boolean; notice?: string; key?: number; selected?: string; chosen?: boolean } | { kind: 'flow'; flow: string; journalPath?: string; region?: string; key: number };

export interface RootProps {
  args: CliArgs;
  env: NodeJS.ProcessEnv;
  initial: Screen;
  broker: PromptBroker;
  profile?: string;
  region?: string;
  flows?: FlowEntry[];
  onExit(code: number, events: RunEvent[]): void;
}

/** Owns navigation between home and a run, and the exit of the whole app. */
export function Root({ args: given, env, initial, broker, profile, region, flows = FLOWS, onExit }: RootProps) {
  const [screen, setScreen] = useState<Screen>(initial);
  const [runs, setRuns] = useState(() => unfinishedRuns(env));
  // "Rehearse in the sandbox" switches the home screen, and every flow started from it, to the sandbox.
  const [sandbox, setSandbox] = useState(given.sandbox);
  const args = useMemo(() => (sandbox === given.sandbox ? given : { ...given, sandbox }), [given, sandbox]);
  const [noCredentials] = useState(() => !given.sandbox && !awsCredentialsFound(env, given.profile));
  const shown = sandbox ? sandboxHeader(args) : { profile, region };
  // Every run's events since slipway started, so what is printed on the normal screen at the end is
  // the record of all of them, not only of the last.
  const history = useRef<RunEvent[]>([]);
  const exitWith = (code: number, events: RunEvent[] = []) => onExit(code, [...history.current, ...events]);

  if (screen.kind === 'flow') {
    return (
      <FlowScreen
        key={screen.key}
        flowName={screen.flow}
        journalPath={screen.journalPath}
        region={screen.region}
        args={args}
        env={env}
        broker={broker}
        flows={flows}
        onExit={exitWith}
        onHome={(events) => {
          history.current.push(...events);
          setRuns(unfinishedRuns(env));
          setScreen({ kind: 'home' });
        }}
      />
    );
  }

  const choose = (choice: HomeChoice) => {
    switch (choice.kind) {
      case 'quit':
        return exitWith(ExitCode.ok);
      case 'sandbox':
        setSandbox(DEFAULT_SANDBOX);
        return setScreen({ kind: 'home', notice: `Sandbox "${DEFAULT_SANDBOX}": what you start now runs against a simulated AWS account on this machine.`, key: Date.now() });
      case 'flow':
        return setScreen({ kind: 'flow', flow: choice.flow, key: Date.now() });
      case 'resume':
        if (!isBroken(choice.run)) setScreen({ kind: 'flow', flow: choice.run.flow, journalPath: choice.run.path, region: choice.run.target.region, key: Date.now() });
        return;
      case 'discard': {
        let notice: string;
        try {
          discardRun(choice.run.path);
          notice = `Discarded ${describeRun(choice.run)}.`;
        } catch (error) {
          notice = error instanceof Error ? error.message : String(error);
        }
        setRuns(unfinishedRuns(env));
        return setScreen({ kind: 'home', runsOnly: screen.runsOnly, notice, key: Date.now() });
      }
    }
  };
  // A new key after a discard: the home screen starts over, not on the menu of a run that is gone.
  return (
    <HomeScreen
      key={screen.key}
      runs={runs}
      flows={flows}
      runsOnly={screen.runsOnly}
      profile={shown.profile}
      region={shown.region}
      notice={screen.notice}
      sandbox={sandbox}
      noCredentials={noCredentials}
      selected={screen.selected}
      chosen={screen.chosen}
      onChoose={choose}
    />
  );
}
