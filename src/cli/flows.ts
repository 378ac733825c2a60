import type { Flow } from '../engine/types.js';
import type { Runtime } from '../../flows/shared/runtime.js';

export interface FlowEntry {
  name: string;
  /** What the home screen shows. */
  label: string;
  description: string;
  /** Loaded on demand: each flow pulls in its own SDK clients, never before it is chosen. */
  load(runtime: Runtime): Promise<Flow<any>>;
}

export const FLOWS: FlowEntry[] = [
  {
    name: 'doctor',
    label: 'Check this machine',
    description: 'Node, Docker, buildx, AWS credentials and identity, region, ~/.aws file modes',
    load: async (runtime) => (await import('../../flows/doctor/index.js')).doctorFlow(runtime),
  },
];

export function findFlow(name: string): FlowEntry | undefined {
  return FLOWS.find((f) => f.name === name);
}
