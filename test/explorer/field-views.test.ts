import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, ModelError, type StateInvariant, type TransitionSystem } from '../../explorer/index.js';
import { Search } from '../../explorer/search.js';
import { resolveOptions } from '../../explorer/options.js';
import { referenceExplore } from './reference.js';
import { viewCounterexamples } from './view-audit.js';
import { runs } from '../fuzz-runs.js';

/**
 * Field views (StateInvariant.views): an invariant that reads a field only through a table is
 * not re-evaluated after a step that moved the field within its table class. The search must
 * still find every violation full evaluation finds, at the same depth.
 */

/** One thread walking pc 0 -> 1 -> 2 -> 3; the step into pc 2 sets x to 5. The invariant
 *  "x <= 2 unless pc is 2 (exempt)" reads pc only as exempt-or-not. */
function exemption(counter: { calls: number }, view: boolean): TransitionSystem {
  const exempt = [0, 0, 1, 0];
  const inv: StateInvariant = {
    name: 'x-small',
    description: 'x stays at most 2 outside the exempt step',
    reads: [0, 1],
    ...(view ? { views: [{ fields: [0], table: exempt }] } : {}),
    check(s) {
      counter.calls++;
      return exempt[s[0]] === 1 || s[1] <= 2 ? null : `x is ${s[1]} at pc ${s[0]}`;
    },
  };
  return {
    fields: [{ name: 'pc', min: 0, max: 3 }, { name: 'x', min: 0, max: 7 }],
    threads: ['t'],
    labels: ['step'],
    initialStates: () => [Int32Array.of(0, 0)],
    actions(s, sink) { if (s[0] < 3) sink.push(0, 0, 0); },
    apply(s, _a, next) { next[0] = s[0] + 1; if (s[0] === 1) next[1] = 5; },
    threadDone: (s) => s[0] === 3,
    invariants: [inv],
  };
}

