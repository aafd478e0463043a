import type { TransitionSystem } from '../system.js';
import type { Finding } from '../search.js';
import { Search } from '../search.js';
import { resolveOptions } from '../options.js';
import { SharedFingerprintSet, type SharedTableHandle } from './shared-fingerprint-set.js';
import { absoluteNow } from './level-timing.js';

/** States per claim: small enough that a table past its high-water mark stops filling soon,
 *  large enough that the shared claim counter is not contended. */
export const CHUNK = 64;

/** Words of the level control block (a shared Int32Array), each on a cache line of its own
 *  (16 words, 64 bytes apart): CLAIM is bumped by every chunk any worker claims, while FOUND is
 *  read before every state is expanded and STOP before every claim. On one line, each claim by
 *  one core took the line from the other, whose next read of FOUND then missed its cache. */
const LINE_WORDS = 16;
export const CLAIM = 0;
/** 1 + the lowest id at which a finding was made on this level (0: none yet). States above it
 *  are no longer expanded, only checked for quiescence (a deadlock on this level beats a bad
 *  successor, whose trace is one step longer); states below it still are, since one of them
 *  may hold the finding the single-threaded search would meet first. */
export const FOUND = LINE_WORDS;
/** Set when a bound (states, time) stopped the run: nobody claims more work. */
export const STOP = 2 * LINE_WORDS;
export const STOP_STATES = 1;
export const STOP_TIME = 2;
/** Claim counters: one per group of the level's chunks (see `chunkGroups`), group 0's at
 *  CLAIM, the others after STOP, a cache line each. */
export const MAX_GROUPS = 66;
export function claimWord(group: number): number {
  return group === 0 ? CLAIM : (2 + group) * LINE_WORDS;
}
export const LEVEL_CONTROL_WORDS = (2 + MAX_GROUPS) * LINE_WORDS;

/**
 * The level's chunks in groups, one per worker that wrote frontier segments (in the order the
 * writers first appear among the segments; segments nobody wrote, the driver's, form a group
 * of their own). Returns the group bounds: group g holds chunks `[bounds[g], bounds[g + 1])`,
 * which are the chunks of that writer's segments in segment order. Every worker claims from
 * its own group first (the states it wrote last level, still in its core's caches, and whose
 * successors it is the likeliest to have stored itself) and then from the others'; each group
 * has its own claim counter, so a worker that runs out takes chunks from another's.
 */
export function chunkGroups(segments: readonly Segment[]): { readonly bounds: Int32Array; readonly owners: readonly number[]; readonly segs: Int32Array; readonly starts: Int32Array } {
  const owners: number[] = [];
  for (const s of segments) {
    const o = s.owner ?? -1;
    if (!owners.includes(o)) owners.push(o);
  }
  if (owners.length > MAX_GROUPS) throw new RangeError(`parallel search: ${owners.length} frontier writers, at most ${MAX_GROUPS}`);
  let chunks = 0;
  for (const s of segments) chunks += Math.ceil(s.count / CHUNK);
  const segs = new Int32Array(chunks);
  const starts = new Int32Array(chunks);
  const bounds = new Int32Array(owners.length + 1);
  let c = 0;
  owners.forEach((o, g) => {
    bounds[g] = c;
    segments.forEach((s, k) => {
      if ((s.owner ?? -1) !== o) return;
      for (let j = 0; j < s.count; j += CHUNK) {
        segs[c] = k;
        starts[c++] = j;
      }
    });
  });
  bounds[owners.length] = c;
  return { bounds, owners, segs, starts };
}

/** Whether every chunk of the level was claimed (each group's counter past its size). */
export function allClaimed(control: Int32Array, bounds: Int32Array): boolean {
  for (let g = 0; g + 1 < bounds.length; g++) {
    if (Atomics.load(control, claimWord(g)) < bounds[g + 1] - bounds[g]) return false;
  }
  return true;
}

/** A run of frontier states: packed words in a shared buffer; state j has id `ids[j]`, or
 *  `base + j` without `ids`. */
