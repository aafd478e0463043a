import type { StateVector, TransitionSystem } from './system.js';
import { StateLayout } from './packing.js';
import { fingerprint, fingerprintOut } from './fingerprint.js';
import { ActionBuffer } from './action-buffer.js';
import { RecordingStepContext } from './step-context.js';

/**
 * The whole reachable graph, kept for liveness: every state packed (exact, no fingerprint
 * collisions), its outgoing edges in compressed rows (target, action index, thread), which
 * threads are enabled in it, and its BFS tree parent so that a shortest path to any state can
 * be rebuilt. Built without reductions: partial-order and symmetry reductions as done for
 * safety do not preserve cycles and progress.
 */
export class StateGraph {
  size = 0;
  edgeCount = 0;
  readonly words: number;
  readonly threads: number;
  states: Uint32Array;
  /** Edges of state i: [edgeStart[i], edgeStart[i + 1]). */
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  edgeIndex: Int32Array;
  edgeThread: Int32Array;
  /** enabled[i * threads + t] = 1 when thread t has an enabled action in state i. */
  enabled: Uint8Array;
  /** BFS tree: parent state and the edge taken from it (-1 for an initial state). */
  parent: Int32Array;
  parentEdge: Int32Array;
  /** For an initial state: its index in `initialStates()`. */
  readonly initialIndex = new Map<number, number>();
  readonly layout: StateLayout;
  private table: Int32Array;
  private mask: number;

  constructor(readonly system: TransitionSystem) {
    this.layout = new StateLayout(system.fields);
    this.words = this.layout.wordsPerState;
    this.threads = system.threads.length;
    const cap = 1024;
    this.states = new Uint32Array(cap * this.words);
    this.edgeStart = new Int32Array(cap + 1);
    this.edgeTo = new Int32Array(cap * 2);
    this.edgeIndex = new Int32Array(cap * 2);
    this.edgeThread = new Int32Array(cap * 2);
    this.enabled = new Uint8Array(cap * Math.max(1, this.threads));
    this.parent = new Int32Array(cap);
    this.parentEdge = new Int32Array(cap);
    this.table = new Int32Array(2 * cap).fill(-1);
    this.mask = 2 * cap - 1;
  }

  /** The state with id `id`, unpacked into `into`. */
  state(id: number, into: StateVector): StateVector {
    this.layout.unpack(this.states, id * this.words, into);
    return into;
  }

  /** Shortest path from an initial state to `id`: initial index and action indices. */
  pathTo(id: number): { initial: number; indices: number[]; states: number[] } {
    const indices: number[] = [];
    const states: number[] = [id];
    let cur = id;
    while (this.parent[cur] >= 0) {
      indices.push(this.edgeIndex[this.parentEdge[cur]]);
      cur = this.parent[cur];
      states.push(cur);
    }
    indices.reverse();
    states.reverse();
    return { initial: this.initialIndex.get(cur)!, indices, states };
  }

  /** Looks the packed state at `words[off]` up; adds it when new. Returns its id, or
   *  -(id + 1) when it was already there. */
  intern(words: Uint32Array, off: number): number {
    const W = this.words;
    fingerprint(words, off, W);
    let h = (fingerprintOut[0] ^ Math.imul(fingerprintOut[1], 0x9e3779b1)) & this.mask;
    for (;;) {
      const id = this.table[h];
      if (id < 0) break;
      let same = true;
      const base = id * W;
      for (let w = 0; w < W; w++) if (this.states[base + w] !== words[off + w]) { same = false; break; }
      if (same) return -(id + 1);
      h = (h + 1) & this.mask;
    }
    const id = this.size++;
    this.ensureStates(this.size);
    this.states.set(words.subarray(off, off + W), id * W);
    this.table[h] = id;
    if (this.size * 2 > this.table.length) this.rehash();
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
    this.states = grow(this.states, c * this.words);
    this.edgeStart = grow(this.edgeStart, c + 1);
    this.enabled = grow(this.enabled, c * Math.max(1, this.threads));
    this.parent = grow(this.parent, c);
    this.parentEdge = grow(this.parentEdge, c);
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
    const cap = this.table.length * 2;
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const W = this.words;
    for (let id = 0; id < this.size; id++) {
      fingerprint(this.states, id * W, W);
      let h = (fingerprintOut[0] ^ Math.imul(fingerprintOut[1], 0x9e3779b1)) & this.mask;
      while (this.table[h] >= 0) h = (h + 1) & this.mask;
      this.table[h] = id;
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
 * Builds the reachable graph breadth-first. Returns null when it would exceed `maxStates`.
 * The model was already checked for safety; this pass only records the graph.
 */
export function buildStateGraph(system: TransitionSystem, maxStates: number): StateGraph | null {
  const g = new StateGraph(system);
  const W = g.words, T = g.threads;
  const scratch = new Uint32Array(W);
  const inits = system.initialStates();
  for (let i = 0; i < inits.length; i++) {
    g.layout.pack(inits[i], scratch, 0);
    const id = g.intern(scratch, 0);
    if (id >= 0) { g.parent[id] = -1; g.parentEdge[id] = -1; g.initialIndex.set(id, i); }
  }
  const cur = g.layout.newState();
  const next = g.layout.newState();
  const buf = new ActionBuffer();
  const ctx = new RecordingStepContext();
  for (let id = 0; id < g.size; id++) {
    if (g.size > maxStates) return null;
    g.state(id, cur);
    buf.clear();
    system.actions(cur, buf);
    g.edgeStart[id] = g.edgeCount;
    for (let k = 0; k < buf.count; k++) {
      const t = buf.thread[k];
      g.enabled[id * T + t] = 1;
      next.set(cur);
      ctx.reset();
      system.apply(cur, buf.get(k), next, ctx);
      g.layout.pack(next, scratch, 0);
      let to = g.intern(scratch, 0);
      const fresh = to >= 0;
      if (!fresh) to = -to - 1;
      const e = g.addEdge(to, k, t);
      if (fresh) { g.parent[to] = id; g.parentEdge[to] = e; }
    }
  }
  g.edgeStart[g.size] = g.edgeCount;
  return g;
}
