import { describe, expect, it } from 'vitest';
import { check, ModelError, type SymmetryGroup, type TransitionSystem } from '../../explorer/index.js';
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
    ]) {
      expect(check(withGroup(g), { checkProgress: false }).verdict).toBe('holds');
    }
  });
});