export interface Segment {
  readonly words: SharedArrayBuffer;
  /** Lane of the worker that wrote `words` and its number for the buffer (-1: nobody's), so
   *  the worker can reuse the buffer once the level it was a frontier of is done. */
  readonly owner?: number;
  readonly bufferId?: number;
  readonly count: number;
  readonly base: number;
  readonly ids?: Uint32Array;
}

/** A worker's part of growing the table: how long it took, and the (hi, lo) pairs whose probe
 *  runs left its part of the slots, for the driver to add. */
export interface Rehashed {
  readonly ms: number;
  readonly deferred: Uint32Array;
}

/** Engine options a worker needs, as plain data. */
export interface WorkerOptions {
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly checkDeadlock: boolean;
  readonly symmetry: boolean;
  /** Wall-clock deadline (ms since the epoch, comparable across threads) or Infinity. */
  readonly deadline: number;
}

export interface LevelTask {
  readonly depth: number;
  readonly segments: readonly Segment[];
}

/** The first finding of one kind a worker made on a level (the lowest id it saw: it claims
 *  chunks in increasing id order). */
export interface FoundAt {
  readonly id: number;
  /** For a bad successor: the index of the action among the enabled ones of `id`. */
  readonly actionIndex: number;
  readonly finding: Finding;
}

/** What one round of a worker produced: the new states it was first to add, each with the
 *  id it was reached from and the action index. */
export interface RoundOutput {
  readonly words: SharedArrayBuffer;
  readonly owner: number;
  readonly bufferId: number;
  readonly parents: Uint32Array<ArrayBuffer>;
  readonly actions: Uint16Array<ArrayBuffer>;
  readonly count: number;
  readonly claimed: number;
  /** Stopped because the table passed its high-water mark (it must grow before going on). */
  readonly paused: boolean;
  readonly transitions: number;
  readonly coverage: Float64Array<ArrayBuffer>;
  /** A state on this level had successors that the depth bound kept from being explored. */
  readonly truncated: boolean;
  readonly quiescent: FoundAt | null;
  readonly successor: FoundAt | null;
  /** When the round started (ms since the epoch, `absoluteNow`) and how many milliseconds it
   *  took (the bench's account of where a thread's time goes). */
  readonly startedAt: number;
  readonly busyMs: number;
  /** A worker thread's CPU time so far (thread-cpu.ts), set by the thread for the timing
   *  account; absent for a worker in the caller's thread. */
  readonly threadCpuMs?: number | null;
}

/** The finding the single-threaded search would report for a level, from the outputs of all
 *  rounds of all workers (in any order: threads return them as they finish): a state of the
 *  level that is a finding itself (a deadlock, trace length d) beats a bad successor (d + 1),
 *  and among findings of one kind the lowest id, the one that search meets first. */
export function levelFinding(outs: readonly RoundOutput[]): FoundAt | null {
  let quiescent: FoundAt | null = null;
  let successor: FoundAt | null = null;
  for (const o of outs) {
    // Stryker disable next-line EqualityOperator: no two findings share an id (each state is expanded by one worker, once); `>=` fails the tests
    if (o.quiescent !== null && (quiescent === null || o.quiescent.id < quiescent.id)) quiescent = o.quiescent;
    // Stryker disable next-line EqualityOperator: as above
    if (o.successor !== null && (successor === null || o.successor.id < successor.id)) successor = o.successor;
  }
  return quiescent ?? successor;
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * One worker's share of a level-synchronous breadth-first search. The workers of a level claim
 * chunks of the frontier, each from the group of chunks it wrote itself the level before, then
 * from the others' (a fast worker simply claims more: see `chunkGroups`), expand them with their own `Search` (own buffers, the shared fingerprint
 * table as visited set) and keep the states they were first to add. The driver turns the
 * outputs into the next level. Runs in a worker thread or, for one worker or tests, in the
 * caller's thread.
 */
