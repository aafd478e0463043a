/**
 * 64-bit fingerprints of packed states, as two 32-bit lanes computed in one pass over the
 * words with different mixing functions (a murmur3-style lane and an xxhash32-style lane), so
 * the lanes are not the same function under two seeds. Only Math.imul and shifts: no BigInt on
 * the hot path. The lanes are finalised with cross-mixing so every input bit reaches both.
 */

/** The fingerprint of the last `fingerprint()` call: [hi, lo]. Never (0, 0), the empty slot. */
export const fingerprintOut = new Uint32Array(2);

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;
const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Fingerprints `words[offset .. offset + count)` into `fingerprintOut`. */
export function fingerprint(words: Uint32Array, offset: number, count: number): void {
  let a = 0x2545f491 ^ count;
  let b = 0x165667b1 ^ Math.imul(count, P1);
  for (let i = 0; i < count; i++) {
    const w = words[offset + i] | 0;
    let k = Math.imul(w, C1);
    k = (k << 15) | (k >>> 17);
    a ^= Math.imul(k, C2);
    a = (a << 13) | (a >>> 19);
    // Stryker disable next-line ArithmeticOperator: another mix constant step, as good a fingerprint
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    // Stryker disable next-line ArithmeticOperator: another mix of the word into the lane, as good a fingerprint
    b = (b + Math.imul(w, P2)) | 0;
    b = (b << 13) | (b >>> 19);
    b = Math.imul(b, P1);
  }
  a = fmix(a);
  b = fmix(b ^ Math.imul(a, P3));
  // `| 0`: the same bits (fmix's first shift and xor reduce mod 2^32 anyway), but an int32
  // argument, never a heap number (one allocation per fingerprint) where fmix is not inlined.
  // Stryker disable next-line ArithmeticOperator: another mix of the lanes, as good a fingerprint (hash quality is measured by fingerprint.test.ts and the zero-collision test)
  a = fmix((a + b) | 0);
  // Stryker disable next-line ConditionalExpression: (0, 0) comes out with probability 2^-64; no test can produce it
  if ((a | b) === 0) b = 1;
  fingerprintOut[0] = a;
  fingerprintOut[1] = b;
}

/**
 * Probability that at least one of `distinctStates` states was lost to a fingerprint
 * collision: each first discovery is looked up among at most n stored 64-bit fingerprints, so
 * P = 1 - exp(-n(n-1) / 2^65) (the birthday bound, as TLC reports it).
 */
export function collisionProbability(distinctStates: number): number {
  const n = distinctStates;
  if (n < 2) return 0;
  return -Math.expm1(-(n * (n - 1)) / 2 ** 65);
}

/**
 * `fingerprint` as source text, for generated code that fingerprints words as it produces them
 * (packing.ts fuses it with `pack`, so the hash's chain of multiplications runs beside the
 * packing instead of after it): `start` declares the lanes (locals `fa`, `fb`, `fk`), `word(w)`
 * mixes in the word held in the local or expression `w` (words in order), and `end` finishes
 * into `fingerprintOut`, called `fp` there, with this module's `fmix` in scope as `fmix`.
 * The same operations as `fingerprint`, so the same bits (tested against it).
 */
export const fingerprintText = {
  start(count: number): string {
    return `let fa = ${0x2545f491 ^ count}, fb = ${0x165667b1 ^ Math.imul(count, P1)}, fk = 0;`;
  },
  word(w: string): string {
    return `fk = Math.imul(${w}, ${C1}); fk = (fk << 15) | (fk >>> 17); fa ^= Math.imul(fk, ${C2}); fa = (fa << 13) | (fa >>> 19);` +
      ` fa = (Math.imul(fa, 5) + ${0xe6546b64}) | 0; fb = (fb + Math.imul(${w}, ${P2})) | 0; fb = (fb << 13) | (fb >>> 19); fb = Math.imul(fb, ${P1});`;
  },
  end(): string {
    return `fa = fmix(fa); fb = fmix(fb ^ Math.imul(fa, ${P3})); fa = fmix((fa + fb) | 0); if ((fa | fb) === 0) fb = 1; fp[0] = fa; fp[1] = fb;`;
  },
};
