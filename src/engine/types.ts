import type { Prompter } from './prompter.js';

/** JSON-serialisable values a step hands to later steps and to the journal. Never secrets. */
export type Outputs = Record<string, unknown>;

/** What a run is about: the journal is keyed by these, so two targets never share progress. */
export interface Target {
  account?: string;
  region?: string;
  app?: string;
  env?: string;
}

/** Emitted by a step while it works; the runner stamps the step id and forwards it as an event. */
export interface StepReporter {
  log(line: string, level?: 'info' | 'warn' | 'error'): void;
  progress(label: string, current: number, total?: number, unit?: 'bytes' | 'items'): void;
}

/**
 * The facts a step's result is made from: the answers and upstream outputs it reads, and local facts
 * (git SHA and tree digest, image id, file digests, flags). JSON values, never secrets. The journal keeps
 * them beside the step's outputs; a journaled result counts only while they are unchanged.
 */
export type Inputs = Record<string, unknown>;

/** Everything a step sees. `C` is the flow's own context (clients, answers, settings). */
export interface StepContext<A extends Answers = Answers> {
  answers: A;
  /** Outputs of the steps before this one, by step id (probed or applied in this run). */
  outputs: Record<string, Outputs>;
  prompter: Prompter;
  report: StepReporter;
  /** Aborted when the user cancels the running step (first Ctrl-C). Pass it to every child process and SDK call. */
  signal: AbortSignal;
  /**
   * What the journal says about the running step from earlier runs. `intent` means an earlier apply
   * may have half-happened (e.g. a key created whose secret was lost in a crash): apply can clean up.
   */
  journaled?: { status: 'intent' | 'done' | 'failed'; intentAt?: string; outputs?: Outputs };
  /**
   * Every step's record as the journal held it when this run started (empty for a fresh run): lets a
   * step tell "an earlier run reported this failure" from "an earlier run was killed here".
   */
  history?: Record<string, { status: 'intent' | 'done' | 'failed'; outputs?: Outputs; error?: string }>;
  /** A `--plan` is running: probes (and context builders) must not write, not even a local file. */
  planning?: boolean;
}

export interface Step<C extends StepContext = StepContext> {
  /** Stable journal key: renaming it makes old journals re-probe this step, nothing worse. */
  id: string;
  title: string;
  /** Read-only: the probe is the whole step (it looks, it never changes anything). */
  check?: boolean;
  /**
   * What this step's result depends on. When an earlier run's result was made from other inputs, the
   * runner does not show it to the step (`journaled` is undefined) and says what changed: the step runs
   * afresh (probe, then apply). Steps that trust `journaled` or `history` must declare their inputs; a
   * step without them trusts nothing journaled: its probe looks at the present. (A resumed run always has
   * the answers it was started with: other answers start a new run.)
   */
  inputs?(c: C): Inputs | Promise<Inputs>;
  /** One line saying what apply would do, for --plan and production approval. */
  plan?(c: C): string;
  /**
   * What apply would change here, field by field ("image: …@sha256:aa → …@sha256:bb"), when the probe
   * says the step is not done: lines for `--plan`. A line starting "create:" makes it a creation; any
   * other an update. Read-only, like the probe.
   */
  planChanges?(c: C): Promise<string[]>;
  /**
   * Apply changes nothing in AWS: it asks (an approval), watches (a deployment), reads (a run's task
   * definition) or tidies this machine (a docker logout). `--plan` lists it as a step that would run —
   * or as unchanged when its probe finds it done or not needed — never as a change.
   */
  readOnly?: boolean;
  /** Read-only. Defined means "already done": the step is skipped and these outputs adopted. */
  probe(c: C): Promise<Outputs | undefined>;
  /** Idempotent. Its outputs are journaled. */
  apply(c: C): Promise<Outputs>;
}

export type Answers = Record<string, string | number | boolean>;

export interface Question {
  /** Key in the answers object and in the journal. */
  id: string;
  /** Command-line flag that supplies it non-interactively, e.g. `--user-name`. */
  flag: string;
  message: string;
  kind: 'text' | 'select' | 'confirm' | 'number';
  choices?: { value: string; label: string }[];
  /** The choices are what is known (the environment files); a flag or answers file may name another. */
  otherAllowed?: boolean;
  default?: string | number | boolean | ((answers: Answers) => string | number | boolean | undefined);
  /** The default in words for `--help`, when it is worked out from other answers (a function). */
  defaultHelp?: string;
  /** Returns a message saying what is wrong, or undefined when the value is fine. */
  validate?(value: string): string | undefined;
  /** Secrets are asked every time and never journaled. */
  secret?: boolean;
  /** A setting with a good default: taken silently unless given by flag or file (never asked). */
  advanced?: boolean;
  /**
   * Where the default comes from when it is something the person already chose (the region of their
   * AWS profile, the app in slipway/project.json): then it is not asked again — the run says what it
   * took and from where, and the flag changes it.
   */
  settled?: string;
  /** Ask only when this returns true for the answers so far. */
  when?(answers: Answers): boolean;
}

export interface Flow<C extends StepContext = StepContext> {
  name: string;
  title: string;
  questions: Question[];
  /**
   * Works out the target (account, region, app, env) before any step runs; decides which journal to
   * use. May call AWS read-only (e.g. who am I), so it gets the prompter for an MFA code.
   */
  target(answers: Answers, prompter: Prompter, how?: { planning: boolean }): Promise<Target>;
  /** Builds the flow's context from the base context (e.g. adds SDK clients, lazily imported). */
  context(base: StepContext): Promise<C>;
  /**
   * The steps in order — or, when they depend on the answers (a rollout's target, read from the
   * environment file the answers name), a function the runner calls once the answers are resolved.
   */
  steps: Step<C>[] | ((answers: Answers) => Step<C>[]);
  /**
   * `changes` (the default): steps change things, a failure stops the run, and re-running resumes it.
   * `checks` (doctor): steps only look; every step runs even when one fails, and each run starts
   * afresh (there is nothing to resume in a check).
   */
  kind?: 'changes' | 'checks';
  /** Its steps delete (teardown): what `--plan` finds not done yet is a deletion, not a creation. */
  removes?: boolean;
  /**
   * Turns an error a step threw that is not already a SlipwayError (e.g. a raw AWS error) into one
   * that says why and what to do. Flows that call AWS pass the AWS classifier here.
   */
  explainError?(error: unknown, step: { id: string; title: string }): unknown;
  /** One or two lines for the end of the run, from the outputs. */
  summary?(outputs: Record<string, Outputs>): string[];
}