export class LevelExpander {
  readonly search: Search;
  private readonly table: SharedFingerprintSet;
  private readonly control: Int32Array;
  private task: LevelTask | null = null;
  private chunkSeg: Int32Array = new Int32Array(0);
  private chunkStart: Int32Array = new Int32Array(0);
  private bounds: Int32Array = new Int32Array(1);
  /** The group this worker claims from first: its own output's, else one by its lane. */
  private ownGroup = 0;
  // Stryker disable next-line ArrayDeclaration: beginLevel replaces it before a round reads it
  private views: Uint32Array[] = [];
  private quiescent: FoundAt | null = null;
  private successor: FoundAt | null = null;
  /** Output capacity of the next round: the last round's output, so buffers rarely grow. */
  // Stryker disable next-line ArithmeticOperator: a smaller first buffer only grows sooner (the same states)
  private outCapacity = CHUNK * 4;
  /** Output buffers this worker wrote, by id, while they are someone's frontier; and the ones
   *  free again. Reusing them keeps a search from allocating a new shared buffer per level
   *  (shared buffers are external memory, which makes the collector run often). */
  private readonly lent = new Map<number, SharedArrayBuffer>();
  // Stryker disable next-line ArrayDeclaration: an entry that is not a buffer has no byteLength that fits, so it is never handed out
  private spare: SharedArrayBuffer[] = [];
  private nextBufferId = 0;
  /** The running round's output: successors this worker was first to add, their parents and
   *  action indices (fields, so the chunk loop and the round share them without allocating). */
  private outWords = new Uint32Array(new SharedArrayBuffer(4));
  private parents = new Uint32Array(1);
  private actions = new Uint16Array(1);
  private count = 0;
  // Stryker disable next-line BooleanLiteral: runRound resets it before it is read
  private truncated = false;

  /** `lane`: this worker's counter in the shared table (1, 2, …; 0 is the driver's). */
  constructor(readonly system: TransitionSystem, readonly options: WorkerOptions, table: SharedTableHandle, levelControl: SharedArrayBuffer, readonly lane: number) {
    this.table = new SharedFingerprintSet(table, lane);
    this.control = new Int32Array(levelControl);
    const visited = this.table;
    this.search = new Search(system, resolveOptions({
      maxStates: options.maxStates,
      maxDepth: options.maxDepth,
      checkDeadlock: options.checkDeadlock,
      symmetry: options.symmetry,
      visitedSet: () => visited,
    }));
  }

  attachTable(handle: SharedTableHandle): void {
    this.table.attach(handle);
  }

  /** This worker's part of growing the table: attaches to `to` and copies its part of `from`.
   *  Returns the milliseconds it took (the timing account) and the pairs left for the driver
   *  to add once every part is done (see `rehashPart`). */
  rehash(from: SharedTableHandle, to: SharedTableHandle, part: number, parts: number): Rehashed {
    // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
    const started = performance.now();
    this.table.attach(to);
    const deferred = this.table.rehashPart(from, part, parts);
    // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
    return { ms: performance.now() - started, deferred };
  }

  beginLevel(task: LevelTask): void {
    // The previous level's frontier has been expanded by everyone: its buffers are free.
    if (this.task !== null) {
      for (const seg of this.task.segments) {
        // Stryker disable next-line ConditionalExpression,LogicalOperator: buffer ids count a worker's rounds, which all workers of a level run alike, so another lane's id names a buffer of this lane's from the same round (free as well) or none; segments without an id are the driver's
        if (seg.owner !== this.lane || seg.bufferId === undefined) continue;
        const b = this.lent.get(seg.bufferId);
        // Stryker disable next-line ConditionalExpression: a segment of this lane holds an output it lent
        if (b !== undefined) {
          this.lent.delete(seg.bufferId);
          this.spare.push(b);
        }
      }
    }
    this.task = task;
    this.quiescent = null;
    this.successor = null;
    const groups = chunkGroups(task.segments);
    this.chunkSeg = groups.segs;
    this.chunkStart = groups.starts;
    this.bounds = groups.bounds;
    const own = groups.owners.indexOf(this.lane);
    this.ownGroup = own >= 0 ? own : this.lane % groups.owners.length;
    this.views = task.segments.map((s) => new Uint32Array(s.words));
  }

