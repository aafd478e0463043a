import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, collisionProbability, fingerprint, fingerprintOut, ExactVisitedSet, FingerprintSet } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';

/**
 * The visited sets decide "new or not" for every state: a set that takes two states for one
 * silently prunes the state space (and any violation behind it). Hand-picked fingerprints
 * exercise what random ones almost never do: equal high words, equal home slots, probes that
 * wrap around the end of the table.
 */

/** The home slot FingerprintSet uses for (hi, lo) in a table of `capacity` slots (its hash, restated
 *  here only to pick colliding inputs; the assertions check set behaviour, not this formula). */
const home = (hi: number, lo: number, capacity: number) => ((lo ^ (hi >>> 7)) & (capacity - 1)) >>> 0;

describe('FingerprintSet', () => {
  it('fingerprints sharing their high word are all kept: 1000 of them, each found, none added twice', () => {
    const set = new FingerprintSet();
    const hi = 0xdeadbeef;
    const los = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(los.filter((lo) => !set.addFingerprint(hi, lo))).toEqual([]);
    expect(set.size).toBe(1000);
    expect(los.filter((lo) => !set.has(hi, lo))).toEqual([]);
    expect(los.filter((lo) => set.addFingerprint(hi, lo))).toEqual([]);
    expect(set.has(hi, 1001)).toBe(false);
    expect(set.size).toBe(1000);
  });

  it('fingerprints sharing their low word are all kept', () => {
    const set = new FingerprintSet();
    const his = Array.from({ length: 500 }, (_, i) => (i + 1) << 7);
    expect(his.filter((hi) => !set.addFingerprint(hi, 77))).toEqual([]);
    expect(his.filter((hi) => !set.has(hi, 77))).toEqual([]);
    expect(set.has(501 << 7, 77)).toBe(false);
    expect(set.size).toBe(500);
  });

  it('fingerprints with the same home slot and the same high word probe on and are kept apart', () => {
    // All hash to slot 0; (0x80, 1) and (0x80, 4097) also share their high word.
    const set = new FingerprintSet();
    const pairs: [number, number][] = [[0x80, 1], [0x100, 2], [0x80, 1 ^ 4096], [0x180, 3], [0x80 | 0x1000 << 7, 1 ^ 0x1000]];
    for (const [hi, lo] of pairs) expect(home(hi, lo, set.capacity)).toBe(0);
    for (const [hi, lo] of pairs) expect(set.addFingerprint(hi, lo)).toBe(true);
    for (const [hi, lo] of pairs) expect(set.has(hi, lo)).toBe(true);
    for (const [hi, lo] of pairs) expect(set.addFingerprint(hi, lo)).toBe(false);
    expect(set.has(0x80, 2)).toBe(false);
    expect(set.has(0x80, 1 ^ 8192)).toBe(false);
    expect(set.size).toBe(5);
  });

  it('a probe sequence that runs off the end of the table wraps to its start', () => {
    const set = new FingerprintSet();
    const last = set.capacity - 1;
    const pairs: [number, number][] = [[0, last], [0x80, last ^ 1], [0x100, last ^ 2]];
    for (const [hi, lo] of pairs) expect(home(hi, lo, set.capacity)).toBe(last);
    for (const [hi, lo] of pairs) expect(set.addFingerprint(hi, lo)).toBe(true);
    for (const [hi, lo] of pairs) expect(set.has(hi, lo)).toBe(true);
    for (const [hi, lo] of pairs) expect(set.addFingerprint(hi, lo)).toBe(false);
    // A fingerprint at home slot 0 now has to probe past the wrapped entries.
    expect(set.addFingerprint(0x200, 4)).toBe(true);
    expect(set.has(0x200, 4)).toBe(true);
    expect(set.size).toBe(4);
  });

  it('grows past 7/8 load (3584 of 4096 slots) and keeps every fingerprint, colliding ones included', () => {
    const set = new FingerprintSet();
    expect(set.capacity).toBe(4096);
    expect(set.bytes).toBe(4096 * 8);
    for (let i = 1; i <= 3584; i++) set.addFingerprint(7, i);
    expect(set.capacity).toBe(4096);
    set.addFingerprint(7, 3585);
    expect(set.capacity).toBe(8192);
    expect(set.bytes).toBe(8192 * 8);
    expect(Array.from({ length: 3585 }, (_, i) => i + 1).filter((i) => !set.has(7, i))).toEqual([]);
    expect(set.has(7, 3586)).toBe(false);
    // Entries that wrapped around the old table's end land where lookups find them after growing.
    const wrap = new FingerprintSet();
    const last = wrap.capacity - 1;
    const cluster = Array.from({ length: 300 }, (_, k) => k);
    for (const k of cluster) wrap.addFingerprint(k << 7, last ^ k); // all at home slot `last`
    for (let i = 1; wrap.size < 3585; i++) wrap.addFingerprint(0x40000000, i);
    expect(wrap.capacity).toBe(8192);
    expect(cluster.filter((k) => !wrap.has(k << 7, last ^ k))).toEqual([]);
    expect(Array.from({ length: 3285 }, (_, i) => i + 1).filter((i) => !wrap.has(0x40000000, i))).toEqual([]);
  });

  it('an initial capacity is rounded up to a power of two, never below 4096 slots', () => {
    expect(new FingerprintSet(5000).capacity).toBe(8192);
    expect(new FingerprintSet(8192).capacity).toBe(8192);
    expect(new FingerprintSet(10).capacity).toBe(4096);
    const big = new FingerprintSet(5000);
    for (let i = 1; i <= 7168; i++) big.addFingerprint(i, i);
    expect(big.capacity).toBe(8192);
    big.addFingerprint(0, 9999);
    expect(big.capacity).toBe(16384);
  });

  it('treats fingerprints as unsigned 32-bit lanes (negative numbers are the same fingerprint)', () => {
    const set = new FingerprintSet();
    expect(set.addFingerprint(-1, -2)).toBe(true);
    expect(set.addFingerprint(0xffffffff, 0xfffffffe)).toBe(false);
    expect(set.has(0xffffffff, 0xfffffffe)).toBe(true);
    expect(set.has(-1, -2)).toBe(true);
    expect(set.add(new Uint32Array(1), 0, -1, -2)).toBe(false);
    expect(set.size).toBe(1);
  });

  it('touch reads the home slot: the high word stored there, 0 when empty', () => {
    const set = new FingerprintSet();
    expect(set.touch(0x1234, 5)).toBe(0);
    set.addFingerprint(0x1234, 5);
    expect(set.touch(0x1234, 5)).toBe(0x1234);
  });
});