describe('field views in incremental invariant checks', () => {
  it('a step that moves the viewed field out of its exempt class re-evaluates the invariant: the violation is found at pc 3, depth 3', () => {
    const r = check(exemption({ calls: 0 }, true), { checkProgress: false });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('x-small');
    expect(r.violation!.message).toBe('x is 5 at pc 3');
    expect(r.violation!.trace.steps.length).toBe(3);
    expect(r.violation!.trace).toEqual(check(exemption({ calls: 0 }, true), { checkProgress: false, incrementalChecks: false }).violation!.trace);
  });

  it('a step that moves the viewed field within its class (pc 0 -> 1) skips the invariant; without the view it is evaluated', () => {
    const withView = { calls: 0 };
    const without = { calls: 0 };
    check(exemption(withView, true), { checkProgress: false });
    check(exemption(without, false), { checkProgress: false });
    // Initial state, then pc 1 (skipped with the view), pc 2 (x changed), pc 3 (class changed).
    expect(withView.calls).toBe(3);
    expect(without.calls).toBe(4);
  });

  it('with more than 32 invariants (masks of two numbers), the 40th is skipped and re-evaluated as the first would be', () => {
    const counter = { calls: 0 };
    const base = exemption(counter, true);
    const others: StateInvariant[] = Array.from({ length: 39 }, (_, k) => ({ name: `true-${k}`, description: 'holds', reads: [1], check: () => null }));
    const r = check({ ...base, invariants: [...others, ...base.invariants] }, { checkProgress: false });
    expect(r.violation?.invariant).toBe('x-small');
    expect(r.violation!.trace.steps.length).toBe(3);
    expect(counter.calls).toBe(3);
  });

  it('is on when one invariant declares reads and another does not (that one is evaluated after every step)', () => {
    const counter = { calls: 0 };
    const base = exemption(counter, true);
    let undeclared = 0;
    const everyStep: StateInvariant = { name: 'every-step', description: 'holds', check: () => { undeclared++; return null; } };
    const sys = { ...base, invariants: [everyStep, ...base.invariants] };
    expect(new Search(sys, resolveOptions({})).incremental).toBe(true);
    expect(check(sys, { checkProgress: false }).violation?.invariant).toBe('x-small');
    expect(counter.calls).toBe(3);
    expect(undeclared).toBe(4);
  });

  it('random systems whose invariants read a field through a table: incremental verdicts, traces and counts equal full evaluation and the naive explorer', () => {
    const arb = fc.record({
      table: fc.array(fc.nat(2), { minLength: 4, maxLength: 4 }),
      moves: fc.array(fc.array(fc.record({ field: fc.nat(2), delta: fc.constantFrom(-1, 1, 2) }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      weights: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 3, maxLength: 3 }),
      target: fc.integer({ min: 1, max: 8 }),
    });
    fc.assert(fc.property(arb, ({ table, moves, weights, target }) => {
      // x0 is read through `table`, x1 and x2 as they are; every field fits 0..3.
      const sys: TransitionSystem = {
        fields: [0, 1, 2].map((i) => ({ name: `x${i}`, min: 0, max: 3 })),
        threads: moves.map((_, t) => `t${t}`),
        labels: ['move'],
        initialStates: () => [new Int32Array(3)],
        actions(s, sink) {
          moves.forEach((ms, t) => ms.forEach((mv, c) => { const v = s[mv.field] + mv.delta; if (v >= 0 && v <= 3) sink.push(t, 0, c); }));
        },
        apply(s, a, next) { const mv = moves[a.thread][a.choice]; next[mv.field] = s[mv.field] + mv.delta; },
        threadDone: () => true,
        invariants: [{
          name: 'weighted',
          description: 'a weighted sum of table[x0], x1, x2 never hits the target',
          reads: [0, 1, 2],
          views: [{ fields: [0], table }],
          check: (s) => (weights[0] * table[s[0]] + weights[1] * s[1] + weights[2] * s[2] === target ? 'hit' : null),
        }],
      };
      const ref = referenceExplore(sys, false);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const opts = { strategy, checkDeadlock: false, checkProgress: false } as const;
        const on = check(sys, opts);
        const off = check(sys, { ...opts, incrementalChecks: false });
        expect(on.verdict).toBe(ref.shortestViolation >= 0 ? 'violated' : 'holds');
        expect(on.violation?.trace).toEqual(off.violation?.trace);
        expect(on.stats.distinctStates).toBe(off.stats.distinctStates);
        if (strategy === 'bfs' && on.violation) expect(on.violation.trace.steps.length).toBe(ref.shortestViolation);
      }
    }), { numRuns: runs(200) });
  });

  it('an invariant whose view hides a change it depends on is caught by the view audit (and would make the search miss the violation)', () => {
    // The invariant tells pc 0 from pc 1 although its view puts them in one class.
    const lying = exemption({ calls: 0 }, true);
    const inv: StateInvariant = { ...lying.invariants[0], check: (s) => (s[0] === 1 && s[1] === 0 ? 'pc 1 with x 0' : null) };
    const sys = { ...lying, invariants: [inv] };
    // Full evaluation finds the violation at pc 1; the search trusting the lying view does not.
    expect(check(sys, { checkProgress: false, incrementalChecks: false }).verdict).toBe('violated');
    expect(check(sys, { checkProgress: false }).verdict).toBe('holds');
    expect(viewCounterexamples(inv, [Int32Array.of(0, 0)], () => 3)).toEqual(['x-small: field 0 0 -> 1 (same class 0) turns holds into fails']);
    // The honest invariant passes the audit on every state.
    const honest = exemption({ calls: 0 }, true).invariants[0];
    const all = [0, 1, 2, 3].flatMap((pc) => [0, 5].map((x) => Int32Array.of(pc, x)));
    expect(viewCounterexamples(honest, all, () => 3)).toEqual([]);
  });

  it('refuses a view of a field the invariant does not read, a table that does not cover the field, and views without reads', () => {
    const base = exemption({ calls: 0 }, true);
    const inv = base.invariants[0];
    const with_ = (i: StateInvariant) => ({ ...base, invariants: [i] });
    expect(() => check(with_({ ...inv, reads: [1] }))).toThrow(ModelError);
    expect(() => check(with_({ ...inv, reads: [1] }))).toThrow(/invariant x-small views field 0, which its reads do not list/);
    expect(() => check(with_({ ...inv, views: [{ fields: [0], table: [0, 0, 1] }] }))).toThrow(/invariant x-small's view of field pc does not cover its values 0\.\.3/);
    expect(() => check(with_({ ...inv, views: [{ fields: [0], table: [0, 0, 1, 0] }, { fields: [0], table: [0, 0, 0, 0] }] }))).toThrow(/invariant x-small views field pc twice/);
    const signed = { ...base, fields: [{ name: 'pc', min: -1, max: 3 }, base.fields[1]] };
    expect(() => check(signed)).toThrow(/invariant x-small's view of field pc does not cover its values -1\.\.3/);
    const { reads: _, ...noReads } = inv;
    expect(() => check(with_(noReads))).toThrow(/invariant x-small declares views but no reads/);
  });
});
