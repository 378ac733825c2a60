import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { describeHow, mark, type StepStatus } from '../src/present/format.js';
import { Elapsed } from './elapsed.js';
import type { StepView } from './state/run-view.js';

const COLOR: Record<StepStatus, string | undefined> = { pending: undefined, running: 'cyan', done: 'green', failed: 'red', cancelled: 'yellow' };

export function StepList({ steps }: { steps: StepView[] }) {
  return (
    <Box flexDirection="column" paddingX={1}>
      {steps.map((step) => (
        <Box key={step.id} gap={1}>
          {step.status === 'running' ? <Spinner /> : <Text color={COLOR[step.status]}>{mark(step.status)}</Text>}
          <Text color={step.status === 'pending' ? 'gray' : undefined}>{step.title}</Text>
          {step.how && describeHow(step.how) ? <Text dimColor>{`(${describeHow(step.how)})`}</Text> : null}
          {step.detail ? <Text dimColor>{`— ${step.detail}`}</Text> : null}
          {step.status === 'failed' && step.error ? <Text color="red">{`— ${step.error.message}`}</Text> : null}
          {step.startedAt !== undefined ? <Elapsed since={step.startedAt} until={step.endedAt} /> : null}
        </Box>
      ))}
    </Box>
  );
}
