import { describe, expect, it } from 'vitest';
import type { Field, SymmetryGroup, TransitionSystem } from '../../explorer/index.js';
import { declaredCanonicaliser, declaredCanonicaliserByTable } from '../../explorer/symmetry.js';

/**
 * Only the fields a group declares as references or bitsets are renamed; a member's own slot
 * fields are moved, never renamed, whatever values they hold. The expected representatives are
 * worked out by hand.
 */
function system(fields: Field[], symmetry: SymmetryGroup[] | undefined): TransitionSystem {
  return {
    fields, threads: ['t'], labels: ['x'],
    initialStates: () => [Int32Array.from(fields, (f) => f.min)],
    actions: () => {}, apply: () => {}, threadDone: () => true, invariants: [],
    symmetry,
  };
}

describe('symmetry: slot fields are moved, not renamed', () => {
  it('six members (sorted) whose slots hold values just above -2^31, where a reference offset would read them as ids: the slots come out sorted and unchanged', () => {
    const min = -0x80000000;
    const fields = Array.from({ length: 6 }, (_, i) => ({ name: `pc${i}`, min, max: min + 9 }));
    const sys = system(fields, [{ slots: fields.map((_, i) => [i]) }]);
    // Values min + 6 .. min + 1: as ids (value - min) they would name members 1..5.
    const state = Int32Array.from({ length: 6 }, (_, i) => min + 6 - i);
    const want = Array.from({ length: 6 }, (_, i) => min + 1 + i);
    const out = new Int32Array(6);
    expect(declaredCanonicaliser(sys)!.into(state, out)).toBe(true);
    expect(Array.from(out)).toEqual(want);
    const t = Int32Array.from(state);
    declaredCanonicaliserByTable(sys)!(t);
    expect(Array.from(t)).toEqual(want);
  });

  it('three members (exact) holding values just above -2^31 are permuted as they are', () => {
    const min = -0x80000000;
    const fields = Array.from({ length: 3 }, (_, i) => ({ name: `pc${i}`, min, max: min + 9 }));
    const sys = system(fields, [{ slots: [[0], [1], [2]] }]);
    const out = new Int32Array(3);
    expect(declaredCanonicaliser(sys)!.into(Int32Array.of(min + 2, min + 0, min + 1), out)).toBe(true);
    expect(Array.from(out)).toEqual([min, min + 1, min + 2]);
  });

  it('without declared groups there is no canonicaliser, by either construction', () => {
    const fields = [{ name: 'a', min: 0, max: 3 }];
    expect(declaredCanonicaliser(system(fields, undefined))).toBeUndefined();
    expect(declaredCanonicaliser(system(fields, []))).toBeUndefined();
    expect(declaredCanonicaliserByTable(system(fields, undefined))).toBeUndefined();
    expect(declaredCanonicaliserByTable(system(fields, []))).toBeUndefined();
  });
});
