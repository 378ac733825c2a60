/** The run's seed: VERIFY_SEED when given, else a fixed one, so two runs try the same kill points. */
export const DEFAULT_SEED = 20261122;

export function verifySeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.VERIFY_SEED;
  if (given === undefined || given === '') return DEFAULT_SEED;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`VERIFY_SEED=${given}: expected an integer.`);
  return seed;
}

/** A small seeded generator (mulberry32): the same seed, the same sequence, on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
