import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, ModelError, type SymmetryGroup, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';

/** counters(3, 2) (fields 0..2) with a declared symmetry group. */
const withGroup = (g: SymmetryGroup): TransitionSystem => ({ ...counters(3, 2), symmetry: [{ slots: [[0], [1], [2]] }, g] });

describe('a symmetry declaration that cannot be right is a ModelError naming the group and the fault', () => {
  const cases: [string, SymmetryGroup, string][] = [
    ['members owning different numbers of fields', { slots: [[0], [1, 2]] }, 'symmetry group 1: members own different numbers of fields'],
    ['a slot field past the last field', { slots: [[0], [3]] }, 'symmetry group 1: field 3 does not exist'],
    ['a negative slot field', { slots: [[-1], [0]] }, 'symmetry group 1: field -1 does not exist'],
    ['a reference field that does not exist', { slots: [[0], [1]], references: [{ field: 3, offset: 0 }] }, 'symmetry group 1: reference field 3 does not exist'],
    ['a negative reference field', { slots: [[0], [1]], references: [{ field: -1, offset: 0 }] }, 'symmetry group 1: reference field -1 does not exist'],
    ['a bitset field that does not exist', { slots: [[0], [1]], bitsets: [3] }, 'symmetry group 1: bitset field 3 does not exist'],
    ['a negative bitset field', { slots: [[0], [1]], bitsets: [-1] }, 'symmetry group 1: bitset field -1 does not exist'],
    ['an id that is not an integer', { slots: [[0], [1]], ids: [0, 1.5] }, 'symmetry group 1: ids must be integers 0..2^20'],
    ['a negative id', { slots: [[0], [1]], ids: [-1, 1] }, 'symmetry group 1: ids must be integers 0..2^20'],
    ['an id of 2^20', { slots: [[0], [1]], ids: [0, 2 ** 20] }, 'symmetry group 1: ids must be integers 0..2^20'],
    ['fewer ids than members', { slots: [[0], [1]], ids: [0] }, 'symmetry group 1: ids must name each member once'],
    ['one id for two members', { slots: [[0], [1]], ids: [4, 4] }, 'symmetry group 1: ids must name each member once'],
    ['more ids than members', { slots: [[0], [1]], ids: [0, 1, 1] }, 'symmetry group 1: ids must name each member once'],
    ['a bitset with an id of 31', { slots: [[0], [1]], ids: [0, 31], bitsets: [2] }, 'symmetry group 1: bitset ids must be 0..30'],
  ];
  for (const [what, g, message] of cases) {
    it(what, () => {
      let err: unknown;
      try { check(withGroup(g), { checkProgress: false }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toBe(message);
    });
  }

  it('the largest allowed ids (2^20 - 1; 30 with a bitset) and the field bounds are accepted', () => {
    for (const g of [
      { slots: [[0], [2]], ids: [0, 2 ** 20 - 1], references: [{ field: 1, offset: 0 }] },
      { slots: [[0], [1]], ids: [0, 30], bitsets: [2] },
      { slots: [[0], [2]], references: [{ field: 1, offset: 1 }] },
      { slots: [[1], [2]], references: [{ field: 0, offset: 1 }] },
      { slots: [[1], [2]], bitsets: [0] },
    ]) {
      expect(check(withGroup(g), { checkProgress: false }).verdict).toBe('holds');
    }
  });
});

describe('a bitset that carries what the slots do not', () => {
  /** k threads (ids 0..k-1): pc 0 -> 1 sets the thread's bit in `flags`; pc 1 -> 2 clears it or
   *  keeps it (choice). At pc 2 only the bit tells the two endings apart. With `limit`, the
   *  invariant "fewer than `limit` threads end with their bit set". */
  function flaggers(k: number, limit?: number): TransitionSystem {
    const FLAGS = k;
    return {
      fields: [...Array.from({ length: k }, (_, t) => ({ name: `pc[${t}]`, min: 0, max: 2 })), { name: 'flags', min: 0, max: (1 << k) - 1 }],
      threads: Array.from({ length: k }, (_, t) => `t${t}`),
      labels: ['mark', 'finish'],
      initialStates: () => [new Int32Array(k + 1)],
      actions(s, sink) {
        for (let t = 0; t < k; t++) {
          if (s[t] === 0) sink.push(t, 0, 0);
          else if (s[t] === 1) { sink.push(t, 1, 0); sink.push(t, 1, 1); }
        }
      },
      apply(s, a, next) {
        const t = a.thread;
        next[t] = s[t] + 1;
        if (a.label === 0) next[FLAGS] = s[FLAGS] | (1 << t);
        else if (a.choice === 0) next[FLAGS] = s[FLAGS] & ~(1 << t);
      },
      threadDone: (s, t) => s[t] === 2,
      invariants: limit === undefined ? [] : [{
        name: 'few_kept', description: `fewer than ${limit} threads end with their bit set`,
        check: (s) => (Array.from({ length: k }, (_, t) => s[t] === 2 && ((s[FLAGS] >> t) & 1) === 1).filter(Boolean).length >= limit ? 'too many kept' : null),
      }],
      symmetry: [{ slots: Array.from({ length: k }, (_, t) => [t]), bitsets: [FLAGS] }],
    };
  }

  it('one state per orbit: each thread is in one of 4 local states (pc 0, pc 1, done with or without its bit), so C(k+3, 3) orbits', () => {
    for (const k of [3, 4]) {
      const binom = [1, 4, 10, 20, 35, 56][k] ?? 0;
      expect(check(flaggers(k), { visitedSet: exactSetFactory, checkProgress: false }).stats.distinctStates).toBe(binom);
      expect(check(flaggers(k), { symmetry: false, checkProgress: false }).stats.distinctStates).toBe(4 ** k);
    }
  });

  it('a violation that needs the bits of three threads is found at its shortest depth', () => {
    const r = check(flaggers(4, 3), { checkProgress: false });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.length).toBe(6);
    expect(check(flaggers(4, 5), { checkProgress: false }).verdict).toBe('holds');
  });
});

describe('an empty list of symmetry groups', () => {
  it('declares no symmetry: nothing is reduced and the result says so', () => {
    const r = check({ ...counters(3, 2), symmetry: [] }, { checkProgress: false });
    expect(r.stats.reductions!.symmetry).toBe(false);
    expect(r.stats.distinctStates).toBe(27);
  });
});

describe('a group with no members', () => {
  it('is accepted and reduces nothing: the full count (27) beside no declaration', () => {
    const r = check({ ...counters(3, 2), symmetry: [{ slots: [] }] }, { checkProgress: false });
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBe(check(counters(3, 2), { symmetry: false, checkProgress: false }).stats.distinctStates);
    expect(r.stats.distinctStates).toBe(27);
  });
});
