import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fingerprint, fingerprintOut, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { buildStateGraph, StateGraph } from '../../explorer/state-graph.js';
import { counters } from '../fixtures/counters.js';

/**
 * The progress pass's graph identifies a state by its 64-bit fingerprint: a lookup that
 * matched on one 32-bit word would merge two states (and every cycle or progress failure
 * behind the second). The pairs below were found by a brute-force search over one-word states
 * 0..2^23: each shares one fingerprint word with its partner and lands on the same home slot
 * of the graph's initial 2,048-slot table, so the second lookup meets the first state's slot.
 */

/** Home slot in the graph's first table (2 * 1024 slots), restated only to check that the
 *  chosen pairs collide; the assertions below check graph behaviour, not this formula. */
const home = (hi: number, lo: number) => (hi ^ Math.imul(lo, 0x9e3779b1)) & 2047;

/** One field v wide enough for the pairs; `edges` lists v -> v' steps of one thread. */
function pairSystem(initial: number[], edges: [number, number][] = []): TransitionSystem {
  return {
    fields: [{ name: 'v', min: 0, max: (1 << 23) - 1 }],
    threads: ['t'],
    labels: ['step'],
    initialStates: () => initial.map((v) => Int32Array.of(v)),
    actions(s, sink) {
      edges.forEach(([from], k) => { if (s[0] === from) sink.push(0, 0, k); });
    },
    apply(_s, a, next) { next[0] = edges[a.choice][1]; },
  };
}

function fingerprintOf(sys: TransitionSystem, v: number): [number, number] {
  const layout = new StateLayout(sys.fields);
  const words = new Uint32Array(layout.wordsPerState);
  layout.pack(Int32Array.of(v), words, 0);
  fingerprint(words, 0, layout.wordsPerState);
  return [fingerprintOut[0], fingerprintOut[1]];
}

const SAME_HI: [number, number] = [2277578, 5234488];
const SAME_LO: [number, number] = [2733991, 4546000];

describe('progress graph: states are told apart by both fingerprint words', () => {
  for (const [word, [a, b]] of [['high', SAME_HI], ['low', SAME_LO]] as const) {
    it(`two states sharing only the ${word} fingerprint word (same home slot) are two states, each found again`, () => {
      const sys = pairSystem([a, b]);
      const fa = fingerprintOf(sys, a), fb = fingerprintOf(sys, b);
      const shared = word === 'high' ? 0 : 1;
      expect(fa[shared]).toBe(fb[shared]);
      expect(fa[1 - shared]).not.toBe(fb[1 - shared]);
      expect(home(...fa)).toBe(home(...fb));

      const g = buildStateGraph(sys, Infinity, []);
      if (typeof g === 'string') throw new Error(g);
      expect(g.size).toBe(2);
      expect(g.initialIndex.get(0)).toBe(0);
      expect(g.initialIndex.get(1)).toBe(1);

      // Interning each again finds it (-(id + 1)) and adds nothing.
      const layout = new StateLayout(sys.fields);
      const w = new Uint32Array(layout.wordsPerState);
      layout.pack(Int32Array.of(a), w, 0);
      expect(g.intern(w, 0, layout.wordsPerState)).toBe(-1);
      layout.pack(Int32Array.of(b), w, 0);
      expect(g.intern(w, 0, layout.wordsPerState)).toBe(-2);
      expect(g.size).toBe(2);
    });

    it(`a step to a state sharing the ${word} fingerprint word with its source is an edge to a new state, not a self-loop`, () => {
      const sys = pairSystem([a], [[a, b]]);
      const g = buildStateGraph(sys, Infinity, []);
      if (typeof g === 'string') throw new Error(g);
      expect(g.size).toBe(2);
      expect(g.edgeCount).toBe(1);
      expect(g.edgeTo[0]).toBe(1);
      expect(g.pathTo(1)).toEqual({ initial: 0, indices: [0] });
    });
  }
});

const binomial = (n: number, k: number): number => {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
};

