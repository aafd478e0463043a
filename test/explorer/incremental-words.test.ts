import { describe, expect, it } from 'vitest';
import { check, ModelError, type ActionProperty, type StateInvariant, type TransitionSystem } from '../../explorer/index.js';
import { Search } from '../../explorer/search.js';
import { resolveOptions } from '../../explorer/options.js';

/**
 * Incremental checks on states of several packed words: a successor must be compared, word by
 * word, with the packed words of the state it came from, and each successor with its own words
 * in the batch. Every model here has one violating step, which full evaluation
 * (`incrementalChecks: false`) finds; the incremental check must find the same.
 */

/** Fields of 31 bits: one word each. `moves[c]` sets field `field` to `value`, enabled only in
 *  the initial state, so every successor is a leaf. */
function leaves(fields: number, initial: number[], moves: { field: number; value: number }[], extra: Partial<TransitionSystem>): TransitionSystem {
  return {
    fields: Array.from({ length: fields }, (_, i) => ({ name: `x${i}`, min: 0, max: 0x7fffffff })),
    threads: ['t'],
    labels: ['set'],
    initialStates: () => [Int32Array.from(initial)],
    actions(s, sink) { if (s.every((v, i) => v === initial[i])) moves.forEach((_, c) => sink.push(0, 0, c)); },
    apply(_s, a, next) { next[moves[a.choice].field] = moves[a.choice].value; },
    threadDone: () => true,
    invariants: [],
    ...extra,
  };
}

const never = (field: number, value: number): StateInvariant => ({
  name: `x${field}-never-${value}`, description: `x${field} is never ${value}`, reads: [field],
  check: (s) => (s[field] === value ? `x${field} = ${value}` : null),
});

const noRise = (field: number): ActionProperty => ({
  name: `x${field}-no-rise-by-2`, description: `x${field} never rises by 2 in one step`, changes: [field],
  check: (before, _a, after) => (after[field] - before[field] === 2 ? `x${field} rose by 2` : null),
});

const opts = { checkDeadlock: false, checkProgress: false } as const;

function bothFind(sys: TransitionSystem, kind: string, invariant: string): void {
  for (const strategy of ['bfs', 'dfs'] as const) {
    const full = check(sys, { ...opts, strategy, incrementalChecks: false });
    expect(full.verdict).toBe('violated');
    const r = check(sys, { ...opts, strategy });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.kind).toBe(kind);
    expect(r.violation!.invariant).toBe(invariant);
    expect(r.violation!.trace).toEqual(full.violation!.trace);
  }
}

describe('incremental checks on multi-word states', () => {
  it('the expanded state\'s second word is its own: x1 = 7 -> 0 (the word becomes 0) breaks "x1 is never 0"', () => {
    bothFind(leaves(2, [0, 7], [{ field: 1, value: 0 }], { invariants: [never(1, 0)] }), 'invariant', 'x1-never-0');
  });

  it('each successor of a batch is compared with its own words: the third (x1 = 5) breaks "x1 is never 5" after x0 = 1 and x1 = 1', () => {
    bothFind(leaves(2, [0, 0], [{ field: 0, value: 1 }, { field: 1, value: 1 }, { field: 1, value: 5 }], { invariants: [never(1, 5)] }), 'invariant', 'x1-never-5');
  });

  it('an action property declaring changes sees a change in the second word after a successor that left it alone', () => {
    bothFind(leaves(2, [0, 0], [{ field: 0, value: 1 }, { field: 1, value: 2 }], { actionProperties: [noRise(1)] }), 'action', 'x1-no-rise-by-2');
  });

  it('states of more than 32 words: a violated invariant is reported as an invariant', () => {
    const initial = new Array<number>(34).fill(0);
    bothFind(leaves(34, initial, [{ field: 0, value: 1 }, { field: 33, value: 3 }], { invariants: [never(0, 9), never(33, 3)] }), 'invariant', 'x33-never-3');
  });

  it('refuses reads and changes of fields -1, 0.5 and one past the last, naming the check', () => {
    for (const f of [-1, 0.5, 2]) {
      const bad = leaves(2, [0, 0], [{ field: 0, value: 1 }], { invariants: [{ ...never(0, 9), reads: [f] }] });
      expect(() => check(bad, opts)).toThrow(ModelError);
      expect(() => check(bad, opts)).toThrow(`invariant x0-never-9 reads field ${f}, which does not exist`);
      const badChange = leaves(2, [0, 0], [{ field: 0, value: 1 }], { actionProperties: [{ ...noRise(0), changes: [f] }] });
      expect(() => check(badChange, opts)).toThrow(`action property x0-no-rise-by-2 changes field ${f}, which does not exist`);
    }
  });

  it('a caller that writes the state to expand itself after an expansion is compared with that state, not the one loaded before', () => {
    // x1 counts up; "x1 is never 5". Loaded (0, 5) and expanded, then (0, 4) written by hand:
    // its successor (0, 5) changes x1's word relative to (0, 4), though not to (0, 5).
    const sys: TransitionSystem = {
      ...leaves(2, [0, 0], [], { invariants: [never(1, 5)] }),
      actions(s, sink) { if (s[1] < 9) sink.push(0, 0, 0); },
      apply(s, _a, next) { next[1] = s[1] + 1; },
    };
    const search = new Search(sys, resolveOptions(opts));
    const loaded = new Uint32Array(search.words);
    search.layout.pack(Int32Array.of(0, 5), loaded, 0);
    search.loadState(loaded, 0);
    search.enumerate(search.cur);
    expect(search.successors(-1, true)).toBe(1);
    search.cur.set([0, 4]);
    search.enumerate(search.cur);
    expect(search.successors(-1, true)).toBe(-1);
    expect(search.finding!.invariant).toBe('x1-never-5');
  });
});
