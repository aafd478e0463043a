import type { StateVector, TransitionSystem } from './system.js';
import { StateLayout } from './packing.js';
import { fingerprint, fingerprintOut } from './fingerprint.js';
import { ActionBuffer, newMutableAction } from './action-buffer.js';
import { RecordingStepContext } from './step-context.js';
import { StateQueue } from './state-queue.js';
import { tableFull } from './table-full.js';

/**
 * The whole reachable graph, kept for liveness: per state its outgoing edges in compressed rows
 * (target, action index, thread), which threads are enabled in it, the value of each predicate
 * the liveness checks ask about, and its BFS tree parent so that a shortest path to any state
 * can be rebuilt by re-executing action indices. States themselves are not kept: they are
 * identified by their 64-bit fingerprint (as the safety search's default visited set does) and
 * live only in the BFS frontier. Built without partial-order reduction (it does not preserve
 * cycles); under symmetry it can be built on the quotient, which only ever shows that there
 * is nothing to find (buildStateGraph, liveness.ts progressOnQuotient).
 */
export class StateGraph {
  size = 0;
  edgeCount = 0;
  readonly threads: number;
  /** Edges of state i: [edgeStart[i], edgeStart[i + 1]). */
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  edgeIndex: Int32Array;
  edgeThread: Int32Array;
  /** enabled[i * threads + t] = 1 when thread t has an enabled action in state i. */
  enabled: Uint8Array;
  /** pred[k][i] = 1 when predicate k holds in state i. */
  pred: Uint8Array[];
  /** BFS tree: parent state and the edge taken from it (-1 for an initial state). */
  parent: Int32Array;
  parentEdge: Int32Array;
  /** For an initial state: its index in `initialStates()`. */
  readonly initialIndex = new Map<number, number>();
  /** Open addressing, 4 words a slot: fingerprint hi, lo, id + 1 (0: empty), unused. The
   *  fingerprint sits in the slot so a probe costs one cache miss, not three. */
  private table: Uint32Array;
  private mask: number;

  /** `expectedStates`: a hint (the safety search's count, a lower bound when it used
   *  reductions), so that a large graph does not rehash and regrow its way there. */
  constructor(readonly system: TransitionSystem, predicates: number, expectedStates = 1024) {
    this.threads = system.threads.length;
    let cap = 1024;
    while (cap < expectedStates && cap < 1 << 24) cap *= 2;
    this.edgeStart = new Int32Array(cap + 1);
    this.edgeTo = new Int32Array(cap * 2);
    this.edgeIndex = new Int32Array(cap * 2);
    this.edgeThread = new Int32Array(cap * 2);
    this.enabled = new Uint8Array(cap * Math.max(1, this.threads));
    this.pred = Array.from({ length: predicates }, () => new Uint8Array(cap));
    this.parent = new Int32Array(cap);
    this.parentEdge = new Int32Array(cap);
    this.table = new Uint32Array(4 * 2 * cap);
    this.mask = 2 * cap - 1;
  }

  /** Bytes held (for statistics). */
  get bytes(): number {
    return this.edgeStart.byteLength + this.edgeTo.byteLength * 3 + this.enabled.byteLength +
      this.pred.reduce((a, p) => a + p.byteLength, 0) + this.parent.byteLength * 2 +
      this.table.byteLength;
  }

  /** Shortest path from an initial state to `id`: initial index and action indices. */
  pathTo(id: number): { initial: number; indices: number[] } {
    const indices: number[] = [];
    let cur = id;
    while (this.parent[cur] >= 0) {
      indices.push(this.edgeIndex[this.parentEdge[cur]]);
      cur = this.parent[cur];
    }
    indices.reverse();
    return { initial: this.initialIndex.get(cur)!, indices };
  }

  /** Looks the packed state at `words[off]` up by fingerprint; adds it when new. Returns its
   *  id, or -(id + 1) when it was already there. */
  intern(words: Uint32Array, off: number, W: number): number {
    fingerprint(words, off, W);
    return this.internFingerprint(fingerprintOut[0], fingerprintOut[1]);
  }