describe('progress graph: rows, lookups and parents survive growth', () => {
  // counters(k, 1): 2^k states (each counter 0 or 1). A state with d counters at 1 has depth d,
  // k - d outgoing edges and d incoming ones; C(k, d) states have d counters at 1. With
  // k = 10, 11 and 12 the graph ends exactly at its first or grown capacity (1,024, 2,048 and
  // 4,096 states), so the last state's row and the end of all rows sit in the last slots of
  // the row table.
  for (const k of [10, 11, 12]) {
    it(`counters ${k}x1: 2^${k} states, ${k} * 2^${k - 1} edges, C(${k}, d) states of out-degree ${k} - d, in-degree d and BFS depth d`, () => {
      const g = buildStateGraph(counters(k, 1), Infinity, [(s) => s.every((c) => c === 1)]);
      if (typeof g === 'string') throw new Error(g);
      expect(g.size).toBe(2 ** k);
      expect(g.edgeCount).toBe(k * 2 ** (k - 1));
      const rev = g.reverse();
      const out = new Array(k + 1).fill(0), inn = new Array(k + 1).fill(0), depth = new Array(k + 1).fill(0);
      let allOnes = 0;
      // Mismatches are collected and compared once: an expect per edge made this test slow
      // enough to dominate the mutation run of every state-graph mutant.
      const depthOf = Array.from({ length: g.size }, (_, i) => g.pathTo(i).indices.length);
      const wrong: string[] = [];
      for (let i = 0; i < g.size; i++) {
        const o = g.edgeStart[i + 1] - g.edgeStart[i];
        const d = depthOf[i];
        const into = rev.start[i + 1] - rev.start[i];
        if (o !== k - d) wrong.push(`state ${i}: out-degree ${o} at depth ${d}`);
        if (into !== d) wrong.push(`state ${i}: in-degree ${into} at depth ${d}`);
        out[k - o]++; inn[into]++; depth[d]++;
        for (let e = g.edgeStart[i]; e < g.edgeStart[i + 1]; e++) {
          if (depthOf[g.edgeTo[e]] !== d + 1) wrong.push(`edge ${e} from depth ${d} to depth ${depthOf[g.edgeTo[e]]}`);
        }
        let enabled = 0;
        for (let t = 0; t < k; t++) enabled += g.enabled[i * k + t];
        if (enabled !== k - d) wrong.push(`state ${i}: ${enabled} threads enabled at depth ${d}`);
        allOnes += g.pred[0][i];
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      const expected = Array.from({ length: k + 1 }, (_, d) => binomial(k, d));
      expect(out).toEqual(expected);
      expect(inn).toEqual(expected);
      expect(depth).toEqual(expected);
      expect(allOnes).toBe(1);
    });
  }

  it('an expected-state hint sizes the graph up front; no hint is needed for the same graph', () => {
    const sys = counters(11, 1);
    const g = buildStateGraph(sys, Infinity, [], Infinity, undefined, 2048);
    if (typeof g === 'string') throw new Error(g);
    expect(g.size).toBe(2048);
    expect(new StateGraph(sys, 0, 3000).parent.length).toBe(4096);
    expect(new StateGraph(sys, 0).parent.length).toBe(1024);
  });

  it('bytes held add up every table: 72,708 for an empty graph of 2 threads and 1 predicate sized for 1,024 states', () => {
    // Rows 1,025 x 4; edges 2,048 x 4 x 3 arrays; enabled 1,024 x 2 threads; 1 predicate
    // 1,024; parent and parent edge 1,024 x 4 each; lookup 2,048 slots x 4 words x 4.
    const g = new StateGraph(counters(2, 1), 1);
    expect(g.bytes).toBe(1025 * 4 + 2048 * 4 * 3 + 1024 * 2 + 1024 + 1024 * 4 * 2 + 2048 * 4 * 4);
    expect(g.bytes).toBe(72_708);
  });

  it('a state bound of exactly the reachable count builds the graph; one fewer, or a deadline already past, gives up', () => {
    // counters(2, 2): 9 states by hand.
    const g = buildStateGraph(counters(2, 2), 9, []);
    expect(typeof g === 'string' ? g : g.size).toBe(9);
    expect(buildStateGraph(counters(2, 2), 8, [])).toBe('states');
    expect(buildStateGraph(counters(2, 2), Infinity, [], performance.now() - 1)).toBe('time');
  });
});

describe('progress graph: progress reports', () => {
  // The clock (performance.now) is faked: the first step moves it on by 600 ms, at once.
  // The faked clock starts far from 0, so a start time subtracted or added tells.
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); vi.advanceTimersByTime(1_000_000); });
  afterEach(() => { vi.useRealTimers(); });

  /** counters 11x1 (2^11 states) whose first step takes 600 ms. */
  const slowStart = (): TransitionSystem => {
    const base = counters(11, 1);
    let first = true;
    return {
      ...base,
      apply(s, a, next, ctx) {
        if (first) { first = false; vi.advanceTimersByTime(600); }
        base.apply(s, a, next, ctx);
      },
    };
  };

  it('the clock is read every 1,024 states: one report, at state 1,024, of the states found, the edges of states 0..1,023 and the states still queued', () => {
    const seen: [number, number, number][] = [];
    const g = buildStateGraph(slowStart(), Infinity, [], Infinity, (states, edges, queued) => seen.push([states, edges, queued]));
    if (typeof g === 'string') throw new Error(g);
    expect(g.size).toBe(2 ** 11);
    // Figures at the start of state 1,024's turn, read back from the finished graph: every
    // state a step of states 0..1,023 reached (ids are given in BFS order), their edges, and
    // those not yet taken from the queue (ids 1,025 on).
    const edges = g.edgeStart[1024];
    let states = 0;
    for (let e = 0; e < edges; e++) states = Math.max(states, g.edgeTo[e] + 1);
    expect(seen).toEqual([[states, edges, states - 1025]]);
    // Without a callback the same slow build runs to the same graph.
    const quiet = buildStateGraph(slowStart(), Infinity, []);
    expect(typeof quiet === 'string' ? quiet : quiet.size).toBe(2 ** 11);
  });
});