  /** A spare buffer of at least `bytes` (the smallest that fits), or a new one. */
  private sharedBuffer(bytes: number): SharedArrayBuffer {
    const spare = this.spare;
    let best = -1;
    for (let i = 0; i < spare.length; i++) {
      if (spare[i].byteLength < bytes) continue;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: which fitting spare is taken changes only memory use
      if (best < 0 || spare[i].byteLength < spare[best].byteLength) best = i;
    }
    if (best < 0) {
      // Keep a few spares only: the largest ones, which every later level can use.
      // Stryker disable next-line all: how many spares are kept bounds memory only; any buffer handed out fits
      if (spare.length > 4) spare.sort((a, b) => b.byteLength - a.byteLength).length = 4;
      return new SharedArrayBuffer(bytes);
    }
    return spare.splice(best, 1)[0];
  }

  /** Claims and expands chunks (at most `maxChunks`) until none are left, a bound stops the
   *  run, or the table passes its high-water mark. */
  runRound(maxChunks = Infinity): RoundOutput {
    // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
    const startedAt = absoluteNow();
    // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
    const started = performance.now();
    const task = this.task!;
    const search = this.search;
    const W = search.words;
    const control = this.control;
    const opts = this.options;
    const expand = task.depth < opts.maxDepth;
    const labels = this.system.labels.length;
    const transitionsBefore = search.transitions;
    const coverageBefore = Float64Array.from(search.coverage);
    this.outWords = new Uint32Array(this.sharedBuffer(this.outCapacity * W * 4));
    this.parents = new Uint32Array(this.outCapacity);
    this.actions = new Uint16Array(this.outCapacity);
    this.count = 0;
    this.truncated = false;
    let claimed = 0;
    let paused = false;

    while (claimed < maxChunks) {
      if (Atomics.load(control, STOP) !== 0) break;
      const stored = this.table.size;
      // Beyond the bound, not at it: a level that adds nothing to exactly maxStates states
      // holds, as in the single-threaded search (which stops only to store one state more).
      if (stored > opts.maxStates) {
        Atomics.compareExchange(control, STOP, 0, STOP_STATES);
        break;
      }
      // Stryker disable next-line EqualityOperator: `>` differs from `>=` only at the deadline's exact fraction of a millisecond
      if (now() >= opts.deadline) {
        Atomics.compareExchange(control, STOP, 0, STOP_TIME);
        break;
      }
      if (stored > this.table.highWater) {
        paused = true;
        break;
      }
      const c = this.claim();
      if (c < 0) break;
      claimed++;
      const k = this.chunkSeg[c];
      const seg = task.segments[k];
      const from = this.chunkStart[c];
      this.expandChunk(seg, this.views[k], from, Math.min(seg.count, from + CHUNK), expand);
    }
    const count = this.count;
    // Stryker disable next-line ArithmeticOperator: the next round's first buffer size decides only how soon it grows
    this.outCapacity = Math.max(CHUNK * 4, count + (count >>> 2));
    // Stryker disable next-line UpdateOperator: ids only need to differ among this worker's buffers
    const bufferId = this.nextBufferId++;
    const words = this.outWords.buffer as SharedArrayBuffer;
    if (count > 0) this.lent.set(bufferId, words);
    else this.spare.push(words);
    const coverage = new Float64Array(labels);
    // Stryker disable next-line EqualityOperator: `<=` also writes one past the end of a typed array, a no-op
    for (let i = 0; i < labels; i++) coverage[i] = search.coverage[i] - coverageBefore[i];
    const q = this.quiescent, s = this.successor;
    // Reported once per level: the driver keeps the lowest id over all rounds.
    this.quiescent = null;
    this.successor = null;
    return {
      words, owner: this.lane, bufferId,
      parents: this.parents, actions: this.actions, count, claimed, paused, truncated: this.truncated,
      transitions: search.transitions - transitionsBefore,
      coverage,
      quiescent: q,
      successor: s,
      startedAt,
      // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
      busyMs: performance.now() - started,
    };
  }

