import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, ModelError, type StateInvariant, type TransitionSystem } from '../../explorer/index.js';
import { Search } from '../../explorer/search.js';
import { resolveOptions } from '../../explorer/options.js';
import { referenceExplore } from './reference.js';
import { runs } from '../fuzz-runs.js';

/**
 * Incremental invariants: an invariant that declares `reads` is evaluated on a new state only
 * when the step into it changed a packed word holding one of those fields. The verdicts, the
 * violated invariant, its message, the trace and the counts must be those of evaluating every
 * invariant on every state, and a violation must exist exactly where the naive reference
 * explorer (which ignores `reads`) finds one.
 */

interface Spec {
  /** Per field: its upper bound (wide bounds put fields in words of their own). */
  widths: number[];
  /** Per thread: its moves (field, delta); a move is enabled while the field stays in 0..3. */
  moves: { field: number; delta: number }[][];
  /** Per invariant: the fields it reads and the sum they must never reach; `declared` false
   *  leaves `reads` out (read everything). */
  invariants: { fields: number[]; target: number; declared: boolean }[];
  /** Action properties "field x never rises by 2 in one step", declaring `changes: [x]` or not. */
  jumps: { field: number; declared: boolean }[];
}

const specs: fc.Arbitrary<Spec> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  widths: fc.array(fc.constantFrom(1, 3, 7, 255, 1 << 20, 0x7fffffff), { minLength: n, maxLength: n }),
  moves: fc.array(fc.array(fc.record({ field: fc.nat(n - 1), delta: fc.constantFrom(-1, 1, 2) }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  invariants: fc.array(fc.record({
    fields: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: n }),
    target: fc.integer({ min: 1, max: 9 }),
    declared: fc.boolean(),
  }), { minLength: 1, maxLength: 4 }),
  jumps: fc.array(fc.record({ field: fc.nat(n - 1), declared: fc.boolean() }), { maxLength: 2 }),
}));

function system(spec: Spec): TransitionSystem {
  const cap = (i: number) => Math.min(3, spec.widths[i]);
  return {
    fields: spec.widths.map((max, i) => ({ name: `x${i}`, min: 0, max })),
    threads: spec.moves.map((_, t) => `t${t}`),
    labels: ['move'],
    initialStates: () => [new Int32Array(spec.widths.length)],
    actions(s, sink) {
      spec.moves.forEach((moves, t) => moves.forEach((mv, c) => {
        const v = s[mv.field] + mv.delta;
        if (v >= 0 && v <= cap(mv.field)) sink.push(t, 0, c);
      }));
    },
    apply(s, a, next) {
      const mv = spec.moves[a.thread][a.choice];
      next[mv.field] = s[mv.field] + mv.delta;
    },
    threadDone: () => true,
    invariants: spec.invariants.map((inv, k): StateInvariant => ({
      name: `sum-${k}`,
      description: `the sum of ${inv.fields.map((i) => `x${i}`).join(', ')} is never ${inv.target}`,
      check: (s) => {
        let sum = 0;
        for (const i of inv.fields) sum += s[i];
        return sum === inv.target ? `sum ${sum}` : null;
      },
      ...(inv.declared ? { reads: inv.fields } : {}),
    })),
    actionProperties: spec.jumps.map((j, k) => ({
      name: `no-jump-${k}`,
      description: `x${j.field} never rises by 2 in one step`,
      check: (before, _a, after) => (after[j.field] - before[j.field] === 2 ? `x${j.field} jumps` : null),
      ...(j.declared ? { changes: [j.field] } : {}),
    })),
  };
}

