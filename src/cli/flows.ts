import type { Answers, Flow, Question } from '../engine/types.js';
import { bootstrapQuestions } from '../../flows/bootstrap/questions.js';
import { publishQuestions } from '../../flows/publish/questions.js';
import { rolloutQuestions } from '../../flows/rollout/questions.js';
import { runQuestions } from '../../flows/run/questions.js';
import { statusQuestions } from '../../flows/status/questions.js';
import { teardownQuestions } from '../../flows/teardown/questions.js';
import { logsQuestions } from '../../flows/logs/questions.js';
import { execQuestions } from '../../flows/exec/questions.js';
import type { CliArgs } from './args.js';
import type { Runtime } from '../../flows/shared/runtime.js';
import { routeSdkOutput } from '../../flows/shared/sdk-output.js';

export interface FlowEntry {
  name: string;
  /** The flow's own title (Flow.title), in the header from the first frame on — before the flow is loaded. */
  title?: string;
  /** What the home screen shows. */
  label: string;
  description: string;
  /** The flow's questions, so its flags are known before the flow itself is loaded. */
  questions?: Question[];
  /** Checks what the flags name (files, other environments) before any screen; throws UsageError. */
  checkGiven?(given: Answers, cwd: string): Promise<void>;
  /** `--plan` makes sense for it (it changes something); false for the flows that only look (status, doctor). */
  plannable?: boolean;
  /** Its log is what the person came for (a one-off task's output): it stays on screen once finished. */
  keepsOutput?: boolean;
  /**
   * It hands the terminal to another program (`slipway exec`'s session): always line mode, never the
   * full-screen wizard, and not on the home screen.
   */
  lineOnly?: boolean;
  /** Loaded on demand: each flow pulls in its own SDK clients, never before it is chosen. */
  load(runtime: Runtime): Promise<Flow<any>>;
}

const ENTRIES: FlowEntry[] = [
  {
    name: 'bootstrap',
    title: 'Account bootstrap',
    label: 'Set up this AWS account safely',
    description: 'admin role behind MFA, groups, your IAM user with MFA, access key, CLI profile, EC2 key pair',
    questions: bootstrapQuestions({}),
    load: async (runtime) => (await import('../../flows/bootstrap/index.js')).bootstrapFlow(runtime),
  },
  {
    name: 'publish',
    title: 'Build and publish',
    label: 'Build and publish this app to ECR',
    description: 'test stage, release image, git-SHA tag, ECR repository with lifecycle policy, push, digest',
    questions: publishQuestions({}),
    load: async (runtime) => (await import('../../flows/publish/index.js')).publishFlow(runtime),
  },
  {
    name: 'rollout',
    title: 'Roll out',
    label: 'Roll out to an environment on ECS',
    description: 'Fargate service behind a load balancer, the published image by digest, watched live, diagnosed on failure',
    questions: rolloutQuestions({}),
    checkGiven: async (given, cwd) => (await import('../../flows/rollout/environment.js')).checkGivenEnvironments(cwd, given),
    load: async (runtime) => (await import('../../flows/rollout/index.js')).rolloutFlow(runtime),
  },
  {
    name: 'status',
    plannable: false,
    title: 'Status',
    label: 'See what runs where',
    description: 'per environment: revision and image digest, task counts, rollout state, URL, the last failure diagnosed',
    questions: statusQuestions({}),
    checkGiven: async (given, cwd) => (await import('../../flows/status/existing.js')).checkExistingEnvironment(cwd, given),
    load: async (runtime) => (await import('../../flows/status/index.js')).statusFlow(runtime),
  },
  {
    name: 'run',
    title: 'Run a one-off task',
    label: 'Run a one-off task in an environment',
    description: 'a migration or task runner with the service’s revision and network; its log streamed, its exit code handed on',
    questions: runQuestions({}),
    keepsOutput: true,
    checkGiven: async (given, cwd) => (await import('../../flows/status/existing.js')).checkExistingEnvironment(cwd, given),
    load: async (runtime) => (await import('../../flows/run/index.js')).runFlow(runtime),
  },
  {
    name: 'exec',
    title: 'ECS Exec into a task',
    label: 'Open a shell in a task of an environment',
    description: 'ECS Exec: turns it on when it is off (task role, new deployment — planned, resumable), picks the task, hands the terminal to the session',
    questions: execQuestions({}),
    lineOnly: true,
    checkGiven: async (given, cwd) => (await import('../../flows/status/existing.js')).checkExistingEnvironment(cwd, given),
    load: async (runtime) => (await import('../../flows/exec/index.js')).execFlow(runtime),
  },
  {
    name: 'teardown',
    title: 'Tear down',
    label: 'Tear down an environment',
    description: 'deletes what slipway made for it, found by its tags, after you type its name; the environment file stays',
    questions: teardownQuestions({}),
    checkGiven: async (given, cwd) => (await import('../../flows/rollout/environment.js')).checkGivenEnvironments(cwd, given),
    load: async (runtime) => (await import('../../flows/teardown/index.js')).teardownFlow(runtime),
  },
  {
    name: 'doctor',
    plannable: false,
    title: 'Doctor',
    label: 'Check this machine',
    description: 'Node, Docker, buildx, AWS credentials and identity, region, ~/.aws file modes',
    questions: [],
    load: async (runtime) => (await import('../../flows/doctor/index.js')).doctorFlow(runtime),
  },
];

/** Every flow runs with the AWS SDK's own output routed into its steps' logs, never onto the screen. */
export const FLOWS: FlowEntry[] = ENTRIES.map((entry) => ({ ...entry, load: async (runtime) => routeSdkOutput(await entry.load(runtime)) }));

export function findFlow(name: string): FlowEntry | undefined {
  return FLOWS.find((f) => f.name === name);
}

/**
 * Commands that are not flows: they change nothing, so they have no steps, journal or wizard screen,
 * and are not on the home screen. They print a stream of lines and leave (`slipway logs`, like
 * `aws logs tail`). Their questions give them flags and help as a flow's do.
 */
export interface CommandEntry {
  name: string;
  label: string;
  description: string;
  questions: Question[];
  checkGiven?(given: Answers, cwd: string): Promise<void>;
  /** Loaded on demand, like a flow; returns the exit code. */
  start(args: CliArgs): Promise<number>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: 'logs',
    label: 'Read an environment’s logs',
    description: 'its tasks’ CloudWatch Logs, oldest first, each line with its task id (--json: one object a line); --follow keeps printing new lines until Ctrl-C',
    questions: logsQuestions({}),
    checkGiven: async (given, cwd) => (await import('../../flows/status/existing.js')).checkExistingEnvironment(cwd, given),
    start: async (args) => (await import('../../flows/logs/command.js')).logsCommand(args),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
