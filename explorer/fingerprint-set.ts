import type { VisitedSet } from './visited-set.js';
import { tableFull } from './table-full.js';

const INITIAL_CAPACITY = 1 << 12;
/** Grow at 7/8 load, so that even just after doubling the table holds a state per 2.3 slots
 *  (18.3 bytes). Lookups of known states, most of all lookups, stay short (4.5 probes on
 *  average at the highest load, 16 consecutive slots per cache line pair); misses get long only
 *  in the last stretch before a growth. */
const MAX_LOAD_NUM = 7;
const MAX_LOAD_DEN = 8;

/**
 * Open-addressing set of 64-bit fingerprints in one Uint32Array (hi, lo interleaved), linear
 * probing, power-of-two capacity. It stores nothing but fingerprints: 8 bytes per slot.
 * (0, 0) marks an empty slot; `fingerprint()` never produces it.
 */
export class FingerprintSet implements VisitedSet {
  readonly lossy = true;
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    let cap = INITIAL_CAPACITY;
    while (cap < initialCapacity) cap *= 2;
    this.table = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = (cap * MAX_LOAD_NUM) / MAX_LOAD_DEN;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** `| 0`: int32 arguments (addFingerprint takes them as uint32 again), never heap numbers,
   *  where the compiler inlines this but not addFingerprint into the successor loop: a uint32
   *  past 2^31 passed to a call is an allocation, about one per transition. */
  add(_words: Uint32Array, _offset: number, hi: number, lo: number): boolean {
    return this.addFingerprint(hi | 0, lo | 0);
  }

  /** Adds the fingerprint (hi, lo); true when it was absent. */
  addFingerprint(hi: number, lo: number): boolean {
    const t = this.table;
    hi >>>= 0;
    lo >>>= 0;
    const j = this.slot(hi, lo);
    if (t[j] === hi && t[j + 1] === lo) return false;
    t[j] = hi;
    t[j + 1] = lo;
    if (++this.count > this.limit) this.grow();
    return true;
  }

  /** Linear probing: the word index of (hi, lo) in the table, or of the empty slot that ends
   *  its probe sequence. (0, 0) marks an empty slot. The probe stops after one lap: growth keeps
   *  the load at 7/8 or less, so a table with no empty slot is a broken table, and a search
   *  that fails on it beats one that hangs. */
  private slot(hi: number, lo: number): number {
    const t = this.table;
    const mask = this.mask;
    let i = (lo ^ (hi >>> 7)) & mask;
    // Stryker disable next-line EqualityOperator,UpdateOperator,ConditionalExpression: the lap bound is never reached by a table that grows (see tableFull)
    for (let lap = mask; lap >= 0; lap--) {
      const j = i << 1;
      const h = t[j];
      const l = t[j + 1];
      if ((h === hi && l === lo) || (h | l) === 0) return j;
      i = (i + 1) & mask;
    }
    // Stryker disable next-line all: see the lap bound
    return tableFull('fingerprint table', mask + 1);
  }

  // Stryker disable all: a prefetch: the search only sums what it returns, which no result reads
  touch(hi: number, lo: number): number {
    return this.table[((lo ^ (hi >>> 7)) & this.mask) << 1];
  }
  // Stryker restore all

  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    const j = this.slot(hi, lo);
    return this.table[j] === hi && this.table[j + 1] === lo;
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    // Stryker disable next-line all: reaching this bound takes an 8 GiB table
    if (cap > 2 ** 30) throw new RangeError(`fingerprint table cannot grow beyond ${cap / 2} slots`);
    const t = new Uint32Array(cap * 2);
    const mask = cap - 1;
    // Stryker disable next-line EqualityOperator: `<=` also reads one past the end: undefined, skipped as an empty slot; `>=` fails every test
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j];
      const lo = old[j + 1];
      // Stryker disable next-line ConditionalExpression: re-inserting an empty (0, 0) slot writes (0, 0) into an empty slot: a no-op
      if ((hi | lo) === 0) continue;
      let i = (lo ^ (hi >>> 7)) & mask;
      let lap = mask;
      while ((t[i << 1] | t[(i << 1) + 1]) !== 0) {
        // Stryker disable next-line all: the new table has twice the old one's slots: an empty one comes within a lap
        if (--lap < 0) tableFull('fingerprint table', cap);
        i = (i + 1) & mask;
      }
      t[i << 1] = hi;
      t[(i << 1) + 1] = lo;
    }
    this.table = t;
    this.mask = mask;
    this.limit = (cap * MAX_LOAD_NUM) / MAX_LOAD_DEN;
  }
}


export const fingerprintSetFactory = (): VisitedSet => new FingerprintSet();
