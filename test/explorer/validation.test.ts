import { describe, expect, it } from 'vitest';
import { check, replay, ModelError, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';

/**
 * Bad options and bad models are refused with a message naming what is wrong, never run with a
 * silently different meaning. Option defaults are checked by their effect.
 */

describe('options', () => {
  for (const name of ['maxStates', 'maxDepth', 'timeLimitMs', 'walks', 'walkDepth', 'maxProgressStates'] as const) {
    for (const bad of [-1, 1.5, NaN, -Infinity]) {
      it(`${name} = ${bad} is refused with a RangeError naming the option`, () => {
        expect(() => check(counters(1, 2), { [name]: bad })).toThrow(RangeError);
        expect(() => check(counters(1, 2), { [name]: bad })).toThrow(`option ${name} must be a non-negative integer, got ${bad}`);
      });
    }
    it(`${name} accepts 0 and Infinity`, () => {
      expect(() => check(counters(1, 2), { [name]: 0 })).not.toThrow();
      expect(check(counters(1, 2), { [name]: Infinity }).verdict).not.toBe('violated');
    });
  }

  it('maxStates 0 stores nothing and is incomplete; maxDepth 0 expands nothing and is incomplete', () => {
    const s = check(counters(1, 2), { maxStates: 0 });
    expect(s.verdict).toBe('incomplete');
    expect(s.incompleteReason).toBe('state limit reached: 0 distinct states stored and more remain unexplored');
    const d = check(counters(1, 2), { maxDepth: 0 });
    expect(d.verdict).toBe('incomplete');
    expect(d.incompleteReason).toBe('depth bound 0 reached: states at that depth have successors that were not explored');
    expect(d.stats.distinctStates).toBe(1);
    expect(check(counters(1, 2), { maxDepth: 0, strategy: 'dfs' }).verdict).toBe('incomplete');
  });

  it('defaults: BFS (shortest trace), deadlocks checked, no reductions, 1000 walks of 1000 steps from seed 1', () => {
    // Two paths to the bad x = 5: 0 -> 1 -> 5 and 0 -> 2 -> 4 -> 5. BFS finds the 2-step one;
    // DFS expands the last successor (x = 2) first and finds the 3-step one.
    const next: Record<number, number[]> = { 0: [1, 2], 1: [5], 2: [4], 4: [5] };
    const sys: TransitionSystem = {
      fields: [{ name: 'x', min: 0, max: 5 }],
      threads: ['t'],
      labels: ['go'],
      initialStates: () => [Int32Array.of(0)],
      actions: (s, sink) => { for (const to of next[s[0]] ?? []) sink.push(0, 0, to); },
      apply: (_s, a, n) => { n[0] = a.choice; },
      threadDone: (s) => s[0] === 5,
      invariants: [{ name: 'not_5', description: 'x is never 5', check: (s) => (s[0] === 5 ? 'x is 5' : null) }],
    };
    expect(check(sys).violation!.trace.steps.length).toBe(2);
    expect(check(sys, { strategy: 'bfs' }).violation!.trace.steps.length).toBe(2);
    expect(check(sys, { strategy: 'dfs' }).violation!.trace.steps.length).toBe(3);

    const stuck: TransitionSystem = { ...counters(1, 2), actions: () => undefined };
    expect(check(stuck).violation?.kind).toBe('deadlock');
    expect(check(stuck, { checkDeadlock: false }).verdict).toBe('holds');

    const walks = check(counters(1, 1), { strategy: 'simulate' });
    expect(walks.incompleteReason).toBe('random simulation: 1000 walks of at most 1000 steps found no violation; simulation does not exhaust the state space');
    const deep = check(counters(1, 1001), { strategy: 'simulate', walks: 1 });
    expect(deep.incompleteReason).toBe('random simulation: 1 walks of at most 1000 steps found no violation, 1 of them cut at the depth bound; simulation does not exhaust the state space');
    expect(deep.stats.maxDepth).toBe(1000);
    const a = check(counters(4, 3, { limit: 11 }), { strategy: 'simulate', walks: 1 });
    const b = check(counters(4, 3, { limit: 11 }), { strategy: 'simulate', walks: 1, seed: 1 });
    expect(a.violation!.trace).toEqual(b.violation!.trace);
    const c = [2, 3, 4, 5].map((seed) => check(counters(4, 3, { limit: 11 }), { strategy: 'simulate', walks: 1, seed }).violation!.trace);
    expect(c.some((t) => JSON.stringify(t) !== JSON.stringify(a.violation!.trace))).toBe(true);
  });
});

describe('state layout', () => {
  const bad = [
    ['a non-integer min', { min: 0.5, max: 3 }],
    ['a non-integer max', { min: 0, max: 2.5 }],
    ['min above max', { min: 3, max: 2 }],
    ['min below int32', { min: -0x80000001, max: 0 }],
    ['max above int32', { min: 0, max: 0x80000000 }],
    ['NaN bounds', { min: NaN, max: 1 }],
  ] as const;
  for (const [what, b] of bad) {
    it(`refuses a field with ${what}, naming it`, () => {
      expect(() => new StateLayout([{ name: 'ok', min: 0, max: 1 }, { name: 'zspage[0].inuse', ...b }])).toThrow(ModelError);
      expect(() => new StateLayout([{ name: 'zspage[0].inuse', ...b }])).toThrow(`field zspage[0].inuse: bounds [${b.min}, ${b.max}] are not an int32 range`);
    });
  }

  it('accepts the full int32 range: 32 bits, one word, values at both ends round-trip', () => {
    const layout = new StateLayout([{ name: 'all', min: -0x80000000, max: 0x7fffffff }]);
    expect(Array.from(layout.bits)).toEqual([32]);
    expect(layout.wordsPerState).toBe(1);
    const w = new Uint32Array(1);
    const back = layout.newState();
    for (const v of [-0x80000000, -1, 0, 1, 0x7fffffff]) {
      layout.pack(Int32Array.of(v), w, 0);
      layout.unpack(w, 0, back);
      expect(back[0]).toBe(v);
    }
  });

  it('uses floor(log2(span)) + 1 bits: spans 1, 2, 3, 4, 255, 256 take 1, 2, 2, 3, 8, 9 bits', () => {
    const layout = new StateLayout([1, 2, 3, 4, 255, 256].map((span, i) => ({ name: `f${i}`, min: -5, max: span - 5 })));
    expect(Array.from(layout.bits)).toEqual([1, 2, 2, 3, 8, 9]);
  });

  it('fills a word exactly (16 + 16 bits) before starting the next; 16 + 17 bits take two words', () => {
    const f16 = { min: 0, max: 0xffff };
    expect(new StateLayout([{ name: 'a', ...f16 }, { name: 'b', ...f16 }]).wordsPerState).toBe(1);
    expect(new StateLayout([{ name: 'a', ...f16 }, { name: 'b', min: 0, max: 0x1ffff }]).wordsPerState).toBe(2);
    expect(new StateLayout([{ name: 'a', ...f16 }, { name: 'b', ...f16 }, { name: 'c', min: 0, max: 1 }]).wordsPerState).toBe(2);
  });

  it('a state of constant fields, or of no fields, still takes one word', () => {
    expect(new StateLayout([{ name: 'c', min: 4, max: 4 }]).wordsPerState).toBe(1);
    expect(new StateLayout([]).wordsPerState).toBe(1);
    const layout = new StateLayout([{ name: 'a', min: 0, max: 0xffffffff >>> 1 }, { name: 'c', min: 9, max: 9 }]);
    expect(layout.wordsPerState).toBe(1);
    const w = new Uint32Array(1);
    layout.pack(Int32Array.of(0x7fffffff, 9), w, 0);
    const back = layout.newState();
    layout.unpack(w, 0, back);
    expect(Array.from(back)).toEqual([0x7fffffff, 9]);
  });

  it('pack clears the words it writes: packing a smaller state over a larger one leaves no stale bits', () => {
    const layout = new StateLayout([{ name: 'a', min: 0, max: 0xffff }, { name: 'b', min: 0, max: 0x1ffff }]);
    const w = new Uint32Array(3).fill(0xffffffff);
    layout.pack(Int32Array.of(1, 2), w, 1);
    expect(Array.from(w)).toEqual([0xffffffff, 1, 2]);
  });

  it('an initial state out of range or of the wrong length is a ModelError naming it', () => {
    const base = counters(2, 3);
    expect(() => check({ ...base, initialStates: () => [Int32Array.of(0, 4)] })).toThrow('field counter[1] = 4 is outside its declared range [0, 3]');
    expect(() => check({ ...base, initialStates: () => [Int32Array.of(0, -1)] })).toThrow('field counter[1] = -1 is outside its declared range [0, 3]');
    expect(() => check({ ...base, initialStates: () => [Int32Array.of(0, 0, 0)] })).toThrow('state has 3 values, the model declares 2 fields');
    expect(() => check({ ...base, initialStates: () => [Int32Array.of(3, 3)] })).not.toThrow();
  });

  it('replay reports a step that writes a value out of range as a ModelError', () => {
    const base = counters(1, 3);
    const sys: TransitionSystem = { ...base, apply: (_s, _a, next) => { next[0] = 7; } };
    expect(() => replay(sys, { initial: 0, steps: [{ index: 0, action: { thread: 0, label: 0, choice: 0 } }] })).toThrow('field counter[0] = 7 is outside its declared range [0, 3]');
  });
});

describe('a model that breaks the determinism contract', () => {
  it('actions that change between the search and the trace rebuild are a ModelError, not a wrong trace', () => {
    let found = false;
    const base = counters(1, 3, { limit: 2 });
    const sys: TransitionSystem = {
      ...base,
      actions: (s, sink) => { if (!found) base.actions(s, sink); },
      invariants: [{ name: 'flaky', description: 'x < 2', check: (s) => { if (s[0] >= 2) { found = true; return 'x is 2'; } return null; } }],
    };
    expect(() => check(sys)).toThrow(ModelError);
    found = false;
    expect(() => check(sys)).toThrow('re-execution diverged at step 0: action 0 of 0 enabled; actions() or apply() is not deterministic');
  });

  it('initial states that change between the search and the trace rebuild are a ModelError', () => {
    let calls = 0;
    const base = counters(1, 3, { limit: 2 });
    const sys: TransitionSystem = { ...base, initialStates: () => (calls++ === 0 ? [Int32Array.of(0), Int32Array.of(1)] : [Int32Array.of(0)]) };
    expect(() => check(sys)).toThrow('trace names initial state 1, the model has 1');
  });
});
