import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FingerprintSet, fingerprint, fingerprintOut, collisionProbability } from '../../explorer/index.js';

describe('FingerprintSet', () => {
  it('behaves as a set of 64-bit values across many growths (checked against a JS Set)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.nat(50)), { maxLength: 20000 }), (pairs) => {
        const set = new FingerprintSet();
        const ref = new Set<string>();
        for (const [hi, lo] of pairs) {
          if (hi === 0 && lo === 0) continue; // the empty marker, never produced by fingerprint()
          expect(set.addFingerprint(hi, lo)).toBe(!ref.has(`${hi}:${lo}`));
          ref.add(`${hi}:${lo}`);
        }
        expect(set.size).toBe(ref.size);
        for (const k of ref) {
          const [hi, lo] = k.split(':').map(Number);
          expect(set.has(hi, lo)).toBe(true);
        }
        expect(set.has(9, 9)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it('stays dense: 8 bytes per slot, at least 7/16 of the slots used after a growth, at most 7/8', () => {
    const set = new FingerprintSet();
    for (let i = 1; i <= 100_000; i++) set.addFingerprint(i * 2654435761, i);
    expect(set.bytes).toBe(set.capacity * 8);
    expect(set.size / set.capacity).toBeGreaterThanOrEqual(7 / 16);
    expect(set.size / set.capacity).toBeLessThanOrEqual(7 / 8);
  });
});

describe('fingerprint collisions, measured', () => {
  // 2^20 distinct two-word states shaped like packed model states (small counters in low bits).
  const N = 1 << 20;
  const his = new Uint32Array(N);
  const los = new Uint32Array(N);
  const w = new Uint32Array(2);
  for (let i = 0; i < N; i++) {
    w[0] = i & 0x3ff;
    w[1] = i >>> 10;
    fingerprint(w, 0, 2);
    his[i] = fingerprintOut[0];
    los[i] = fingerprintOut[1];
  }
  const collisions = (key: (i: number) => string | number): number => {
    const seen = new Set<string | number>();
    let c = 0;
    for (let i = 0; i < N; i++) {
      const k = key(i);
      if (seen.has(k)) c++;
      else seen.add(k);
    }
    return c;
  };

  it('has no 64-bit collision among 2^20 distinct states (birthday bound: about 3e-8 expected)', () => {
    const c = collisions((i) => his[i] * 4294967296 + los[i] > Number.MAX_SAFE_INTEGER ? `${his[i]}:${los[i]}` : his[i] * 4294967296 + los[i]);
    expect(c).toBe(0);
    expect(collisionProbability(N)).toBeLessThan(1e-7);
  });

  it('each 32-bit lane alone collides about as often as a uniform 32-bit hash (N^2/2^33 = 128 expected)', () => {
    // A poorly mixing lane on such structured input shows up as far more collisions.
    const hi = collisions((i) => his[i]);
    const lo = collisions((i) => los[i]);
    console.log(`32-bit lane collisions among ${N} states: hi ${hi}, lo ${lo} (expected about 128)`);
    for (const c of [hi, lo]) {
      expect(c).toBeGreaterThan(64);
      expect(c).toBeLessThan(256);
    }
  });

  it('reports the birthday bound 1 - exp(-n(n-1)/2^65)', () => {
    expect(collisionProbability(0)).toBe(0);
    expect(collisionProbability(2 ** 32)).toBeCloseTo(-Math.expm1(-0.5), 6);
  });
});
