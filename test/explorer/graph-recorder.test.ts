import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ProgressProperty, TransitionSystem } from '../../explorer/index.js';
import { Search } from '../../explorer/search.js';
import { bfs } from '../../explorer/bfs.js';
import { resolveOptions } from '../../explorer/options.js';
import { buildStateGraph, GraphRecorder, type StateGraph } from '../../explorer/state-graph.js';
import { progressPredicates } from '../../explorer/liveness.js';
import { searchCanonicaliser } from '../../explorer/symmetry.js';
import { harmless, randomSpecs, randomSystem } from '../fixtures/random-system.js';
import { counters } from '../fixtures/counters.js';
import { lockWorkers } from '../fixtures/lock-workers.js';
import { footprintSystem } from '../fixtures/footprint-system.js';
import { check, FingerprintSet, type VisitedSet } from '../../explorer/index.js';
import { countingPair } from './counting-pair.js';
import { runs } from '../fuzz-runs.js';

/**
 * The graph the breadth-first safety search records for the progress pass must be the graph
 * the pass would build by exploring again (buildStateGraph, which executes every step itself):
 * the same ids, edges in the same order with the same action indices and threads, the same
 * enabled threads, predicate values, BFS parents and initial indices.
 */

function recorded(sys: TransitionSystem, options: Parameters<typeof resolveOptions>[0] = {}): { verdict: string; graph: StateGraph | null } {
  const recorder = new GraphRecorder(sys, progressPredicates(sys), 1_000_000);
  const r = bfs(new Search(sys, resolveOptions({ checkDeadlock: false, ...options })), recorder);
  return { verdict: r.verdict, graph: recorder.finish() };
}

function expectSameGraph(a: StateGraph, b: StateGraph): void {
  const n = b.size, e = b.edgeCount;
  expect([a.size, a.edgeCount]).toEqual([n, e]);
  expect(Array.from(a.edgeStart.subarray(0, n + 1))).toEqual(Array.from(b.edgeStart.subarray(0, n + 1)));
  expect(Array.from(a.edgeTo.subarray(0, e))).toEqual(Array.from(b.edgeTo.subarray(0, e)));
  expect(Array.from(a.edgeIndex.subarray(0, e))).toEqual(Array.from(b.edgeIndex.subarray(0, e)));
  expect(Array.from(a.edgeThread.subarray(0, e))).toEqual(Array.from(b.edgeThread.subarray(0, e)));
  expect(Array.from(a.enabled.subarray(0, n * a.threads))).toEqual(Array.from(b.enabled.subarray(0, n * b.threads)));
  expect(a.pred.map((p) => Array.from(p.subarray(0, n)))).toEqual(b.pred.map((p) => Array.from(p.subarray(0, n))));
  expect(Array.from(a.parent.subarray(0, n))).toEqual(Array.from(b.parent.subarray(0, n)));
  expect(Array.from(a.parentEdge.subarray(0, n))).toEqual(Array.from(b.parentEdge.subarray(0, n)));
  expect([...a.initialIndex]).toEqual([...b.initialIndex]);
}

const evenCounter: ProgressProperty = { name: 'even', description: 'the counter is even again and again', kind: 'always-eventually', holds: (s) => s[1] % 2 === 0 };
const leadsTo: ProgressProperty = { name: 'node0-leads-to-even', description: 'node 0 is followed by an even counter', kind: 'leads-to', trigger: (s) => s[0] === 0, holds: (s) => s[1] % 2 === 0 };

