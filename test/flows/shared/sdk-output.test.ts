import { expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import type { Prompter } from '../../../src/engine/prompter.js';
import { runFlow } from '../../../src/engine/runner.js';
import type { Flow } from '../../../src/engine/types.js';
import { routeSdkOutput } from '../../../flows/shared/sdk-output.js';
import { tempHome } from '../../support/temp-home.js';

const nobody = {} as Prompter;

it('what the SDK prints during a flow becomes log lines of its steps (before the first step: the first step’s)', async () => {
  const home = tempHome();
  try {
    const flow: Flow = {
      name: 'sdk-noise',
      title: 'SDK noise',
      questions: [],
      target: async () => {
        console.warn('@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:\n  Multiple credential sources detected');
        return { account: '123456789012', region: 'us-east-1' };
      },
      context: async (base) => base,
      steps: [
        { id: 'one', title: 'One', probe: async () => undefined, apply: async () => ({}) },
        { id: 'two', title: 'Two', probe: async () => undefined, apply: async () => (process.emitWarning('careful', 'SomeWarning'), {}) },
      ],
    };
    const events: RunEvent[] = [];
    const result = await runFlow({ flow: routeSdkOutput(flow), given: {}, prompter: nobody, emit: (e) => events.push(e), cancel: new AbortController().signal, env: home.env });
    expect(result.status).toBe('done');
    const logs = events.flatMap((e) => (e.type === 'step-log' ? [[e.stepId, e.line, e.level]] : []));
    expect(logs).toEqual([
      ['one', 'AWS SDK: Multiple credential sources detected', 'warn'],
      ['two', 'AWS SDK: SomeWarning: careful', 'warn'],
    ]);
  } finally {
    home.cleanup();
  }
});
