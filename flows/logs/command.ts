import { existsSync } from 'node:fs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { classifyAwsError, explainAwsError } from '../../src/aws/errors.js';
import { givenAnswers } from '../../src/cli/answers-file.js';
import type { CliArgs } from '../../src/cli/args.js';
import { chooseMode } from '../../src/cli/mode.js';
import { makeRuntime } from '../../src/cli/runtime.js';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { PlainPrompter } from '../../src/console/plain-prompter.js';
import { resolveAnswers } from '../../src/engine/answers.js';
import { ExitCode, SlipwayError, UsageError } from '../../src/engine/errors.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { sandboxFile } from '../../src/sandbox/store.js';
import { rolloutClients } from '../rollout/context.js';
import { existingEnvironment } from '../status/existing.js';
import { formatEvent } from './print.js';
import { logsQuestions, typedLogsAnswers } from './questions.js';
import { parseSince } from './since.js';
import { filterPages, logPlace } from './source.js';
import { tailLogs } from './tail.js';

/**
 * `slipway logs --env <env> [--follow] [--since 10m] [--filter TEXT] [--task ID]`: the environment's
 * CloudWatch Logs, oldest first, each line prefixed with its task.
 *
 * Not a flow: it changes nothing, so it has no steps to resume, writes no journal and opens no
 * full-screen wizard. Its output is a stream a person scrolls back through, pipes to grep or leaves
 * following in a terminal, like `aws logs tail` or `docker logs -f`: lines on stdout in every mode (one
 * JSON object per line with --json), anything else on stderr. Ctrl-C ends a --follow with 0.
 */
export interface LogsIo {
  out(text: string): void;
  err(text: string): void;
  stdinIsTty: boolean;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
}

/** How far back each poll of a --follow reaches before the newest line printed (see tail.ts). */
export const LOOKBACK_MS = 10_000;

const SANDBOX_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function logsCommand(args: CliArgs, env: NodeJS.ProcessEnv = process.env, io: LogsIo = processIo()): Promise<number> {
  const stop = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  let following = false;
  const onSigint = () => {
    // A second Ctrl-C while the first is still being acted on leaves at once.
    if (signalled === 'SIGINT') process.exit(following ? ExitCode.ok : ExitCode.cancelled);
    signalled ??= 'SIGINT';
    stop.abort();
  };
  const onSigterm = () => {
    signalled ??= 'SIGTERM';
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    // Reading logs never makes a sandbox: a name nobody rehearsed in is a typo.
    if (args.sandbox !== undefined && SANDBOX_NAME.test(args.sandbox) && !existsSync(sandboxFile(args.sandbox, env))) {
      throw new UsageError(`There is no sandbox "${args.sandbox}" on this machine.`, {
        why: 'slipway logs only reads what a rollout made; it does not make a sandbox.',
        fix: `Check --sandbox-name (slipway sandbox list), or rehearse a rollout there first: slipway rollout --env <env> --sandbox-name ${args.sandbox}`,
      });
    }
    const runtime = makeRuntime(args, env);
    const questions = logsQuestions({ region: runtime.aws.region, app: readProjectSettings(runtime.cwd)?.app, cwd: runtime.cwd });
    // Questions (an environment not given, an MFA code) go to a terminal, never into a pipe that reads the lines.
    const interactive = chooseMode(args, env, io.stdinIsTty, io.stdoutIsTty) !== 'ci' && io.stdoutIsTty;
    const prompter = interactive ? new PlainPrompter(stop.signal) : new NonInteractivePrompter(env);
    const answers = typedLogsAnswers(await resolveAnswers(questions, { given: givenAnswers(args), journaled: {}, prompter, acceptDefaults: args.yes }));
    following = answers.follow;
    const environment = existingEnvironment(runtime.cwd, answers.env);
    const since = parseSince(answers.since, runtime.sandbox?.clock.now() ?? Date.now());
    if (since === undefined) throw new UsageError(`--since ${answers.since}: not a time slipway understands.`);
    const place = logPlace(answers.app, answers.env, environment.launchType, answers.task);
    const logs = await rolloutClients(runtime)<CloudWatchLogsClient>('logs', answers.region, prompter);
    const color = !args.json && io.stdoutIsTty && !env.NO_COLOR && env.TERM !== 'dumb';
    if (io.stderrIsTty && !args.json) {
      const what = [answers.task && `task ${answers.task}`, answers.filter && `lines with "${answers.filter}"`].filter(Boolean).join(', ');
      io.err(`${place.logGroupName}${what ? ` (${what})` : ''} since ${new Date(since).toISOString()}${answers.follow ? ', following — Ctrl-C to stop' : ''}\n`);
    }
    const poll = Number(env.SLIPWAY_WATCH_POLL_MS);
    const minMs = Number.isFinite(poll) && poll > 0 ? poll : 1000;
    try {
      const { printed } = await tailLogs({
        pages: filterPages(logs, place, answers.filter),
        print: (events) => io.out(`${events.map((e) => formatEvent(e, { json: args.json, color })).join('\n')}\n`),
        since,
        follow: answers.follow,
        signal: stop.signal,
        poll: { minMs, maxMs: minMs * 8 },
        lookbackMs: LOOKBACK_MS,
        retryable: (error) => ['throttled', 'network'].includes(classifyAwsError(error)),
        onRetry: (error, ms) => io.err(`slipway logs: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} — trying again every ${Math.round(ms / 1000)} s.\n`),
      });
      if (printed === 0 && !answers.follow && !signalled && !args.json) io.err(`No log lines in ${place.logGroupName} since ${new Date(since).toISOString()}.\n`);
    } catch (error) {
      if (classifyAwsError(error) === 'not-found') throw noLogGroup(place.logGroupName, answers.env, args.sandbox);
      throw explainAwsError(error, `Reading ${place.logGroupName} (logs:FilterLogEvents)`);
    } finally {
      logs.destroy();
    }
    if (signalled === 'SIGTERM') return 143;
    // Ctrl-C is how a --follow ends; without --follow it cut the listing short.
    return signalled === 'SIGINT' && !answers.follow ? ExitCode.cancelled : ExitCode.ok;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

function noLogGroup(group: string, env: string, sandbox: string | undefined): SlipwayError {
  return new SlipwayError(`There are no logs for ${env}: the log group ${group} does not exist.`, {
    why: 'A rollout makes it before the first task starts; teardown deletes it unless you kept it.',
    fix: `Roll the environment out first: slipway rollout --env ${env}${sandbox ? ` --sandbox-name ${sandbox}` : ''}`,
  });
}

function processIo(): LogsIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdinIsTty: Boolean(process.stdin.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
  };
}
