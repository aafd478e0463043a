import { describe, expect, it } from 'vitest';
import { check, type ActionProperty, type StateInvariant, type TransitionSystem } from '../../explorer/index.js';

/**
 * Incremental checks compare a successor's packed words with its parent's. A step that turns a
 * whole word to zero must be seen as a change: a search that compared with a parent it never
 * packed (all zeros) would take that word for unchanged and skip what reads it.
 */

/** pc (word 0) walks 0 -> 1 -> 2; y, 31 bits wide, has a word of its own: 7 at first, 0 after
 *  the first step. */
function zeroing(invariants: StateInvariant[], actionProperties: ActionProperty[]): TransitionSystem {
  return {
    fields: [{ name: 'pc', min: 0, max: 2 }, { name: 'y', min: 0, max: 2 ** 31 - 1 }],
    threads: ['t'],
    labels: ['step'],
    initialStates: () => [Int32Array.of(0, 7)],
    actions(s, sink) { if (s[0] < 2) sink.push(0, 0, 0); },
    apply(s, _a, next) { next[0] = s[0] + 1; if (s[0] === 0) next[1] = 0; },
    threadDone: (s) => s[0] === 2,
    invariants,
    actionProperties,
  };
}

describe('incremental checks: a word that a step turns to zero', () => {
  it('an invariant reading the field of that word is checked after the step: the violation at depth 1', () => {
    const yNonZero: StateInvariant = { name: 'y-nonzero', description: 'y is never 0', reads: [1], check: (s) => (s[1] !== 0 ? null : 'y is 0') };
    const sys = zeroing([yNonZero], []);
    expect(check(sys, { checkProgress: false, incrementalChecks: false }).violation?.trace.steps.length).toBe(1);
    const r = check(sys, { checkProgress: false });
    expect(r.verdict).toBe('violated');
    expect(r.violation?.invariant).toBe('y-nonzero');
    expect(r.violation!.trace.steps.length).toBe(1);
  });

  it('an action property about changes of that field (no invariant declares reads) is checked on the step', () => {
    const yKept: ActionProperty = {
      name: 'y-kept', description: 'no step changes y', changes: [1],
      check: (before, _a, after) => (before[1] === after[1] ? null : `y went from ${before[1]} to ${after[1]}`),
    };
    const sys = zeroing([], [yKept]);
    expect(check(sys, { checkProgress: false, incrementalChecks: false }).violation?.trace.steps.length).toBe(1);
    const r = check(sys, { checkProgress: false });
    expect(r.verdict).toBe('violated');
    expect(r.violation?.invariant).toBe('y-kept');
    expect(r.violation!.message).toBe('y went from 7 to 0');
  });
});
