/**
 * EC2 instance types as far as an environment file needs them: the name's shape, the architecture its
 * family runs (Graviton families carry a "g" after the generation: t4g, m7g, c6gn), and for common
 * types their size, so a task that could never fit is refused before anything is created. Light on
 * purpose: the question list loads it.
 */
export const INSTANCE_TYPE = /^[a-z][a-z0-9]*\.[a-z0-9]+$/;

export function instanceArchitecture(type: string): 'X86_64' | 'ARM64' {
  const family = type.split('.')[0] ?? '';
  return family === 'a1' || /^[a-z]+\d+g/.test(family) ? 'ARM64' : 'X86_64';
}

const SIZES: Record<string, [vcpus: number, gib: number]> = {
  nano: [2, 0.5],
  micro: [2, 1],
  small: [2, 2],
  medium: [2, 4],
  large: [2, 8],
  xlarge: [4, 16],
  '2xlarge': [8, 32],
};
const BURSTABLE = new Set(['t3', 't3a', 't4g']);

/** vCPUs and memory of the burstable types a first EC2 environment uses (t3, t3a, t4g), else undefined. */
export function knownSize(type: string): { vcpus: number; memoryMiB: number } | undefined {
  const [family = '', size = ''] = type.split('.');
  const known = BURSTABLE.has(family) ? SIZES[size] : undefined;
  return known ? { vcpus: known[0], memoryMiB: known[1] * 1024 } : undefined;
}

/** undefined when an EC2 task of this size can run (on this type, when known); else what is wrong. */
export function ec2SizeProblem(cpu: number, memory: number, instanceType: string): string | undefined {
  if (cpu < 128 || cpu > 196_608) return `an EC2 task takes 128 to 196608 CPU units (1024 = 1 vCPU), not ${cpu}`;
  if (memory < 128) return `an EC2 task needs at least 128 MiB, not ${memory}`;
  const size = knownSize(instanceType);
  if (!size) return undefined;
  if (memory >= size.memoryMiB) return `a ${instanceType} has ${size.memoryMiB} MiB, part of it for the system: a ${memory} MiB task cannot fit; choose a larger instanceType or less memory`;
  if (cpu > size.vcpus * 1024) return `a ${instanceType} has ${size.vcpus * 1024} CPU units: a ${cpu} CPU task cannot fit; choose a larger instanceType or less cpu`;
  return undefined;
}

/** The choices offered for a new EC2 environment, with what each costs roughly and offers. */
export const INSTANCE_CHOICES: { value: string; label: string }[] = [
  ['t3.micro', '2 vCPU, 1 GB — free-tier eligible; one small task'],
  ['t3.small', '2 vCPU, 2 GB'],
  ['t3.medium', '2 vCPU, 4 GB'],
  ['t4g.micro', '2 vCPU, 1 GB, ARM64 (Graviton): needs an arm64 image'],
  ['t4g.small', '2 vCPU, 2 GB, ARM64 (Graviton): needs an arm64 image'],
].map(([value, label]) => ({ value: value!, label: `${value}  ${label}` }));
