import type { VisitedSet } from '../visited-set.js';

/** Index of the stored-fingerprint count in the control words. */
const COUNT = 0;
const CONTROL_WORDS = 1;

/** What a worker needs to attach to the same table: both buffers are shared, not copied. */
export interface SharedTableHandle {
  readonly table: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

/**
 * The fingerprint table of a parallel search: the same open-addressing, linear-probing layout
 * as `FingerprintSet` (hi, lo interleaved, power-of-two capacity), in a SharedArrayBuffer that
 * every worker attaches to, with insertion by atomic compare-and-swap:
 *
 * - a slot is claimed by `Atomics.compareExchange(hi word, 0 -> hi)`; the winner then stores
 *   lo. A reader that finds hi but still lo = 0 spins until lo is published (the writer is
 *   between two instructions), then compares. So two workers adding the same state never
 *   both see it as new, and a state is never lost.
 * - hi and lo are stored with 0 replaced by 1 (0 marks "empty" / "not yet published"); this
 *   merges fingerprints that differ only there, a 2^-31 fraction of pairs already 64-bit equal
 *   elsewhere, which the birthday bound covers.
 *
 * It does not grow by itself: growing while other workers insert would need a lock on every
 * add. The parallel search grows it between rounds, when no worker runs (`rehashInto`), and
 * workers stop claiming work once `size` passes `highWater` (half the slots), so a round can
 * never fill it.
 */
export class SharedFingerprintSet implements VisitedSet {
  readonly lossy = true;
  private table: Int32Array;
  private control: Int32Array;
  private mask: number;

  constructor(handle: SharedTableHandle) {
    this.table = new Int32Array(handle.table);
    this.control = new Int32Array(handle.control);
    this.mask = this.table.length / 2 - 1;
  }

  /** A new empty table of at least `slots` slots (a power of two, at least 2^12). */
  static allocate(slots: number): SharedTableHandle {
    let cap = 1 << 12;
    while (cap < slots) cap *= 2;
    if (cap > 2 ** 30) throw new RangeError(`a shared fingerprint table cannot hold ${slots} slots`);
    return { table: new SharedArrayBuffer(cap * 8), control: new SharedArrayBuffer(CONTROL_WORDS * 4) };
  }

  /** Re-attaches to a grown table (between rounds). */
  attach(handle: SharedTableHandle): void {
    this.table = new Int32Array(handle.table);
    this.control = new Int32Array(handle.control);
    this.mask = this.table.length / 2 - 1;
  }

  get size(): number {
    return Atomics.load(this.control, COUNT);
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Past this many stored fingerprints, no new work should start before the table grows. */
  get highWater(): number {
    return (this.mask + 1) >>> 1;
  }

  add(_words: Uint32Array, _offset: number, hi: number, lo: number): boolean {
    return this.addFingerprint(hi, lo);
  }

  /** Adds (hi, lo); true when this call stored it (no other add of it returned true). */
  addFingerprint(hi: number, lo: number): boolean {
    const t = this.table;
    const mask = this.mask;
    const h = hi | 0 || 1;
    const l = lo | 0 || 1;
    let i = ((l >>> 0) ^ (h >>> 7)) & mask;
    for (;;) {
      const j = i << 1;
      let cur = Atomics.load(t, j);
      if (cur === 0) {
        cur = Atomics.compareExchange(t, j, 0, h);
        if (cur === 0) {
          Atomics.store(t, j + 1, l);
          const n = Atomics.add(this.control, COUNT, 1) + 1;
          if (n >= mask) throw new RangeError(`shared fingerprint table full (${mask + 1} slots)`);
          return true;
        }
      }
      if (cur === h) {
        let cl = Atomics.load(t, j + 1);
        while (cl === 0) cl = Atomics.load(t, j + 1);
        if (cl === l) return false;
      }
      i = (i + 1) & mask;
    }
  }

  touch(hi: number, lo: number): number {
    return this.table[((((lo | 0 || 1) >>> 0) ^ ((hi | 0 || 1) >>> 7)) & this.mask) << 1];
  }

  has(hi: number, lo: number): boolean {
    const t = this.table;
    const h = hi | 0 || 1;
    const l = lo | 0 || 1;
    let i = ((l >>> 0) ^ (h >>> 7)) & this.mask;
    for (;;) {
      const j = i << 1;
      const cur = Atomics.load(t, j);
      if (cur === 0) return false;
      if (cur === h && Atomics.load(t, j + 1) === l) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** A table of at least `slots` slots holding every fingerprint of this one. Only while no
   *  worker adds. */
  rehashInto(slots: number): SharedTableHandle {
    const handle = SharedFingerprintSet.allocate(slots);
    const grown = new SharedFingerprintSet(handle);
    const t = this.table;
    for (let j = 0; j < t.length; j += 2) {
      if (t[j] !== 0) grown.insertStored(t[j], t[j + 1]);
    }
    return handle;
  }

  /** Every stored fingerprint as (hi, lo) pairs, in table order (for fingerprint files). */
  fingerprints(): Uint32Array {
    const out = new Uint32Array(this.size * 2);
    const t = this.table;
    let k = 0;
    for (let j = 0; j < t.length; j += 2) {
      if (t[j] === 0) continue;
      out[k++] = t[j];
      out[k++] = t[j + 1];
    }
    return out;
  }

  /** Stores an already normalised pair (single-threaded rehash). */
  private insertStored(h: number, l: number): void {
    const t = this.table;
    let i = ((l >>> 0) ^ (h >>> 7)) & this.mask;
    while (t[i << 1] !== 0) i = (i + 1) & this.mask;
    t[i << 1] = h;
    t[(i << 1) + 1] = l;
    this.control[COUNT]++;
  }
}
