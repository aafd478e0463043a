/** Small seeded PRNG (mulberry32): the same seed gives the same walks on every machine. */
export class SeededRandom {
  private s: number;

  constructor(seed: number) {
    this.s = seed | 0;
  }

  nextUint32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}