  /** `intern` by the state's fingerprint (hi, lo). */
  internFingerprint(hi: number, lo: number): number {
    const table = this.table;
    let h = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.mask;
    // One lap at most: the table is rehashed at half load, so an empty slot always comes; a
    // table without one is broken, and a pass that fails on it beats one that hangs.
    let lap = this.mask;
    for (;;) {
      const at = h << 2;
      const stored = table[at + 2];
      if (stored === 0) break;
      if (table[at] === hi && table[at + 1] === lo) return -stored;
      // Stryker disable next-line all: see the lap above
      if (--lap < 0) tableFull('state graph table', this.mask + 1);
      h = (h + 1) & this.mask;
    }
    const id = this.size++;
    this.ensureStates(this.size);
    table[h << 2] = hi;
    table[(h << 2) + 1] = lo;
    table[(h << 2) + 2] = id + 1;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private ensureStates(n: number): void {
    if (n <= this.parent.length) return;
    let c = this.parent.length;
    while (c < n) c *= 2;
    const grow = <T extends Uint32Array | Int32Array | Uint8Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.edgeStart = grow(this.edgeStart, c + 1);
    this.enabled = grow(this.enabled, c * Math.max(1, this.threads));
    this.pred = this.pred.map((p) => grow(p, c));
    this.parent = grow(this.parent, c);
    this.parentEdge = grow(this.parentEdge, c);
  }

  /** Marks state `id` as initial state `index` of `initialStates()` (a root of the BFS tree). */
  markInitial(id: number, index: number): void {
    this.parent[id] = -1;
    this.parentEdge[id] = -1;
    this.initialIndex.set(id, index);
  }

  /** Starts state `id`'s row: its predicate values and the threads `actions` has enabled. Its
   *  edges follow (`addSuccessor`), before the next state's row starts. */
  beginState(id: number, state: StateVector, predicates: readonly ((s: StateVector) => boolean)[], actions: ActionBuffer): void {
    for (let k = 0; k < predicates.length; k++) this.pred[k][id] = predicates[k](state) ? 1 : 0;
    this.edgeStart[id] = this.edgeCount;
    const T = this.threads, thread = actions.thread;
    for (let k = 0; k < actions.count; k++) this.enabled[id * T + thread[k]] = 1;
  }

  /** Adds the edge from `id` through action `index` of `thread` to the state `intern` returned
   *  `interned` for, making `id` its BFS parent when it was new; returns whether it was. */
  addSuccessor(id: number, interned: number, index: number, thread: number): boolean {
    // Stryker disable next-line EqualityOperator: id 0 is an initial state's, never a successor's new id
    const fresh = interned >= 0;
    const e = this.addEdge(fresh ? interned : -interned - 1, index, thread);
    if (fresh) { this.parent[interned] = id; this.parentEdge[interned] = e; }
    return fresh;
  }

  addEdge(to: number, index: number, thread: number): number {
    const e = this.edgeCount++;
    if (e === this.edgeTo.length) {
      const n = this.edgeTo.length * 2;
      const a = new Int32Array(n); a.set(this.edgeTo); this.edgeTo = a;
      const b = new Int32Array(n); b.set(this.edgeIndex); this.edgeIndex = b;
      const c = new Int32Array(n); c.set(this.edgeThread); this.edgeThread = c;
    }
    this.edgeTo[e] = to;
    this.edgeIndex[e] = index;
    this.edgeThread[e] = thread;
    return e;
  }

  private rehash(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const table = new Uint32Array(4 * cap);
    this.table = table;
    this.mask = cap - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 2] === 0) continue;
      const hi = old[at], lo = old[at + 1];
      let h = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.mask;
      let lap = this.mask;
      while (table[(h << 2) + 2] !== 0) {
        // Stryker disable next-line all: twice the old slots: an empty one comes within a lap
        if (--lap < 0) tableFull('state graph table', cap);
        h = (h + 1) & this.mask;
      }
      table[h << 2] = hi;
      table[(h << 2) + 1] = lo;
      table[(h << 2) + 2] = old[at + 2];
    }
  }

  /** Predecessor lists (compressed rows), for backward reachability. */
  reverse(): { start: Int32Array; from: Int32Array } {
    const n = this.size;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < this.edgeCount; e++) start[this.edgeTo[e] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const from = new Int32Array(this.edgeCount);
    for (let s = 0; s < n; s++) {
      for (let e = this.edgeStart[s]; e < this.edgeStart[s + 1]; e++) from[fill[this.edgeTo[e]]++] = s;
    }
    return { start, from };
  }
}

/**
 * Builds the reachable graph breadth-first, evaluating `predicates` in every state. Returns
 * 'states' when it would exceed `maxStates`, 'time' when `performance.now()` passes
 * `deadline`. The model was already checked for safety; this pass only records the graph.
 *
 * With `canonicalInto` (symmetry) every state is replaced by its representative before it is
 * interned and expanded: the graph is then the quotient, whose paths are those of the full
 * graph up to a permutation at each step (a state's successors, permuted, are its image's).
 * Its edges' action indices and threads belong to the representatives, so it serves only to
 * show that no counterexample exists (liveness.ts progressOnQuotient), never for a trace.
 */
