/**
 * The demo data's randomness: a seeded generator, so the same seed always gives the same data.
 * Each seeder draws from its own generator (its seed derived from the dataset's), so a change in
 * one seeder leaves what the others make as it was.
 */

/** A small, fast, seeded PRNG (mulberry32): numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator with the two draws the seeders use. */
export interface Random {
  /** A number in [0, 1). */
  rnd: () => number;
  /** One of `xs`, each as likely. */
  pick: <T>(xs: readonly T[]) => T;
  /** A whole number from `lo` to `hi`, both included. */
  between: (lo: number, hi: number) => number;
}

/** A seeded generator for `seed`: every draw, whichever way it is made, takes the next number of one sequence. */
export function seeded(seed: number): Random {
  const rnd = prng(seed);
  return {
    rnd,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!,
    between: (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1)),
  };
}
