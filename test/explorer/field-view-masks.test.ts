import { describe, expect, it } from 'vitest';
import { check, type StateInvariant, type TransitionSystem } from '../../explorer/index.js';

/**
 * The due-invariant masks of incremental checks (explorer/incremental.ts) past the simple
 * cases: more than 32 invariants (a mask of two numbers) where the late invariant is due only
 * through a plain read of a field other than the first, or only through the second view of a
 * field; two views whose tables would share a key if it were built carelessly; an empty list of
 * views. In each, full evaluation (`incrementalChecks: false`) finds the violation, and so must
 * the incremental search, at the same depth.
 */

/** One thread walking pc 0 -> 1 -> 2 -> 3; `effect` writes the other fields of each step. */
function walk(fields: TransitionSystem['fields'], effect: (pc: number, next: Int32Array) => void, invariants: StateInvariant[]): TransitionSystem {
  return {
    fields: [{ name: 'pc', min: 0, max: 3 }, ...fields],
    threads: ['t'],
    labels: ['step'],
    initialStates: () => [new Int32Array(fields.length + 1)],
    actions(s, sink) { if (s[0] < 3) sink.push(0, 0, 0); },
    apply(s, _a, next) { next[0] = s[0] + 1; effect(s[0], next); },
    threadDone: (s) => s[0] === 3,
    invariants,
  };
}

const holds = (name: string, reads: number[]): StateInvariant => ({ name, description: 'holds', reads, check: () => null });

/** Found by full evaluation and by the incremental search alike, at the same depth. */
function expectFoundAtDepth(sys: TransitionSystem, invariant: string, depth: number): void {
  const full = check(sys, { checkProgress: false, incrementalChecks: false });
  expect(full.violation?.invariant).toBe(invariant);
  expect(full.violation!.trace.steps.length).toBe(depth);
  const incremental = check(sys, { checkProgress: false });
  expect(incremental.verdict).toBe('violated');
  expect(incremental.violation?.invariant).toBe(invariant);
  expect(incremental.violation!.trace.steps.length).toBe(depth);
}

describe('incremental checks: the due masks', () => {
  it('the 40th of 40 invariants, reading its field x plainly, is due when x changes (x is field 1: its mask sits past field 0\'s)', () => {
    // Invariants 0..38 read pc only, so field 0's mask has bits in both numbers, and field 1's
    // only the 40th invariant's (in the second number).
    const xSmall: StateInvariant = { name: 'x-small', description: 'x <= 2', reads: [1], check: (s) => (s[1] <= 2 ? null : `x is ${s[1]}`) };
    const others = Array.from({ length: 39 }, (_, k) => holds(`pc-${k}`, [0]));
    const sys = walk([{ name: 'x', min: 0, max: 7 }], (pc, next) => { if (pc === 1) next[1] = 5; }, [...others, xSmall]);
    expectFoundAtDepth(sys, 'x-small', 2);
  });

  it('the 40th invariant, due through the second of two views of pc, is due when pc changes class in its own table', () => {
    // Invariant 38 views pc through [0, 1, 1, 1] (registered first: view entry 0), the 40th
    // through [0, 0, 0, 1] (entry 1): the step to pc 3 changes only the second's class.
    const early: StateInvariant = { name: 'early', description: 'holds', reads: [0], views: [{ fields: [0], table: [0, 1, 1, 1] }], check: () => null };
    const pcEnd: StateInvariant = {
      name: 'pc-not-3', description: 'pc never reaches 3', reads: [0], views: [{ fields: [0], table: [0, 0, 0, 1] }],
      check: (s) => (s[0] === 3 ? 'pc is 3' : null),
    };
    const others = Array.from({ length: 38 }, (_, k) => holds(`x-${k}`, [1]));
    const sys = walk([{ name: 'x', min: 0, max: 1 }], () => {}, [...others, early, pcEnd]);
    expectFoundAtDepth(sys, 'pc-not-3', 3);
  });

  it('two views whose tables would read alike with their entries run together ([1, 1, 2] and [11, 2]) keep their own classes', () => {
    // a's view merges 0 and 1; b's view tells 0 (class 11) from 1 (class 2): b moving 0 -> 1
    // makes "b is 0" due, whatever a's table says.
    const aView: StateInvariant = { name: 'a-any', description: 'holds', reads: [1], views: [{ fields: [1], table: [1, 1, 2] }], check: () => null };
    const bZero: StateInvariant = {
      name: 'b-zero', description: 'b stays 0', reads: [2], views: [{ fields: [2], table: [11, 2] }],
      check: (s) => (s[2] === 0 ? null : `b is ${s[2]}`),
    };
    const sys = walk([{ name: 'a', min: 0, max: 2 }, { name: 'b', min: 0, max: 1 }], (pc, next) => { if (pc === 1) next[2] = 1; }, [aView, bZero]);
    expectFoundAtDepth(sys, 'b-zero', 2);
  });

  it('an invariant with an empty list of views and no reads is accepted and evaluated after every step', () => {
    let calls = 0;
    const everyStep: StateInvariant = { name: 'every-step', description: 'holds', views: [], check: () => { calls++; return null; } };
    const r = check(walk([], () => {}, [everyStep, holds('pc', [0])]), { checkProgress: false });
    expect(r.verdict).toBe('holds');
    expect(calls).toBe(4);
  });
});
