/**
 * The EC2 instance types the sandbox launches: vCPUs, memory and architecture (EC2 User Guide). What the
 * ECS agent registers is less than the memory: the operating system keeps some (about 8%, at least
 * 80 MiB — a t3.micro offers its tasks about 940 MiB, not 1024).
 */
export interface InstanceTypeInfo {
  vcpus: number;
  memoryMiB: number;
  architecture: 'x86_64' | 'arm64';
}

const TYPES: Record<string, InstanceTypeInfo> = {};
const add = (architecture: InstanceTypeInfo['architecture'], family: string, sizes: [string, number, number][]) => {
  for (const [size, vcpus, gib] of sizes) TYPES[`${family}.${size}`] = { vcpus, memoryMiB: gib * 1024, architecture };
};

const BURSTABLE: [string, number, number][] = [['nano', 2, 0.5], ['micro', 2, 1], ['small', 2, 2], ['medium', 2, 4], ['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32]];
const GENERAL: [string, number, number][] = [['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32], ['4xlarge', 16, 64]];
const COMPUTE: [string, number, number][] = [['large', 2, 4], ['xlarge', 4, 8], ['2xlarge', 8, 16], ['4xlarge', 16, 32]];
const MEMORY: [string, number, number][] = [['large', 2, 16], ['xlarge', 4, 32], ['2xlarge', 8, 64]];

add('x86_64', 't2', [['nano', 1, 0.5], ['micro', 1, 1], ['small', 1, 2], ['medium', 2, 4], ['large', 2, 8]]);
for (const family of ['t3', 't3a']) add('x86_64', family, BURSTABLE);
add('arm64', 't4g', BURSTABLE);
for (const family of ['m5', 'm5a', 'm6i', 'm6a', 'm7i', 'm7a']) add('x86_64', family, GENERAL);
for (const family of ['m6g', 'm7g', 'm8g']) add('arm64', family, GENERAL);
for (const family of ['c5', 'c5a', 'c6i', 'c6a', 'c7i']) add('x86_64', family, COMPUTE);
for (const family of ['c6g', 'c7g', 'c8g']) add('arm64', family, COMPUTE);
for (const family of ['r5', 'r6i', 'r7i']) add('x86_64', family, MEMORY);
for (const family of ['r6g', 'r7g']) add('arm64', family, MEMORY);

export function instanceTypeInfo(type: string | undefined): InstanceTypeInfo | undefined {
  return type ? TYPES[type] : undefined;
}

/** What the ECS agent registers as the instance's CPU units and memory. */
export function registeredResources(info: InstanceTypeInfo): { cpu: number; memory: number } {
  return { cpu: info.vcpus * 1024, memory: info.memoryMiB - Math.max(80, Math.round(info.memoryMiB * 0.08)) };
}
