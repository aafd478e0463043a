import type { VisitedSet } from '../visited-set.js';
import { tableFull } from '../table-full.js';

/** Each lane (the driver, each worker) counts what it stored in its own control word, 64
 *  bytes from the next: one shared counter bumped by every insert would bounce its cache line
 *  between the cores on every new state. The size is the sum of the lanes. */
const LANE_STRIDE = 16;
export const MAX_LANES = 64;
const CONTROL_WORDS = LANE_STRIDE * MAX_LANES;
/** 1 + the highest lane attached so far, on a cache line of its own after the lanes' counters
 *  (written once per lane and table, read by every `size`): `size` sums only the lanes in use,
 *  a few words instead of 64 (the search reads it before every chunk it claims). */
const LANES_IN_USE = CONTROL_WORDS;
/** How often (inserts of one lane) the table-full check sums the lanes. */
const FULL_CHECK = 1024;

/** Raises the table's lanes in use to cover `lane` (an atomic maximum): before the lane's
 *  first insert, so `size` never misses a lane's count. */
function useLane(control: Int32Array, lane: number): void {
  let cur = Atomics.load(control, LANES_IN_USE);
  while (cur <= lane) {
    const prev = Atomics.compareExchange(control, LANES_IN_USE, cur, lane + 1);
    if (prev === cur) return;
    cur = prev;
  }
}

/** What a worker needs to attach to the same table: both buffers are shared, not copied. */
export interface SharedTableHandle {
  readonly table: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

/**
 * The fingerprint table of a parallel search: open addressing with linear probing as in
 * `FingerprintSet` (hi, lo interleaved, power-of-two capacity; the home slot is given by the
 * low bits of lo, a fully mixed hash lane), in a SharedArrayBuffer that every worker attaches
 * to, with insertion by atomic compare-and-swap:
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
 * add. The parallel search grows it between rounds, when no worker runs (`rehashPart`, then
 * `addDeferred`), and
 * workers stop claiming work once `size` passes `highWater` (3/4 of the slots), so a round
 * can never fill it.
 */
export class SharedFingerprintSet implements VisitedSet {
  readonly lossy = true;
  private table: Int32Array;
  private control: Int32Array;
  private mask: number;
  private readonly lane: number;

  /** `lane`: this thread's own counter (0: the driver, 1…: the workers). */
  constructor(handle: SharedTableHandle, lane = 0) {
    if (!(lane >= 0 && lane < MAX_LANES)) throw new RangeError(`shared fingerprint table: lane ${lane} outside 0..${MAX_LANES - 1}`);
    this.table = new Int32Array(handle.table);
    this.control = new Int32Array(handle.control);
    this.mask = this.table.length / 2 - 1;
    this.lane = lane * LANE_STRIDE;
    useLane(this.control, lane);
  }

  /** A new empty table of at least `slots` slots (a power of two, at least 2^12). */
  static allocate(slots: number): SharedTableHandle {
    let cap = 1 << 12;
    while (cap < slots) cap *= 2;
    // Stryker disable next-line EqualityOperator: `>=` refuses a table of exactly 2^30 slots, 8 GiB, which no test can allocate
    if (cap > 2 ** 30) throw new RangeError(`a shared fingerprint table cannot hold ${slots} slots`);
    return { table: new SharedArrayBuffer(cap * 8), control: new SharedArrayBuffer((CONTROL_WORDS + LANE_STRIDE) * 4) };
  }

  /** Re-attaches to a grown table (between rounds). */
  attach(handle: SharedTableHandle): void {
    this.table = new Int32Array(handle.table);
    this.control = new Int32Array(handle.control);
    this.mask = this.table.length / 2 - 1;
    useLane(this.control, this.lane / LANE_STRIDE);
  }

