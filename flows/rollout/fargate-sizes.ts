/**
 * The task sizes Fargate accepts (Amazon ECS Developer Guide, reference rollout.md §3). Checked here so
 * a wrong pair is refused before anything is created — the book's 400 CPU / 600 MB fails at register time.
 */
const RANGES: { cpu: number; from: number; to: number; step: number }[] = [
  { cpu: 256, from: 512, to: 2048, step: 0 }, // 512, 1024, 2048 (listed, not stepped)
  { cpu: 512, from: 1024, to: 4096, step: 1024 },
  { cpu: 1024, from: 2048, to: 8192, step: 1024 },
  { cpu: 2048, from: 4096, to: 16384, step: 1024 },
  { cpu: 4096, from: 8192, to: 30720, step: 1024 },
  { cpu: 8192, from: 16384, to: 61440, step: 4096 },
  { cpu: 16384, from: 32768, to: 122880, step: 8192 },
];

export function memoriesFor(cpu: number): number[] {
  const range = RANGES.find((r) => r.cpu === cpu);
  if (!range) return [];
  if (range.step === 0) return [512, 1024, 2048];
  const out: number[] = [];
  for (let m = range.from; m <= range.to; m += range.step) out.push(m);
  return out;
}

export const FARGATE_CPUS = RANGES.map((r) => r.cpu);

/** undefined when Fargate runs this size; otherwise what is wrong and what would work. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const memories = memoriesFor(cpu);
  if (memories.length === 0) return `Fargate has no ${cpu} CPU size; it offers ${FARGATE_CPUS.join(', ')} (1024 = 1 vCPU).`;
  if (!memories.includes(memory)) {
    const shown = memories.length > 6 ? `${memories[0]}–${memories.at(-1)} MiB in ${memories[1]! - memories[0]!} MiB steps` : `${memories.join(', ')} MiB`;
    return `Fargate does not run ${cpu} CPU with ${memory} MiB; with ${cpu} CPU it offers ${shown}.`;
  }
  return undefined;
}

/** The choices a person picks from: the small sizes a first deploy needs, each valid by construction. */
export const SIZE_CHOICES: { value: string; label: string }[] = [
  ['256/512', '0.25 vCPU, 0.5 GB — the smallest (cheapest) task'],
  ['256/1024', '0.25 vCPU, 1 GB'],
  ['512/1024', '0.5 vCPU, 1 GB'],
  ['512/2048', '0.5 vCPU, 2 GB'],
  ['1024/2048', '1 vCPU, 2 GB'],
  ['1024/4096', '1 vCPU, 4 GB'],
  ['2048/4096', '2 vCPU, 4 GB'],
  ['4096/8192', '4 vCPU, 8 GB'],
].map(([value, label]) => ({ value: value!, label: `${value}  ${label}` }));

export function parseSize(value: string): { cpu: number; memory: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  return match ? { cpu: Number(match[1]), memory: Number(match[2]) } : undefined;
}

export function validateSize(value: string): string | undefined {
  const size = parseSize(value);
  if (!size) return 'A task size is CPU/MiB, e.g. 256/512 (0.25 vCPU, 0.5 GB).';
  return fargateSizeProblem(size.cpu, size.memory);
}