  /** Claims the next chunk: from this worker's own group, else from the others' in turn;
   *  -1 when every group is out. A counter past its group's size only grows further. */
  private claim(): number {
    const bounds = this.bounds, control = this.control;
    const groups = bounds.length - 1;
    for (let t = 0; t < groups; t++) {
      const g = (this.ownGroup + t) % groups;
      const size = bounds[g + 1] - bounds[g];
      // A plain read first: an exhausted group is passed without bumping its counter.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: without the read, the add below fails the same way for an exhausted group (a counter past its size only grows)
      if (Atomics.load(control, claimWord(g)) >= size) continue;
      const k = Atomics.add(control, claimWord(g), 1);
      if (k < size) return bounds[g] + k;
    }
    return -1;
  }

  /** Expands states `from` to `end` of a frontier segment into the round's output. The hot
   *  loop of a worker, apart from `runRound` so that it is optimised as a function of its own
   *  (once per thread), not on-stack-replaced into the round loop and recompiled when the
   *  round's ending code, not yet run, first runs. */
  private expandChunk(seg: Segment, view: Uint32Array, from: number, end: number, expand: boolean): void {
    const search = this.search;
    const W = search.words;
    const control = this.control;
    const cur = search.cur;
    const ids = seg.ids;
    for (let j = from; j < end; j++) {
      const id = ids !== undefined ? ids[j] : seg.base + j;
      search.loadState(view, j * W);
      const n = search.enumerate(cur);
      if (n === 0) {
        if (!search.quiescentStateOk(cur)) {
          // The lowest id this worker met: it claims chunks from several groups, not in id order.
          if (this.quiescent === null || id < this.quiescent.id) this.quiescent = { id, actionIndex: -1, finding: search.finding! };
          lowerFound(control, id);
        }
        continue;
      }
      const found = control[FOUND];
      if (found !== 0 && id >= found) continue;
      if (!expand) {
        this.truncated = true;
        continue;
      }
      // Stryker disable next-line BooleanLiteral: without an ample thread (-1) the flag is not read
      const m = search.successors(-1, true);
      // Stryker disable next-line EqualityOperator: a state with n > 0 actions has n successors or a finding (-1), never 0
      if (m < 0) {
        if (this.successor === null || id < this.successor.id) this.successor = { id, actionIndex: search.findingAction, finding: search.finding! };
        lowerFound(control, id);
        continue;
      }
      const isNew = search.succNew, succ = search.succWords, act = search.succAction;
      let count = this.count;
      let outWords = this.outWords;
      for (let k = 0; k < m; k++) {
        if (isNew[k] === 0) continue;
        if (count === this.parents.length) outWords = this.growOutput();
        // Stryker disable next-line EqualityOperator: `<=` also writes the next slot's first word, which the next state overwrites or, past `count`, nobody reads
        for (let w = 0, o = count * W, i = k * W; w < W; w++) outWords[o + w] = succ[i + w];
        this.parents[count] = id;
        this.actions[count] = act[k];
        count++;
      }
      this.count = count;
    }
  }

  /** Doubles the round's output buffers (the old words buffer becomes a spare). */
  private growOutput(): Uint32Array<SharedArrayBuffer> {
    const grown = new Uint32Array(this.sharedBuffer(this.outWords.byteLength * 2));
    this.spare.push(this.outWords.buffer);
    grown.set(this.outWords);
    this.outWords = grown;
    this.parents = growU32(this.parents);
    this.actions = growU16(this.actions);
    return grown;
  }
}

/** Lowers FOUND to 1 + `id` unless it is lower already (an atomic minimum). Ids past 2^31 - 2
 *  share the top value: only how early others stop expanding gets coarser. */
function lowerFound(control: Int32Array, id: number): void {
  const v = Math.min(id + 1, 0x7fffffff);
  let cur = Atomics.load(control, FOUND);
  // Stryker disable next-line EqualityOperator: `v <= cur` also swaps a value for itself; `v >= cur` and `cur !== 0` fail the FOUND tests
  while (cur === 0 || v < cur) {
    const prev = Atomics.compareExchange(control, FOUND, cur, v);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: going round again reads its own value and stops; a lost race (threads only) leaves FOUND higher, which only skips fewer states
    if (prev === cur) return;
    cur = prev;
  }
}

function growU32(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

function growU16(a: Uint16Array<ArrayBuffer>): Uint16Array<ArrayBuffer> {
  const b = new Uint16Array(a.length * 2);
  b.set(a);
  return b;
}