  get size(): number {
    const c = this.control;
    const end = Atomics.load(c, LANES_IN_USE) * LANE_STRIDE;
    let n = 0;
    for (let i = 0; i < end; i += LANE_STRIDE) n += Atomics.load(c, i);
    return n;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Past this many stored fingerprints (3/4 of the slots), no new work should start before
   *  the table grows. The quarter left is room for the chunks already claimed: a chunk of 64
   *  states adds at most 64 x (enabled actions) states, far below a quarter of 2^12 slots for
   *  any model with fewer than a dozen actions per state, and the tables that matter are much
   *  larger. */
  get highWater(): number {
    return ((this.mask + 1) * 3) >>> 2;
  }

  /** Small enough to be inlined at the caller, where the `| 0` turns the uint32 halves into
   *  int32s, which pass to `addFingerprint` without boxing: the compiler has no room left to
   *  inline that one too into the search's successor loop, and a uint32 argument past 2^31
   *  would be a heap number, an allocation per transition. */
  add(_words: Uint32Array, _offset: number, hi: number, lo: number): boolean {
    return this.addFingerprint(hi | 0, lo | 0);
  }

  /** Adds (hi, lo); true when this call stored it (no other add of it returned true).
   *  The common case, a state already stored, is a few plain reads; claiming a slot is
   *  `claim`. */
  addFingerprint(hi: number, lo: number): boolean {
    const t = this.table;
    const mask = this.mask;
    const h = hi | 0 || 1;
    const l = lo | 0 || 1;
    let i = l & mask;
    // Stryker disable next-line all: one lap at most (see tableFull)
    for (let lap = mask; lap >= 0; lap--) {
      const cur = t[i << 1];
      // Stryker disable next-line ConditionalExpression: claim() also finds a stored pair (by a compare-and-swap a slot instead of plain reads): the same answer
      if (cur === 0) return this.claim(i, h, l);
      if (cur === h) {
        const cl = t[(i << 1) + 1];
        if (cl === l) return false;
        // Stryker disable next-line ConditionalExpression: as above: claim() probes on from this slot just as this loop does
        if (cl === 0) return this.claim(i, h, l);
      }
      i = (i + 1) & mask;
    }
    // Stryker disable next-line all: see tableFull
    return tableFull('shared fingerprint table', mask + 1);
  }

  /** Goes on probing from slot `i` (empty when read, or holding `h` with lo not yet published)
   *  and stores (h, l) unless found. Only here are slots read by compare-and-swap, one per
   *  slot tried: it starts at a slot seen empty or half-written, and goes past one only after
   *  losing a race for it or finding another lo under the same hi, both rare, so the probing
   *  in `addFingerprint` stays plain reads. The store of lo is plain too (an int32 access
   *  cannot tear); a reader that sees hi before lo waits for lo with an atomic load, which the
   *  compiler may not hoist out of the loop. */
  private claim(i: number, h: number, l: number): boolean {
    const t = this.table;
    const mask = this.mask;
    // Stryker disable next-line all: one lap at most (see tableFull)
    for (let lap = mask; lap >= 0; lap--) {
      const j = i << 1;
      const cur = Atomics.compareExchange(t, j, 0, h);
      if (cur === 0) {
        t[j + 1] = l;
        const mine = this.control[this.lane] + 1;
        this.control[this.lane] = mine;
        if ((mine & (FULL_CHECK - 1)) === 0 && this.size >= mask) throw new RangeError(`shared fingerprint table full (${mask + 1} slots)`);
        return true;
      }
      if (cur === h) {
        let cl = t[j + 1];
        while (cl === 0) cl = Atomics.load(t, j + 1);
        if (cl === l) return false;
      }
      i = (i + 1) & mask;
    }
    // Stryker disable next-line all: see tableFull
    return tableFull('shared fingerprint table', mask + 1);
  }

  /** Reads the home slot of (hi, lo) so its cache miss overlaps others. Kept tiny, so that it
   *  is always inlined (a call would box uint32 arguments past 2^31: an allocation per
   *  transition), hence the home slot without the 0 -> 1 mapping of stored halves (a rare
   *  lo of 0 just gets a useless read); and one bit returned, since the caller sums what it
   *  gets, and a sum of int32 words outgrows small integers, which changes the caller's field
   *  representation and discards every function compiled with it. */
  // Stryker disable all: a prefetch: the search only sums what it returns, which no result reads
  touch(_hi: number, lo: number): number {
    return 1 & this.table[(lo & this.mask) << 1];
  }
  // Stryker restore all

  has(hi: number, lo: number): boolean {
    const t = this.table;
    const h = hi | 0 || 1;
    const l = lo | 0 || 1;
    let i = l & this.mask;
    // Stryker disable next-line all: one lap at most (see tableFull)
    for (let lap = this.mask; lap >= 0; lap--) {
      const j = i << 1;
      const cur = Atomics.load(t, j);
      if (cur === 0) return false;
      if (cur === h && Atomics.load(t, j + 1) === l) return true;
      i = (i + 1) & this.mask;
    }
    // Stryker disable next-line all: see tableFull
    return tableFull('shared fingerprint table', this.mask + 1);
  }

  /** Copies into this table (a grown one, a power of two times as large) the pairs of `from`
   *  whose home slot there lies in part `part` of `parts` (equal runs of the old slots), with
   *  plain stores. A pair's home here is its old home plus a multiple of the old size, so the
   *  part's pairs land in the same run of slots in each copy of the old range: the parts write
   *  disjoint slots, and the workers rehash at once without a compare-and-swap per pair (each a
   *  call into the runtime, not inlined). Reading the old run in order writes each copy almost
   *  in order. A pair whose probe run leaves its copy's run is not stored but returned: the
   *  caller adds those (a handful per part boundary) with `addDeferred` once every part is
   *  done. Only while nobody adds to either table.
   *
   *  The part's slots are zeroed first. A fresh SharedArrayBuffer is untouched memory: a read
   *  maps the kernel's shared zero page and the first write then replaces it, which in a
   *  process whose threads run on several cores flushes the page from every core's TLB (an
   *  inter-processor interrupt, a VM exit under a hypervisor). Measured on the counters bench
   *  with 2 workers, those flushes were 15% of the search's CPU; writing each page first
   *  faults it in once, with no flush. */
  rehashPart(from: SharedTableHandle, part: number, parts: number): Uint32Array {
    const old = new Int32Array(from.table);
    const oldSlots = old.length / 2;
    const oldMask = oldSlots - 1;
    const t = this.table;
    const mask = this.mask;
    const a = Math.floor((oldSlots * part) / parts);
    const b = Math.floor((oldSlots * (part + 1)) / parts);
    // Stryker disable next-line all: it writes zeros over zeros (a fresh table): only its page faults matter, which no test can see
    for (let base = 0; base <= mask; base += oldSlots) t.fill(0, (base + a) * 2, (base + b) * 2);
    const deferred: number[] = [];
    let stored = 0;
    // The pairs homed in [a, b) lie there or in the probe run going on past b (wrapping).
    for (let k = a; k < a + oldSlots; k++) {
      const j = (k & oldMask) << 1;
      const h = old[j];
      if (h === 0) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: scanning on past the end of the run only meets pairs homed elsewhere, which are skipped
        if (k >= b) break;
        continue;
      }
      const l = old[j + 1];
      const home = l & oldMask;
      // Stryker disable next-line ConditionalExpression: a pair spilled in from the part before (homed below a), or a wrapped one past b: that part copies it
      if (home < a || home >= b) continue;
      let i = l & mask;
      const end = i - home + b;
      while (i < end && t[i << 1] !== 0) i++;
      if (i === end) {
        deferred.push(h, l);
        continue;
      }
      t[i << 1] = h;
      t[(i << 1) + 1] = l;
      stored++;
    }
    this.control[this.lane] += stored;
    return Uint32Array.from(deferred);
  }

  /** Adds the pairs `rehashPart` returned (after every part is done). */
  addDeferred(pairs: Uint32Array): void {
    for (let k = 0; k < pairs.length; k += 2) this.addFingerprint(pairs[k], pairs[k + 1]);
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
}
