import { describe, expect, it } from 'vitest';
import { check, ModelError, type ActionProperty, type TransitionSystem } from '../../explorer/index.js';

/**
 * Action properties that declare `labels` are checked only on transitions by actions of those
 * labels (and, with `changes` too, only where one of those fields also changed). Counted
 * against the model's own moves: each move's label and the fields it writes are known by
 * construction, independently of the engine's tables.
 */

/** Four 4-bit fields. Move c, enabled only in the initial state, has label `labelOf[c]` and adds
 *  1 to each field listed in `writes[c]`, so every successor is a leaf reached by one move. */
const labelOf = [0, 1, 2, 0, 1, 2];
const writes = [[0], [1], [2, 3], [0, 3], [3], []];

function moves(props: ActionProperty[]): TransitionSystem {
  return {
    fields: Array.from({ length: 4 }, (_, i) => ({ name: `x${i}`, min: 0, max: 15 })),
    threads: ['t'],
    labels: ['a', 'b', 'c'],
    initialStates: () => [new Int32Array(4)],
    actions(s, sink) { if (s.every((v) => v === 0)) writes.forEach((_, c) => sink.push(0, labelOf[c], c)); },
    apply(_s, a, next) { for (const f of writes[a.choice]) next[f] += 1; },
    threadDone: () => true,
    invariants: [],
    actionProperties: props,
  };
}

/** A property that counts the transitions it is checked on and never fails. */
function counting(decl: { labels?: number[]; changes?: number[] }): { prop: ActionProperty; calls: () => number } {
  let n = 0;
  return {
    prop: { name: 'count', description: 'counts its checks', ...decl, check: () => { n++; return null; } },
    calls: () => n,
  };
}

const opts = { checkDeadlock: false, checkProgress: false } as const;
const movesWhere = (p: (c: number) => boolean): number => writes.filter((_, c) => p(c)).length;

describe('action properties with labels are checked only on actions of those labels', () => {
  it('a property about label b is checked on the 2 moves labelled b, one about a and c on the other 4', () => {
    const b = counting({ labels: [1] });
    const ac = counting({ labels: [2, 0] });
    expect(check(moves([b.prop, ac.prop]), opts).verdict).toBe('holds');
    expect(b.calls()).toBe(movesWhere((c) => labelOf[c] === 1));
    expect(ac.calls()).toBe(movesWhere((c) => labelOf[c] !== 1));
  });

  it('with changes as well, only the moves of a listed label that change a listed field (label a, x3: 1 move)', () => {
    const c = counting({ labels: [0], changes: [3] });
    check(moves([c.prop]), opts);
    expect(c.calls()).toBe(movesWhere((k) => labelOf[k] === 0 && writes[k].includes(3)));
  });

  it('an empty list is never checked; a property beside it with no labels on every move; incremental checks off: every property on every move', () => {
    const none = counting({ labels: [] });
    const every = counting({});
    check(moves([none.prop, every.prop]), opts);
    expect([none.calls(), every.calls()]).toEqual([0, writes.length]);
    const c = counting({ labels: [1] });
    check(moves([c.prop]), { ...opts, incrementalChecks: false });
    expect(c.calls()).toBe(writes.length);
  });

  it('past 32 properties each is still tested on its own labels and fields: 32 about label c and x0, x2, x3, a 33rd about label c alone', () => {
    const all = Array.from({ length: 33 }, (_, i) => counting(i === 32 ? { labels: [2] } : { labels: [2], changes: [2, 3, 0] }));
    check(moves(all.map((c) => c.prop)), opts);
    const withFields = movesWhere((k) => labelOf[k] === 2 && writes[k].length > 0);
    expect(all.map((c) => c.calls())).toEqual([...new Array(32).fill(withFields), movesWhere((k) => labelOf[k] === 2)]);
    expect([withFields, movesWhere((k) => labelOf[k] === 2)]).toEqual([1, 2]);
  });

  it('a failing property on a listed label is found: "moves labelled c change no field" breaks on the move writing x2 and x3', () => {
    const still: ActionProperty = {
      name: 'c-still', description: 'moves labelled c change nothing', labels: [2],
      check: (b, a, n) => (a.label === 2 && b.some((v, i) => v !== n[i]) ? 'a move labelled c changed a field' : null),
    };
    const r = check(moves([still]), opts);
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('c-still');
    expect(r.violation!.trace.steps.map((s) => s.action)).toEqual([{ thread: 0, label: 2, choice: 2 }]);
  });

  it('a label that does not exist is a model error naming the property', () => {
    const c = counting({ labels: [3] });
    expect(() => check(moves([{ ...c.prop, name: 'stray' }]), opts)).toThrow(ModelError);
    expect(() => check(moves([{ ...c.prop, name: 'stray' }]), opts)).toThrow('action property stray lists label 3, which does not exist');
  });
});
