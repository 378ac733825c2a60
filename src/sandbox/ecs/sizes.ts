import { clientError } from './common.js';

/**
 * Valid Fargate task sizes (rollout reference §3): cpu units → the memory values (MiB) allowed with
 * them, as [first, last, step].
 */
const FARGATE_SIZES: Record<number, [number, number, number][]> = {
  256: [[512, 512, 1], [1024, 1024, 1], [2048, 2048, 1]],
  512: [[1024, 4096, 1024]],
  1024: [[2048, 8192, 1024]],
  2048: [[4096, 16384, 1024]],
  4096: [[8192, 30720, 1024]],
  8192: [[16384, 61440, 4096]],
  16384: [[32768, 122880, 8192]],
};

export function isFargateSize(cpu: number, memory: number): boolean {
  return (FARGATE_SIZES[cpu] ?? []).some(([first, last, step]) => memory >= first && memory <= last && (memory - first) % step === 0);
}

/** Task cpu as ECS accepts it — units ("1024") or vCPUs ("1 vCPU", "0.25 vcpu") — normalized to units. */
export function normalizeCpu(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const vcpu = /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value);
  if (vcpu) return String(Math.round(Number(vcpu[1]) * 1024));
  if (/^\s*\d+\s*$/.test(value)) return value.trim();
  throw clientError("Invalid 'cpu' setting for task.");
}

/** Task memory as MiB ("2048") or GB ("2 GB", "2GB"), normalized to MiB. */
export function normalizeMemory(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  if (gb) return String(Math.round(Number(gb[1]) * 1024));
  if (/^\s*\d+\s*$/.test(value)) return value.trim();
  throw clientError("Invalid 'memory' setting for task.");
}

export function checkFargateSize(cpu: string | undefined, memory: string | undefined): void {
  if (cpu === undefined) throw clientError("Fargate requires that 'cpu' be defined at the task level.");
  if (memory === undefined) throw clientError("Fargate requires that 'memory' be defined at the task level.");
  if (!isFargateSize(Number(cpu), Number(memory))) {
    throw clientError(`No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`);
  }
}
