import { describe, expect, it } from 'vitest';
import { declaredCanonicaliser, declaredCanonicaliserByTable } from '../../explorer/symmetry.js';
import type { SymmetryGroup, TransitionSystem } from '../../explorer/index.js';

/**
 * Members named by ids with gaps (e.g. threads 0, 2 and 4 of five): a reference holding a
 * number between two ids names no member and must be left alone by every permutation. Expected
 * images are worked out by hand: the canonical form is the least image in field order.
 */
function system(group: SymmetryGroup, fields: number): TransitionSystem {
  return {
    fields: Array.from({ length: fields }, (_, i) => ({ name: `f${i}`, min: 0, max: 9 })),
    threads: ['t'],
    labels: ['none'],
    initialStates: () => [new Int32Array(fields)],
    actions() {},
    apply() {},
    symmetry: [group],
  };
}

describe('symmetry: a reference to a number that names no member is left alone', () => {
  it('two members with ids 0 and 2: swapping them renames references to 0 and 2, never 1', () => {
    // Fields: slot of member 0 (id 0), slot of member 1 (id 2), a reference (offset 0).
    const sys = system({ slots: [[0], [1]], ids: [0, 2], references: [{ field: 2, offset: 0 }] }, 3);
    // (5, 3) sorts to (3, 5) by swapping the members: a reference to id 0 becomes 2 and back.
    const cases: [number[], number[]][] = [
      [[5, 3, 1], [3, 5, 1]],
      [[5, 3, 0], [3, 5, 2]],
      [[5, 3, 2], [3, 5, 0]],
      [[5, 3, 3], [3, 5, 3]],
      [[3, 5, 1], [3, 5, 1]],
    ];
    const canon = declaredCanonicaliser(sys)!;
    const byTable = declaredCanonicaliserByTable(sys)!;
    for (const [state, expected] of cases) {
      const s = Int32Array.from(state);
      canon.inPlace(s);
      expect(Array.from(s)).toEqual(expected);
      const t = Int32Array.from(state);
      byTable(t);
      expect(Array.from(t)).toEqual(expected);
    }
  });

  it('six members (sorted, not enumerated) with ids 1, 3, .., 11 and offset 1: a reference to an even id plus one stays', () => {
    // Slots hold 6..1 descending: sorting reverses the members, so member i becomes member 5 - i.
    const ids = [1, 3, 5, 7, 9, 11];
    const sys: TransitionSystem = {
      ...system({ slots: ids.map((_, i) => [i]), ids, references: [{ field: 6, offset: 1 }, { field: 7, offset: 1 }] }, 8),
      fields: [...Array.from({ length: 6 }, (_, i) => ({ name: `s${i}`, min: 0, max: 9 })), { name: 'r0', min: 0, max: 13 }, { name: 'r1', min: 0, max: 13 }],
    };
    const canon = declaredCanonicaliser(sys)!;
    // r0 = 3 names nobody (id 2 is not a member); r1 = 2 names id 1 = member 0 -> member 5 = id 11 -> 12.
    const s = Int32Array.of(6, 5, 4, 3, 2, 1, 3, 2);
    canon.inPlace(s);
    expect(Array.from(s)).toEqual([1, 2, 3, 4, 5, 6, 3, 12]);
    const t = Int32Array.of(6, 5, 4, 3, 2, 1, 3, 2);
    declaredCanonicaliserByTable(sys)!(t);
    expect(Array.from(t)).toEqual([1, 2, 3, 4, 5, 6, 3, 12]);
  });
});
