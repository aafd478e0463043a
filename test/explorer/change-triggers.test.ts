import { describe, expect, it } from 'vitest';
import { check, type ActionProperty, type TransitionSystem } from '../../explorer/index.js';

/**
 * Action properties that declare `changes` are checked only on transitions that change one of
 * those fields, decided field by field even where fields share a packed word (each field's own
 * bits). Counted against the model's own moves: which fields each move writes is known by
 * construction, independently of the engine's layout.
 */

/** Four 4-bit fields (one packed word). Move c, enabled only in the initial state, adds 1 to
 *  each field listed in `writes[c]`, so every successor is a leaf reached by one move. */
function oneWord(writes: number[][], props: ActionProperty[]): TransitionSystem {
  return {
    fields: Array.from({ length: 4 }, (_, i) => ({ name: `x${i}`, min: 0, max: 15 })),
    threads: ['t'],
    labels: ['move'],
    initialStates: () => [new Int32Array(4)],
    actions(s, sink) { if (s.every((v) => v === 0)) writes.forEach((_, c) => sink.push(0, 0, c)); },
    apply(_s, a, next) { for (const f of writes[a.choice]) next[f] += 1; },
    threadDone: () => true,
    invariants: [],
    actionProperties: props,
  };
}

/** A property about fields `changes` that counts the transitions it is checked on and never fails. */
function counting(changes: number[] | undefined): { prop: ActionProperty; calls: () => number } {
  let n = 0;
  return {
    prop: { name: 'count', description: 'counts its checks', ...(changes !== undefined ? { changes } : {}), check: () => { n++; return null; } },
    calls: () => n,
  };
}

const writes = [[0], [1], [2, 3], [0, 3], [3]];
const opts = { checkDeadlock: false, checkProgress: false } as const;

describe('action properties with changes, field by field in a shared word', () => {
  it('a property about x1 is checked only on the one move that writes x1, though every move writes its word', () => {
    const c = counting([1]);
    expect(check(oneWord(writes, [c.prop]), opts).verdict).toBe('holds');
    expect(c.calls()).toBe(writes.filter((w) => w.includes(1)).length);
  });

  it('a property about x0 and x3 is checked on the moves that write either (3 of 5)', () => {
    const c = counting([0, 3]);
    check(oneWord(writes, [c.prop]), opts);
    expect(c.calls()).toBe(writes.filter((w) => w.includes(0) || w.includes(3)).length);
  });

  it('a property that declares no changes is checked on every move; with incremental checks off every property is', () => {
    const none = counting(undefined);
    check(oneWord(writes, [none.prop]), opts);
    expect(none.calls()).toBe(writes.length);
    const about1 = counting([1]);
    check(oneWord(writes, [about1.prop]), { ...opts, incrementalChecks: false });
    expect(about1.calls()).toBe(writes.length);
  });

  it('past 32 properties each is still tested on its own fields: 33 properties about x1 are each checked once', () => {
    const all = Array.from({ length: 33 }, () => counting([1]));
    check(oneWord(writes, all.map((c) => c.prop)), opts);
    expect(all.map((c) => c.calls())).toEqual(new Array(33).fill(1));
  });

  it('a property about x2 that fails is still found: the move writing x2 and x3 breaks "x2 never changes"', () => {
    const x2Kept: ActionProperty = {
      name: 'x2-kept', description: 'x2 never changes', changes: [2],
      check: (b, _a, a) => (b[2] !== a[2] ? 'x2 changed' : null),
    };
    const r = check(oneWord(writes, [x2Kept]), opts);
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('x2-kept');
    expect(r.violation!.trace.steps.length).toBe(1);
  });
});
