import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../src/engine/atomic-write.js';
import type { Flow, Step, StepContext } from '../../src/engine/types.js';

/**
 * A test flow against a file-backed fake cloud. Its "create" is deliberately NOT idempotent (like
 * iam:CreateAccessKey, every call makes a new resource with a new id), so only the runner's
 * probe-first resume keeps a crashed run from duplicating anything.
 */
export interface Resource {
  id: string;
  name: string;
  kind: string;
}

export class LedgerCloud {
  constructor(readonly path: string) {}
  list(): Resource[] {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Resource[];
    } catch {
      return [];
    }
  }
  find(kind: string, name: string): Resource | undefined {
    return this.list().find((r) => r.kind === kind && r.name === name);
  }
  create(kind: string, name: string): Resource {
    const resource = { id: `${kind}-${Math.random().toString(36).slice(2, 10)}`, name, kind };
    writeFileAtomic(this.path, JSON.stringify([...this.list(), resource]));
    return resource;
  }
}

/** Where a test asks the process to die: `<stepId>:<probe|before-create|after-create>`. */
export type KillPhase = 'probe' | 'before-create' | 'after-create';

export const LEDGER_KINDS = ['network', 'role', 'bucket', 'key'] as const;

export function ledgerFlow(cloud: LedgerCloud, kill?: string, onKill: () => void = () => process.kill(process.pid, 'SIGKILL')): Flow {
  const maybeDie = (stepId: string, phase: KillPhase) => {
    if (kill === `${stepId}:${phase}`) onKill();
  };
  const step = (kind: (typeof LEDGER_KINDS)[number]): Step => ({
    id: kind,
    title: `Create the ${kind}`,
    plan: (c) => `create ${kind} ${String(c.answers.prefix)}-${kind}`,
    async probe(c: StepContext) {
      maybeDie(kind, 'probe');
      const found = cloud.find(kind, `${String(c.answers.prefix)}-${kind}`);
      return found ? { id: found.id } : undefined;
    },
    async apply(c: StepContext) {
      maybeDie(kind, 'before-create');
      const made = cloud.create(kind, `${String(c.answers.prefix)}-${kind}`);
      maybeDie(kind, 'after-create');
      return { id: made.id };
    },
  });
  return {
    name: 'ledger',
    title: 'Ledger test flow',
    questions: [{ id: 'prefix', flag: '--prefix', message: 'Name prefix', kind: 'text', validate: (v) => (/^[a-z]+$/.test(v) ? undefined : 'lowercase letters only') }],
    target: async (answers) => ({ account: '123456789012', region: 'us-east-1', app: String(answers.prefix) }),
    context: async (base) => base,
    steps: LEDGER_KINDS.map(step),
  };
}