describe('ExactVisitedSet', () => {
  it('keys every word of a multi-word state: (1, 36) and (37, 0) are different states', () => {
    const set = new ExactVisitedSet(2);
    expect(set.add(Uint32Array.of(1, 36), 0)).toBe(true);
    expect(set.add(Uint32Array.of(37, 0), 0)).toBe(true);
    expect(set.add(Uint32Array.of(9, 1, 36), 1)).toBe(false);
    expect(set.size).toBe(2);
  });

  it('reads the state at its offset, all of its words', () => {
    const set = new ExactVisitedSet(3);
    const words = Uint32Array.of(5, 1, 2, 3, 1, 2, 4);
    expect(set.add(words, 1)).toBe(true);
    expect(set.add(words, 4)).toBe(true); // (1, 2, 4) differs from (1, 2, 3) in its last word
    expect(set.add(Uint32Array.of(1, 2, 3), 0)).toBe(false);
    expect(set.size).toBe(2);
    expect(set.lossy).toBe(false);
  });

  it('estimates its memory as 2 bytes per key character plus 40 per key', () => {
    const set = new ExactVisitedSet(2);
    set.add(Uint32Array.of(1, 36), 0); // key "1,10," : 5 characters
    expect(set.bytes).toBe(10 + 40);
    set.add(Uint32Array.of(1, 36), 0);
    expect(set.bytes).toBe(10 + 40);
  });
});

