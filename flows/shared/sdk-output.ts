import { withSdkOutput, type SdkLineLevel } from '../../src/aws/sdk-output.js';
import type { Flow, Step, StepContext } from '../../src/engine/types.js';

/**
 * The flow with whatever the AWS SDK prints while it runs (src/aws/sdk-output.ts) turned into log
 * lines of the running step: the log pane in the wizard, a line in line mode. What the SDK says while
 * the target is worked out, before any step, goes to the first step's log.
 */
export function routeSdkOutput<C extends StepContext>(flow: Flow<C>): Flow<C> {
  const early: { line: string; level: SdkLineLevel }[] = [];
  const inStep =
    <R>(run: (c: C) => Promise<R>) =>
    (c: C): Promise<R> => {
      const log = (line: string, level: SdkLineLevel) => c.report.log(`AWS SDK: ${line}`, level === 'info' ? 'info' : level);
      for (const { line, level } of early.splice(0)) log(line, level);
      return withSdkOutput(log, () => run(c));
    };
  const wrap = (step: Step<C>): Step<C> => ({ ...step, probe: inStep((c) => step.probe(c)), apply: inStep((c) => step.apply(c)) });
  const beforeSteps = (line: string, level: SdkLineLevel) => early.push({ line, level });
  const { steps } = flow;
  return {
    ...flow,
    target: (answers, prompter, how) => withSdkOutput(beforeSteps, () => flow.target(answers, prompter, how)),
    context: (base) => withSdkOutput(beforeSteps, () => flow.context(base)),
    steps: typeof steps === 'function' ? (answers) => steps(answers).map(wrap) : steps.map(wrap),
  };
}
