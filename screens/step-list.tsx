import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { describeHow, mark, type StepStatus } from '../src/present/format.js';
import { Elapsed } from './elapsed.js';
import { visibleSteps } from './layout/flow-layout.js';
import type { StepView } from './state/run-view.js';

const COLOR: Record<StepStatus, string | undefined> = { pending: 'gray', running: 'cyan', done: 'green', failed: 'red', cancelled: 'yellow' };

/**
 * One line per step, never wrapped: a long detail is cut, the error panel below has the full story.
 * Given fewer rows than steps (a long flow at 80×24), the finished steps fold into one counted line.
 */
export function StepList({ steps, maxRows = Infinity }: { steps: StepView[]; maxRows?: number }) {
  const { before, shown, after } = visibleSteps(steps, maxRows);
  return (
    <Box flexDirection="column" paddingX={1}>
      {before > 0 ? <Text color="green">{`${mark('done')} `}<Text dimColor>{`${before} step${before === 1 ? '' : 's'} done`}</Text></Text> : null}
      {shown.map((step) => {
        const how = step.how ? describeHow(step.how) : undefined;
        const detail = [how && `(${how})`, step.detail && `— ${step.detail}`].filter(Boolean).join(' ');
        return (
          <Box key={step.id}>
            <Box width={2} flexShrink={0}>
              {step.status === 'running' ? <Spinner /> : <Text color={COLOR[step.status]}>{mark(step.status)}</Text>}
            </Box>
            <Box flexGrow={1} flexShrink={1}>
              <Text wrap="truncate-end" color={step.status === 'pending' ? 'gray' : undefined}>
                {step.title}
                {detail ? <Text dimColor>{` ${detail}`}</Text> : null}
              </Text>
            </Box>
            <Box flexShrink={0} marginLeft={1}>
              {step.startedAt !== undefined ? <Elapsed since={step.startedAt} until={step.endedAt} /> : null}
            </Box>
          </Box>
        );
      })}
      {after > 0 ? <Text dimColor>{`${mark('pending')} ${after} more step${after === 1 ? '' : 's'}`}</Text> : null}
    </Box>
  );
}