describe('fingerprints of packed states', () => {
  it('distinct multi-word states get distinct fingerprints, and each 32-bit lane alone is almost collision-free (2^14 states)', () => {
    // 2^14 states shaped like packed model states: small counters in the low bits of 3 words.
    // A lossy mix (a lane that ignores a word, or a constant lane) collides thousands of times.
    const n = 1 << 14;
    const w = new Uint32Array(3);
    const both = new Set<string>();
    const his = new Set<number>();
    const los = new Set<number>();
    for (let i = 0; i < n; i++) {
      w[0] = i & 31; w[1] = (i >>> 5) & 31; w[2] = i >>> 10;
      fingerprint(w, 0, 3);
      both.add(`${fingerprintOut[0]}:${fingerprintOut[1]}`);
      his.add(fingerprintOut[0]);
      los.add(fingerprintOut[1]);
    }
    expect(both.size).toBe(n);
    // A uniform 32-bit lane has n^2/2^33 = 0.03 expected collisions here.
    expect(his.size).toBeGreaterThanOrEqual(n - 2);
    expect(los.size).toBeGreaterThanOrEqual(n - 2);
  });

  it('reads exactly the words it is given: from the offset, count of them', () => {
    const fp = (words: number[], offset: number, count: number) => {
      fingerprint(Uint32Array.from(words), offset, count);
      return `${fingerprintOut[0]}:${fingerprintOut[1]}`;
    };
    expect(fp([9, 1, 2, 9], 1, 2)).toBe(fp([1, 2], 0, 2));
    expect(fp([7, 1, 2, 8], 1, 2)).toBe(fp([1, 2], 0, 2));
    expect(fp([1, 2], 0, 2)).not.toBe(fp([1, 3], 0, 2));
    expect(fp([1, 2], 0, 2)).not.toBe(fp([2, 1], 0, 2));
    expect(fp([0, 0], 0, 1)).not.toBe(fp([0, 0], 0, 2));
    expect(fp([0], 0, 0)).not.toBe('0:0');
  });

  it('gives the birthday bound 1 - exp(-n(n-1)/2^65) as the collision probability', () => {
    expect(collisionProbability(0)).toBe(0);
    expect(collisionProbability(1)).toBe(0);
    expect(collisionProbability(2)).toBeCloseTo(2 / 2 ** 65, 30);
    expect(collisionProbability(2 ** 32)).toBeCloseTo(1 - Math.exp(-0.5), 6);
    expect(collisionProbability(2 ** 40)).toBe(1);
  });

  it('a run reports the bound for the fingerprint set and 0 for the exact set', () => {
    const r = check(counters(2, 3));
    expect(r.stats.collisionProbability).toBeCloseTo((16 * 15) / 2 ** 65, 30);
    expect(r.stats.collisionProbability).toBeGreaterThan(0);
    expect(check(counters(2, 3), { visitedSet: exactSetFactory }).stats.collisionProbability).toBe(0);
  });
});

describe('fingerprints with a zero lane', () => {
  it('(x, 0) and (0, x) are ordinary fingerprints: added once, found, and absent until added (only (0, 0) marks an empty slot)', () => {
    const set = new FingerprintSet();
    expect(set.has(5, 0)).toBe(false);
    expect(set.has(0, 5)).toBe(false);
    expect(set.addFingerprint(5, 0)).toBe(true);
    expect(set.addFingerprint(0, 5)).toBe(true);
    expect(set.addFingerprint(5, 0)).toBe(false);
    expect(set.addFingerprint(0, 5)).toBe(false);
    expect(set.has(5, 0)).toBe(true);
    expect(set.has(0, 5)).toBe(true);
    expect(set.has(6, 0)).toBe(false);
    expect(set.has(0, 6)).toBe(false);
    expect(set.size).toBe(2);
  });
});