export function buildStateGraph(
  system: TransitionSystem, maxStates: number, predicates: readonly ((s: StateVector) => boolean)[], deadline = Infinity,
  onProgress?: (states: number, edges: number, queued: number) => void, expectedStates = 1024,
  canonicalInto?: (state: StateVector, out: StateVector) => boolean,
): StateGraph | 'states' | 'time' {
  let lastReport = performance.now();
  const g = new StateGraph(system, predicates.length, Math.min(expectedStates, maxStates));
  const layout = new StateLayout(system.fields);
  const W = layout.wordsPerState;
  const queue = new StateQueue(W);
  const inits = system.initialStates();
  const canon = layout.newState();
  const representative = (st: StateVector): StateVector => (canonicalInto !== undefined && canonicalInto(st, canon) ? canon : st);
  for (let i = 0; i < inits.length; i++) {
    layout.pack(representative(inits[i]), queue.tail, queue.tailOffset);
    const id = g.intern(queue.tail, queue.tailOffset, W);
    if (id < 0) continue;
    g.markInitial(id, i);
    queue.commit();
  }
  const cur = layout.newState();
  const next = layout.newState();
  const buf = new ActionBuffer();
  const act = newMutableAction();
  const ctx = new RecordingStepContext();
  for (let id = 0; queue.shift(); id++) {
    if (g.size > maxStates) return 'states';
    if ((id & 1023) === 0) {
      const now = performance.now();
      if (now > deadline) return 'time';
      if (onProgress !== undefined && now - lastReport >= 500) { lastReport = now; onProgress(g.size, g.edgeCount, queue.length); }
    }
    layout.unpack(queue.head, queue.headOffset, cur);
    buf.clear();
    system.actions(cur, buf);
    g.beginState(id, cur, predicates, buf);
    for (let k = 0; k < buf.count; k++) {
      next.set(cur);
      ctx.reset();
      system.apply(cur, buf.load(k, act), next, ctx);
      layout.pack(representative(next), queue.tail, queue.tailOffset);
      if (g.addSuccessor(id, g.intern(queue.tail, queue.tailOffset, W), k, buf.thread[k])) queue.commit();
    }
  }
  g.edgeStart[g.size] = g.edgeCount;
  return g;
}

/**
 * Records the graph `buildStateGraph` would build while the single-threaded safety BFS runs
 * (bfs.ts), from what that search computes anyway (each state's enabled actions and its
 * successors' fingerprints), so that `check`'s progress pass need not execute every step
 * again. The search's ids are its discovery order, and so are the graph's: a successor is
 * interned here exactly when the search stored it as new. Under symmetry the fingerprints are
 * the representatives', so the graph is a quotient, as buildStateGraph's with `canonicalInto`
 * (each orbit expanded through the member the search met first instead of its representative:
 * the symmetry contract makes either image of the full graph's runs). The recording stops
 * (`graph` null) where it could differ from buildStateGraph's: a state expanded through an
 * ample set (partial-order reduction keeps only some edges), a visited set that tells apart
 * states whose fingerprints agree, or more than `maxStates` states.
 */
export class GraphRecorder {
  private g: StateGraph | null;

  constructor(system: TransitionSystem, private readonly predicates: readonly ((s: StateVector) => boolean)[], private readonly maxStates: number) {
    this.g = new StateGraph(system, predicates.length);
  }

  /** The recorded graph once the search has expanded every state, or null. */
  finish(): StateGraph | null {
    const g = this.g;
    if (g !== null) g.edgeStart[g.size] = g.edgeCount;
    return g;
  }

  drop(): void {
    this.g = null;
  }

  /** The search stored initial state `index` as new, with fingerprint (hi, lo). */
  initial(hi: number, lo: number, index: number): void {
    const g = this.g;
    // Stryker disable next-line ConditionalExpression: the initial states come before anything that gives the recording up
    if (g === null) return;
    const id = g.internFingerprint(hi, lo);
    // Stryker disable next-line ConditionalExpression,BlockStatement: bfs calls this only for an initial state it stored as new, which the graph has not seen either
    if (id < 0) { this.g = null; return; }
    g.markInitial(id, index);
  }

  /** State `id` (`state`) was expanded: `actions` its enabled actions, and successor j
   *  (j < m) came from action `act[j]`, has fingerprint (hi[j], lo[j]) and was new to the
   *  search when `isNew[j]` is 1. With m = 0 and no actions, a state that stops. */
  expand(id: number, state: StateVector, actions: ActionBuffer, m: number, hi: Uint32Array, lo: Uint32Array, act: Int32Array, isNew: Uint8Array): void {
    const g = this.g;
    if (g === null) return;
    g.beginState(id, state, this.predicates, actions);
    for (let j = 0; j < m; j++) {
      const fresh = g.addSuccessor(id, g.internFingerprint(hi[j], lo[j]), act[j], actions.thread[act[j]]);
      if (fresh !== (isNew[j] === 1)) { this.g = null; return; }
    }
    if (g.size > this.maxStates) this.g = null;
  }
}
