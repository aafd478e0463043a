import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedFingerprintSet } from '../../explorer/parallel/index.js';

describe('the shared fingerprint table', () => {
  it('has() finds exactly the added pairs, pairs sharing a high or a low word with one of them not', () => {
    const set = new SharedFingerprintSet(SharedFingerprintSet.allocate(1 << 12));
    const added: [number, number][] = [];
    for (let i = 1; i <= 300; i++) added.push([i * 2654435761 >>> 0, (i * 40503) >>> 0 || 7]);
    for (const [hi, lo] of added) expect(set.addFingerprint(hi, lo)).toBe(true);
    for (const [hi, lo] of added) expect(set.addFingerprint(hi, lo)).toBe(false);
    expect(set.size).toBe(300);
    for (const [hi, lo] of added) expect(set.has(hi, lo)).toBe(true);
    const keys = new Set(added.map(([hi, lo]) => `${hi},${lo}`));
    for (const [hi, lo] of added.slice(0, 50)) {
      for (const [h2, l2] of [[hi, lo + 1], [hi + 1, lo], [hi ^ 0x80000000, lo], [hi, lo ^ 0x80000000]]) {
        if (!keys.has(`${h2 >>> 0},${l2 >>> 0}`)) expect(set.has(h2 >>> 0, l2 >>> 0)).toBe(false);
      }
    }
    expect(set.has(0xdeadbeef, 0xfeedface)).toBe(false);
  });

  it('every pair it holds comes back from fingerprints(), each once', () => {
    const set = new SharedFingerprintSet(SharedFingerprintSet.allocate(1 << 12));
    const want = new Set<string>();
    for (let i = 1; i <= 500; i++) { set.addFingerprint(i, 1000 - i); want.add(`${i},${1000 - i}`); }
    const fp = set.fingerprints();
    const got: string[] = [];
    for (let j = 0; j < fp.length; j += 2) got.push(`${fp[j]},${fp[j + 1]}`);
    expect(got.length).toBe(500);
    expect(new Set(got)).toEqual(want);
  });

  it('a table that fills up is an error saying so, not an endless probe', () => {
    const set = new SharedFingerprintSet(SharedFingerprintSet.allocate(1 << 12));
    expect(set.capacity).toBe(4096);
    expect(set.highWater).toBe(3072);
    for (let i = 1; i < 4096; i++) set.addFingerprint(i, i);
    expect(() => set.addFingerprint(5000, 5000)).toThrow(new RangeError('shared fingerprint table full (4096 slots)'));
  });

  it('the full check sums every lane: the insert that leaves one free slot is refused, though this lane made only 1,024 of them', () => {
    const handle = SharedFingerprintSet.allocate(1 << 12);
    const a = new SharedFingerprintSet(handle, 1), b = new SharedFingerprintSet(handle, 2);
    for (let i = 1; i <= 3071; i++) a.addFingerprint(i, i);
    for (let i = 3072; i <= 4094; i++) b.addFingerprint(i, i);
    expect(b.size).toBe(4094);
    expect(() => b.addFingerprint(4095, 4095)).toThrow(new RangeError('shared fingerprint table full (4096 slots)'));
  });

  it('lanes are 0..63 and tables at most 2^30 slots; the smallest table has 2^12', () => {
    const handle = SharedFingerprintSet.allocate(10);
    expect(new SharedFingerprintSet(handle).capacity).toBe(4096);
    expect(new SharedFingerprintSet(SharedFingerprintSet.allocate(4097)).capacity).toBe(8192);
    expect(() => new SharedFingerprintSet(handle, 64)).toThrow(new RangeError('shared fingerprint table: lane 64 outside 0..63'));
    expect(() => new SharedFingerprintSet(handle, -1)).toThrow(RangeError);
    expect(new SharedFingerprintSet(handle, 63).size).toBe(0);
    expect(() => SharedFingerprintSet.allocate(2 ** 30 + 1)).toThrow(new RangeError(`a shared fingerprint table cannot hold ${2 ** 30 + 1} slots`));
  });

  it('lanes count their own inserts; the size is their sum', () => {
    const handle = SharedFingerprintSet.allocate(1 << 12);
    const a = new SharedFingerprintSet(handle, 1), b = new SharedFingerprintSet(handle, 2);
    for (let i = 1; i <= 10; i++) a.addFingerprint(i, 1);
    for (let i = 1; i <= 15; i++) b.addFingerprint(i, 2);
    for (let i = 1; i <= 10; i++) expect(b.addFingerprint(i, 1)).toBe(false);
    expect(a.size).toBe(25);
    expect(new SharedFingerprintSet(handle).size).toBe(25);
  });

  it('the size counts a lane far above the others (lanes 0 and 40 only) and one that attached to a grown table later, from any lane\'s view', () => {
    const handle = SharedFingerprintSet.allocate(1 << 12);
    const low = new SharedFingerprintSet(handle, 0), high = new SharedFingerprintSet(handle, 40);
    for (let i = 1; i <= 7; i++) low.addFingerprint(i, 3);
    for (let i = 1; i <= 9; i++) high.addFingerprint(i, 4);
    expect([low.size, high.size]).toEqual([16, 16]);
    const grown = SharedFingerprintSet.allocate(1 << 13);
    low.attach(grown);
    low.addDeferred(low.rehashPart(handle, 0, 1));
    const late = new SharedFingerprintSet(handle, 50);
    late.attach(grown);
    late.addFingerprint(100, 5);
    expect([low.size, late.size, low.fingerprints().length / 2]).toEqual([17, 17, 17]);
  });

  it('pairs sharing their low word (one home slot) are all kept apart: 1000 high words, each added once and found', () => {
    const set = new SharedFingerprintSet(SharedFingerprintSet.allocate(1 << 12));
    const his = Array.from({ length: 1000 }, (_, i) => (i + 2) * 0x01000193);
    expect(his.filter((hi) => !set.addFingerprint(hi, 77))).toEqual([]);
    expect(his.filter((hi) => set.addFingerprint(hi, 77))).toEqual([]);
    expect(his.filter((hi) => !set.has(hi, 77))).toEqual([]);
    expect(set.has(1, 77)).toBe(false);
    expect(set.size).toBe(1000);
  });

  it('pairs sharing their high word are all kept apart: 1000 low words, each added once and found', () => {
    const set = new SharedFingerprintSet(SharedFingerprintSet.allocate(1 << 12));
    const los = Array.from({ length: 1000 }, (_, i) => (i + 2) * 4096 + 5); // one home slot, too
    expect(los.filter((lo) => !set.addFingerprint(0x7654321, lo))).toEqual([]);
    expect(los.filter((lo) => set.addFingerprint(0x7654321, lo))).toEqual([]);
    expect(los.filter((lo) => !set.has(0x7654321, lo))).toEqual([]);
    expect(set.has(0x7654321, 5)).toBe(false);
    expect(set.size).toBe(1000);
  });

  it('growing in 3 parts copies every pair exactly once into the larger table, wrapped probe runs included', () => {
    const from = SharedFingerprintSet.allocate(1 << 12);
    const old = new SharedFingerprintSet(from);
    const want = new Set<string>();
    const add = (hi: number, lo: number) => { old.addFingerprint(hi, lo); want.add(`${hi >>> 0},${lo >>> 0}`); };
    for (let i = 1; i <= 2000; i++) add((i * 2654435761) >>> 0, (i * 40503 + 11) >>> 0);
    for (let k = 0; k < 20; k++) add(k + 1, 4095 + 4096 * k); // a run from the last slot round to slot 0
    const to = SharedFingerprintSet.allocate(1 << 13);
    const left = [0, 1, 2].map((part) => new SharedFingerprintSet(to, part + 1).rehashPart(from, part, 3));
    const grown = new SharedFingerprintSet(to);
    for (const pairs of left) grown.addDeferred(pairs);
    expect(grown.capacity).toBe(8192);
    expect(grown.size).toBe(want.size);
    const fp = grown.fingerprints();
    const got = new Set<string>();
    for (let j = 0; j < fp.length; j += 2) got.add(`${fp[j]},${fp[j + 1]}`);
    expect(got).toEqual(want);
  });

  it('a part of a rehash writes only slots whose old home lies in its run of the old slots (so parts need no compare-and-swap), and the pairs it hands back are those whose probe run left its run', () => {
    const from = SharedFingerprintSet.allocate(1 << 12);
    const old = new SharedFingerprintSet(from);
    const pairs: [number, number][] = [];
    for (let i = 1; i <= 2500; i++) pairs.push([(i * 2654435761) >>> 0 || 1, (i * 40503 + 11) >>> 0 || 1]);
    // Eight pairs homed on slot 2047 here and on slot 2047 + 4096 in the grown table: the
    // part [0, 2048) keeps the first (if 2047 is free) and must hand the rest back.
    for (let k = 0; k < 8; k++) pairs.push([1000 + k, 2047 + 8192 * k]);
    for (const [hi, lo] of pairs) old.addFingerprint(hi, lo);
    const to = SharedFingerprintSet.allocate(1 << 13);
    const part0 = new SharedFingerprintSet(to, 1);
    const left = part0.rehashPart(from, 0, 2);
    const words = new Int32Array(to.table);
    const written: number[] = [];
    for (let slot = 0; slot < 8192; slot++) if (words[slot * 2] !== 0) written.push(slot);
    // Independent of the code: every written slot is in [0, 2048) or [4096, 6144).
    expect(written.filter((slot) => (slot & 4095) >= 2048)).toEqual([]);
    // Every pair is either stored by this part, handed back, or homed in the other half.
    const stored = new Set(written.map((slot) => `${words[slot * 2] >>> 0},${words[slot * 2 + 1] >>> 0}`));
    const handed = new Set<string>();
    for (let k = 0; k < left.length; k += 2) handed.add(`${left[k]},${left[k + 1]}`);
    expect(handed.size).toBeGreaterThan(0);
    // Only pairs whose run crossed the part's end come back: the eight crafted ones at most,
    // and the few random ones near slot 2047 (the rest the part stores itself).
    expect(handed.size).toBeLessThan(20);
    for (const [hi, lo] of pairs) {
      const key = `${hi},${lo}`;
      const mine = (lo & 4095) < 2048;
      expect([mine, stored.has(key) || handed.has(key), stored.has(key) && handed.has(key)]).toEqual([mine, mine, false]);
    }
    // The other part and the hand-back complete the table.
    const part1 = new SharedFingerprintSet(to, 2);
    const left1 = part1.rehashPart(from, 1, 2);
    part1.addDeferred(left);
    part1.addDeferred(left1);
    expect(part1.size).toBe(pairs.length);
    expect(pairs.filter(([hi, lo]) => !part1.has(hi, lo))).toEqual([]);
  });

  it('a rehash in one part copies a pair in the first slot once (the scan covers each old slot once, wrapping included)', () => {
    const from = SharedFingerprintSet.allocate(1 << 12);
    const old = new SharedFingerprintSet(from);
    old.addFingerprint(77, 4096); // home slot 0 of 4096
    old.addFingerprint(78, 4095); // the last slot
    old.addFingerprint(79, 4095 + 4096); // home slot 4095 as well: its run wraps past slot 0 to slot 1
    const to = SharedFingerprintSet.allocate(1 << 13);
    const grown = new SharedFingerprintSet(to);
    grown.addDeferred(grown.rehashPart(from, 0, 1));
    expect(grown.size).toBe(3);
    expect(grown.fingerprints().length).toBe(6);
    expect([grown.has(77, 4096), grown.has(78, 4095), grown.has(79, 4095 + 4096)]).toEqual([true, true, true]);
  });

  // Another thread between its two stores: the slot holds hi, its lo is not yet published.
  // A thread of its own (not the code under test) publishes lo after a while; until then an
  // add of the same hi must wait, then compare the whole pair.
  const publishLater = (table: SharedArrayBuffer, index: number, value: number) => new Worker(
    `const { workerData: d } = require('node:worker_threads');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
     Atomics.store(new Int32Array(d.table), d.index, d.value);`,
    { eval: true, workerData: { table, index, value } },
  );

  it('an add that meets its own hi with lo not yet published waits for lo: the same pair is not stored twice', async () => {
    const handle = SharedFingerprintSet.allocate(1 << 12);
    const set = new SharedFingerprintSet(handle, 1);
    const t = new Int32Array(handle.table);
    const hi = 0x1234567, lo = 77; // home slot 77
    t[2 * 77] = hi;
    const w = publishLater(handle.table, 2 * 77 + 1, lo);
    expect(set.addFingerprint(hi, lo)).toBe(false);
    await once(w, 'exit');
    expect(set.size).toBe(0);
    expect(Array.from(t.subarray(2 * 76, 2 * 79))).toEqual([0, 0, hi, lo, 0, 0]);
  });

  it('an add that meets its own hi with lo not yet published, and then another lo, probes on and stores its pair in the next slot', async () => {
    const handle = SharedFingerprintSet.allocate(1 << 12);
    const set = new SharedFingerprintSet(handle, 1);
    const t = new Int32Array(handle.table);
    const hi = 0x1234567, lo = 77, other = 4096 + 77; // one home slot, 77
    t[2 * 77] = hi;
    const w = publishLater(handle.table, 2 * 77 + 1, other);
    expect(set.addFingerprint(hi, lo)).toBe(true);
    await once(w, 'exit');
    expect(set.size).toBe(1);
    expect(Array.from(t.subarray(2 * 77, 2 * 80))).toEqual([hi, other, hi, lo, 0, 0]);
    expect(set.has(hi, lo)).toBe(true);
    expect(set.has(hi, other)).toBe(true);
    expect(set.addFingerprint(hi, lo)).toBe(false);
    expect(set.addFingerprint(hi, other)).toBe(false);
  });
});