describe('incremental invariants and action properties', () => {
  it('give the verdicts, violation, trace and counts of full evaluation, and agree with the naive explorer (random systems, bfs and dfs)', () => {
    fc.assert(fc.property(specs, (spec) => {
      const sys = system(spec);
      const ref = referenceExplore(sys, false);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const opts = { strategy, checkDeadlock: false, checkProgress: false } as const;
        const on = check(sys, opts);
        const off = check(sys, { ...opts, incrementalChecks: false });
        expect(on.verdict).toBe(off.verdict);
        expect(on.verdict).toBe(ref.shortestViolation >= 0 ? 'violated' : 'holds');
        expect(on.violation?.invariant).toBe(off.violation?.invariant);
        expect(on.violation?.message).toBe(off.violation?.message);
        expect(on.violation?.trace).toEqual(off.violation?.trace);
        expect(on.stats.distinctStates).toBe(off.stats.distinctStates);
        expect(on.stats.transitions).toBe(off.stats.transitions);
        if (strategy === 'bfs' && on.violation) expect(on.violation.trace.steps.length).toBe(ref.shortestViolation);
      }
    }), { numRuns: runs(300) });
  });

  // x0 is 32 bits wide (a word of its own); x1 and x2 share the next word. One thread raises
  // x0, another x2; the invariant reads only x2, so the first thread's steps skip it.
  const twoWords = (limit: number): TransitionSystem => system({
    widths: [0x7fffffff, 3, 3],
    moves: [[{ field: 0, delta: 1 }], [{ field: 2, delta: 1 }]],
    invariants: [{ fields: [2], target: limit, declared: true }],
    jumps: [],
  });

  it('a step that changes a field the invariant reads re-evaluates it: the violation is found at the shortest depth', () => {
    const r = check(twoWords(2), { checkDeadlock: false, checkProgress: false });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('sum-0');
    expect(r.violation!.trace.steps.map((st) => st.action.thread)).toEqual([1, 1]);
  });

  it('a step that writes a read word to 0 (every field of it at its minimum) is a change: the countdown to x = 0 breaks "x > 0" at step 3', () => {
    // Compared with the state expanded, not with an empty word: 1 -> 0 changes the word.
    const sys: TransitionSystem = {
      fields: [{ name: 'x', min: 0, max: 3 }],
      threads: ['t'],
      labels: ['down'],
      initialStates: () => [Int32Array.of(3)],
      actions(st, sink) { if (st[0] > 0) sink.push(0, 0, 0); },
      apply(_st, _a, next) { next[0]--; },
      threadDone: () => true,
      invariants: [{ name: 'positive', description: 'x stays above 0', reads: [0], check: (st) => (st[0] > 0 ? null : 'x = 0') }],
    };
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(sys, { strategy, checkProgress: false });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.invariant).toBe('positive');
      expect(r.violation!.trace.steps.length).toBe(3);
    }
  });

  it('of 32 invariants (the last one bit 31 of the due mask) the first in declaration order that fails is reported, as full evaluation reports it', () => {
    // x counts up to 3; every invariant reads x, and invariant k fails at x = 3 when it is
    // listed in `failing`. Hand count: the lowest listed one is reported, at step 3.
    const counter = (failing: readonly number[]): TransitionSystem => ({
      fields: [{ name: 'x', min: 0, max: 3 }],
      threads: ['t'],
      labels: ['up'],
      initialStates: () => [Int32Array.of(0)],
      actions(st, sink) { if (st[0] < 3) sink.push(0, 0, 0); },
      apply(_st, _a, next) { next[0]++; },
      threadDone: () => true,
      invariants: Array.from({ length: 32 }, (_, k): StateInvariant => ({
        name: `inv-${k}`, description: 'fails at x = 3 when listed', reads: [0],
        check: (st) => (failing.includes(k) && st[0] === 3 ? `inv-${k} fails` : null),
      })),
    });
    for (const [failing, reported] of [[[31], 'inv-31'], [[30, 31], 'inv-30'], [[31, 7, 4], 'inv-4']] as const) {
      for (const incrementalChecks of [true, false]) {
        const r = check(counter(failing), { checkDeadlock: false, checkProgress: false, incrementalChecks });
        expect([r.verdict, r.violation?.invariant, r.violation?.trace.steps.length]).toEqual(['violated', reported, 3]);
      }
    }
  });

  it('a field that shares a word with what the invariant reads counts as a change to it (over-approximation, same verdict)', () => {
    // x1 shares x2's word: the steps of a thread raising x1 are checked, and x1 + x2 never hits 4.
    const sys = system({ widths: [0x7fffffff, 3, 3], moves: [[{ field: 1, delta: 1 }], [{ field: 2, delta: 1 }]], invariants: [{ fields: [1, 2], target: 4, declared: true }], jumps: [] });
    const r = check(sys, { checkDeadlock: false, checkProgress: false });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.length).toBe(4);
    expect(check(sys, { checkDeadlock: false, checkProgress: false, incrementalChecks: false }).violation!.trace).toEqual(r.violation!.trace);
  });

  it('is used only where some invariant declares reads, and can be turned off', () => {
    const declared = twoWords(9);
    expect(new Search(declared, resolveOptions({})).incremental).toBe(true);
    expect(new Search(declared, resolveOptions({ incrementalChecks: false })).incremental).toBe(false);
    const undeclared = { ...declared, invariants: declared.invariants.map(({ reads: _, ...inv }) => inv) };
    expect(new Search(undeclared, resolveOptions({})).incremental).toBe(false);
  });

  it('a search that writes the state to expand itself (no loadState) still compares with that state', () => {
    const search = new Search(twoWords(1), resolveOptions({}));
    // Expand (x0 = 5, x1 = 0, x2 = 0) after another state was loaded: the successor raising x2
    // must be compared with this state, not the loaded one, and violate the invariant.
    const other = new Uint32Array(search.words);
    search.layout.pack(Int32Array.of(0, 0, 0), other, 0);
    search.loadState(other, 0);
    search.enumerate(search.cur);
    search.successors(-1, true);
    search.cur.set([5, 0, 0]);
    search.enumerate(search.cur);
    expect(search.successors(-1, true)).toBe(-1);
    expect(search.finding!.invariant).toBe('sum-0');
  });

  it('refuses a read of a field that does not exist, naming the invariant', () => {
    const sys = twoWords(2);
    const bad = { ...sys, invariants: [{ ...sys.invariants[0], reads: [7] }] };
    expect(() => check(bad)).toThrow(ModelError);
    expect(() => check(bad)).toThrow(/invariant sum-0 reads field 7, which does not exist/);
  });

  it('an action property that declares changes is still checked first on a step that also puts a field out of range', () => {
    // x0 may hold 0..1; the step raises it by 2 to 2: the property fails before the pack refuses 2.
    const sys = system({ widths: [1, 3], moves: [[{ field: 0, delta: 2 }]], invariants: [{ fields: [1], target: 9, declared: true }], jumps: [{ field: 0, declared: true }] });
    const wide = { ...sys, actions: (s: Int32Array, sink: { push(t: number, l: number, c: number): void }) => { if (s[0] === 0) sink.push(0, 0, 0); } };
    const r = check(wide, { checkDeadlock: false, checkProgress: false });
    expect(r.violation?.invariant).toBe('no-jump-0');
    expect(r.violation!.trace.steps.length).toBe(1);
    // Without the property, the value out of range is a model error.
    expect(() => check({ ...wide, actionProperties: [] }, { checkDeadlock: false, checkProgress: false })).toThrow(ModelError);
  });

  it('refuses a change field that does not exist, naming the action property', () => {
    const sys = system({ widths: [3], moves: [[{ field: 0, delta: 1 }]], invariants: [], jumps: [{ field: 0, declared: true }] });
    const bad = { ...sys, actionProperties: [{ ...sys.actionProperties![0], changes: [3] }] };
    expect(() => check(bad)).toThrow(/action property no-jump-0 changes field 3, which does not exist/);
  });

  it('states of more than 32 words (masks of two numbers) skip and re-evaluate as full evaluation does', () => {
    // 40 fields of 31 bits: one word each. Thread 0 raises x35, thread 1 raises x2; one
    // invariant reads x35 (second mask number), one x2 (first), one every field.
    const widths = Array.from({ length: 40 }, () => 0x7fffffff);
    const sys = system({
      widths,
      moves: [[{ field: 35, delta: 1 }], [{ field: 2, delta: 1 }]],
      invariants: [{ fields: [35], target: 3, declared: true }, { fields: [2], target: 9, declared: true }, { fields: [2, 35], target: 9, declared: false }],
      jumps: [],
    });
    const opts = { checkDeadlock: false, checkProgress: false } as const;
    expect(new Search(sys, resolveOptions(opts)).incremental).toBe(true);
    const on = check(sys, opts);
    const off = check(sys, { ...opts, incrementalChecks: false });
    expect(on.verdict).toBe('violated');
    expect(on.violation!.invariant).toBe('sum-0');
    expect(on.violation!.trace).toEqual(off.violation!.trace);
    expect(on.stats.distinctStates).toBe(off.stats.distinctStates);
  });
});
