import type { CliArgs } from '../cli/args.js';
import { givenAnswers } from '../cli/answers-file.js';
import { runExitCode } from '../cli/exit-code.js';
import { FLOWS, type FlowEntry } from '../cli/flows.js';
import { awsCredentialsFound, DEFAULT_SANDBOX } from '../cli/home-sandbox.js';
import { argsForResume, describeRun, isBroken, runMeta, unfinishedRuns, type RunListing } from '../cli/runs.js';
import { makeRuntime } from '../cli/runtime.js';
import { classifyAwsError } from '../aws/errors.js';
import { UsageError } from '../engine/errors.js';
import type { RunEvent, RunResult } from '../engine/events.js';
import { discardRun, readJournal } from '../engine/journal.js';
import type { Prompter } from '../engine/prompter.js';
import { planFlow, type PlanResult } from '../engine/plan.js';
import { runFlow } from '../engine/runner.js';
import type { Answers } from '../engine/types.js';
import type { Runtime } from '../../flows/shared/runtime.js';
import { homeItems, type HomeItem } from './home-menu.js';

/** Which run to start: a flow afresh, or an unfinished run's journal. */
export interface RunRequest {
  flow: string;
  journalPath?: string;
  /** A resumed run's region (its journal's), when the flags do not name one. */
  region?: string;
  /** Answers already given for this run (a plan shown in the wizard, then run): not asked again. */
  answers?: Answers;
}

/** A request made ready: the flow's entry, the arguments it runs with and its AWS runtime. */
export interface PreparedRun {
  request: RunRequest;
  entry: FlowEntry;
  args: CliArgs;
  runtime: Runtime;
}

/** What a front end does next after a home menu choice. */
export type HomeStep = { kind: 'quit' } | { kind: 'sandbox'; notice: string } | { kind: 'run'; request: RunRequest } | { kind: 'pick'; run: RunListing };

/** How a front end takes part in a run: it answers the questions, shows the events, and may cancel. */
export interface RunIo {
  prompter: Prompter;
  emit(event: RunEvent): void;
  cancel: AbortSignal;
}

/**
 * One slipway session, whatever draws it: what the home menu offers, what a choice starts, how a run
 * is prepared (a resumed run as it was first started) and run, its exit code, and the record of every
 * run since slipway started. The ink wizard (screens/) and the line modes (src/console/) both drive
 * it and only render; neither decides any of this on its own.
 */
export class Session {
  /** Every run's events, in order: what is printed on the normal screen when the wizard ends. */
  readonly record: RunEvent[] = [];
  /** No AWS credentials on this machine: the sandbox is offered first (until the session is in it). */
  get noCredentials(): boolean {
    return this.credentialsMissing && !this.sandboxName;
  }
  private readonly credentialsMissing: boolean;
  private sandboxName: string | undefined;

  constructor(
    private readonly given: CliArgs,
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly flows: FlowEntry[] = FLOWS,
  ) {
    this.sandboxName = given.sandbox;
    this.credentialsMissing = !given.sandbox && !awsCredentialsFound(env, given.profile);
  }

  /** The command line, with the sandbox the home screen may have switched to. */
  get args(): CliArgs {
    return this.sandboxName === this.given.sandbox ? this.given : { ...this.given, sandbox: this.sandboxName };
  }

  get sandbox(): string | undefined {
    return this.sandboxName;
  }

  runs(): RunListing[] {
    return unfinishedRuns(this.env);
  }

  /** The runs the last menu listed: `run:<n>` means the n-th of these, not of a list read later. */
  private listed: RunListing[] = [];

  menu(runsOnly = false): HomeItem[] {
    this.listed = this.runs();
    return homeItems({ runs: this.listed, flows: this.flows, runsOnly, sandbox: this.sandboxName, noCredentials: this.noCredentials });
  }

  /** What a home menu entry (a `HomeItem.value`) leads to; `run:<n>` is the n-th run the menu showed. */
  choose(value: string): HomeStep {
    if (value === 'sandbox') return { kind: 'sandbox', notice: this.enterSandbox() };
    if (value.startsWith('flow:')) return { kind: 'run', request: { flow: value.slice(5) } };
    const run = value.startsWith('run:') ? this.listed[Number(value.slice(4))] : undefined;
    return run ? { kind: 'pick', run } : { kind: 'quit' };
  }

  /** "Rehearse in the sandbox": the home screen and every flow started from it go to the sandbox. */
  enterSandbox(): string {
    this.sandboxName = DEFAULT_SANDBOX;
    return `Sandbox "${DEFAULT_SANDBOX}": what you start now runs against a simulated AWS account on this machine.`;
  }

  /** The request that resumes an unfinished run (a picked listing, or `slipway resume <n>`'s number). */
  resumeRequest(run: RunListing): RunRequest {
    if (isBroken(run)) throw new UsageError(`That journal cannot be read: ${run.path}.`, { fix: 'Discard it with `slipway resume <n> --discard`.' });
    return { flow: run.flow, journalPath: run.path, region: run.target.region };
  }

  runByNumber(number: string): RunListing {
    const index = Number(number);
    const run = Number.isInteger(index) ? this.runs()[index - 1] : undefined;
    if (!run) throw new UsageError(`There is no unfinished run number ${number}.`, { fix: 'See the numbers with `slipway resume --list`.' });
    return run;
  }

  /** Deletes a run's journal; says what was done (what it made in AWS stays). */
  discard(run: RunListing): string {
    discardRun(run.path);
    return `Discarded ${describeRun(run)}. Resources it made in AWS are left as they are.`;
  }

  /** Checks the flags and builds the runtime (UsageError before anything runs). A resumed run starts as it was first started — its sandbox, its profile — whatever was typed now. */
  prepare(request: RunRequest): PreparedRun {
    const entry = this.flows.find((f) => f.name === request.flow);
    if (!entry) throw new UsageError(`This slipway does not know the flow "${request.flow}".`, { fix: 'Update slipway, or discard the run (`slipway resume <n> --discard`).' });
    const args = request.journalPath ? argsForResume(this.args, readJournal(request.journalPath).meta) : this.args;
    return { request, entry, args, runtime: makeRuntime(args, this.env, request.region) };
  }

  /** Runs a prepared flow to its end; every event goes to the front end and into the record. */
  async run(prepared: PreparedRun, io: RunIo): Promise<{ result: RunResult; code: number }> {
    const { entry, args, runtime, request } = prepared;
    const flow = await entry.load(runtime);
    const result = await runFlow({
      flow,
      given: { ...request.answers, ...givenAnswers(this.given) },
      prompter: io.prompter,
      cancel: io.cancel,
      acceptDefaults: this.given.yes,
      journalPath: request.journalPath,
      env: this.env,
      meta: runMeta(args),
      emit: (event) => {
        this.record.push(event);
        io.emit(event);
      },
    });
    return { result, code: runExitCode(result) };
  }

  /** `--plan`: what the flow would do with these answers, from the present; nothing written. */
  async plan(prepared: PreparedRun, io: Omit<RunIo, 'emit'>): Promise<{ plan: PlanResult; answers: Answers }> {
    const flow = await prepared.entry.load(prepared.runtime);
    let answers: Answers = {};
    const plan = await planFlow({
      flow,
      given: givenAnswers(this.given),
      prompter: io.prompter,
      cancel: io.cancel,
      acceptDefaults: this.given.yes,
      env: this.env,
      notFound: (error) => classifyAwsError(error) === 'not-found',
      onAnswers: (a) => (answers = a),
    });
    return { plan, answers };
  }
}