describe('the graph the breadth-first safety search records', () => {
  it('is the graph the progress pass would build, id for id and edge for edge (random systems, every predicate kind)', () => {
    fc.assert(fc.property(randomSpecs.map(harmless), (spec) => {
      const sys: TransitionSystem = { ...randomSystem(spec), progressProperties: [evenCounter, leadsTo] };
      const { verdict, graph } = recorded(sys);
      expect(verdict).toBe('holds');
      const built = buildStateGraph(sys, 1_000_000, progressPredicates(sys));
      if (typeof built === 'string') throw new Error(built);
      expectSameGraph(graph!, built);
    }), { numRuns: runs(200) });
  });

  it('is the same graph on counters 3x4 (125 states, 300 edges), built with no help', () => {
    const sys = counters(3, 4);
    const built = buildStateGraph(sys, 1_000_000, progressPredicates(sys));
    if (typeof built === 'string') throw new Error(built);
    expect([built.size, built.edgeCount]).toEqual([125, 300]);
    expectSameGraph(recorded(sys).graph!, built);
  });

  it('under symmetry, is a quotient of the same size as the one the pass builds: 28 orbits and 48 edges for two counting threads', () => {
    const sys = countingPair(true);
    const { graph } = recorded(sys);
    const built = buildStateGraph(sys, 1_000_000, progressPredicates(sys), Infinity, undefined, 1024, searchCanonicaliser(sys)!.into);
    if (typeof built === 'string') throw new Error(built);
    expect([graph!.size, graph!.edgeCount]).toEqual([28, 48]);
    expect([built.size, built.edgeCount]).toEqual([28, 48]);
  });

  it('is given up past its state limit', () => {
    const sys = counters(3, 4);
    const recorder = new GraphRecorder(sys, progressPredicates(sys), 100);
    expect(bfs(new Search(sys, resolveOptions({})), recorder).verdict).toBe('holds');
    expect(recorder.finish()).toBeNull();
    const roomy = new GraphRecorder(sys, progressPredicates(sys), 125);
    bfs(new Search(sys, resolveOptions({})), roomy);
    expect(roomy.finish()?.size).toBe(125);
  });
  it('is given up where partial-order reduction expanded a state through an ample set: the progress pass then counts the full graph', () => {
    const sys = lockWorkers(3, 2);
    const full = buildStateGraph(sys, 1_000_000, progressPredicates(sys));
    if (typeof full === 'string') throw new Error(full);
    const reduced = recorded(sys);
    expect(reduced.verdict).toBe('holds');
    expect(reduced.graph).toBeNull();
    const r = check(sys);
    expect(r.stats.distinctStates).toBeLessThan(full.size);
    expect(r.stats.progress).toMatchObject({ states: full.size, edges: full.edgeCount });
  });

  it('is given up when the ample set is thread 0\'s (the only thread whose steps are invisible)', () => {
    // Thread 0 steps twice locally; thread 1 sets and clears v[0], which the invariant reads.
    const sys = footprintSystem({
      threads: 2, pcs: 2, vars: 1,
      steps: [
        { thread: 0, from: 0, to: 1 }, { thread: 0, from: 1, to: 2 },
        { thread: 1, from: 0, to: 1, effect: { v: 0, op: 'set', val: 1 } }, { thread: 1, from: 1, to: 2, effect: { v: 0, op: 'set', val: 0 } },
      ],
      bad: [{ v: 0, eq: 2 }],
    });
    const full = buildStateGraph(sys, 1_000_000, progressPredicates(sys));
    if (typeof full === 'string') throw new Error(full);
    expect([full.size, full.edgeCount]).toEqual([9, 12]);
    const r = check(sys);
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBeLessThan(9);
    expect(r.stats.progress).toMatchObject({ states: 9, edges: 12 });
  });

  it('is given up when the visited set and the graph disagree on whether a state is new (a set that forgets once)', () => {
    const sys = counters(2, 2);
    let forgotten = false;
    const forgetful = (): VisitedSet => {
      const set = new FingerprintSet();
      return {
        lossy: true,
        get size() { return set.size; },
        get bytes() { return set.bytes; },
        add(words, offset, hi, lo) {
          const added = set.add(words, offset, hi, lo);
          // The first state met a second time: the set says new once more.
          if (!added && !forgotten) { forgotten = true; return true; }
          return added;
        },
      };
    };
    const { verdict, graph } = recorded(sys, { visitedSet: forgetful });
    expect(forgotten).toBe(true);
    expect(verdict).toBe('holds');
    expect(graph).toBeNull();
  });
});
