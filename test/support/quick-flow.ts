import type { FlowEntry } from '../../src/cli/flows.js';

/** A registry entry for a flow of one check that always passes: quick to run, named after `name`. */
export function quickFlow(name: string): FlowEntry {
  return {
    name,
    label: `Flow ${name}`,
    description: `runs ${name}`,
    load: async () => ({
      name,
      title: `Flow ${name}`,
      kind: 'checks',
      questions: [],
      target: async () => ({ region: 'us-east-1' }),
      context: async (base) => base,
      steps: [{ id: 'look', title: `Look at ${name}`, check: true, probe: async () => ({ seen: name }), apply: async () => ({ seen: name }) }],
    }),
  };
}
