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

describe('symmetry: a reference outside its declared range is renamed as the declaration says', () => {
  it('2 to 5 members (generated code and tables): references below and above the declared range get the field-by-field representative', () => {
    for (let m = 2; m <= 5; m++) {
      // Slots 0..m-1; references m (declared 0..0) and m + 1 (declared 1..2), offset 0: the
      // second one's renaming table starts at 1.
      const fields: Field[] = [
        ...Array.from({ length: m }, (_, i) => ({ name: `pc${i}`, min: 0, max: 3 })),
        { name: 'q', min: 0, max: 0 }, { name: 'r', min: 1, max: 2 },
      ];
      const sys = system(fields, [{ slots: Array.from({ length: m }, (_, i) => [i]), references: [{ field: m, offset: 0 }, { field: m + 1, offset: 0 }] }]);
      const fast = declaredCanonicaliser(sys)!;
      const reference = declaredCanonicaliserByTable(sys)!;
      let x = 12345;
      for (let n = 0; n < 200; n++) {
        const state = new Int32Array(m + 2);
        for (let i = 0; i < m + 2; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          // Slots 0..3; references -1..m, mostly outside their declared range.
          state[i] = i < m ? (x >>> 16) % 4 : ((x >>> 16) % (m + 2)) - 1;
        }
        const want = Int32Array.from(state);
        reference(want);
        const out = Int32Array.from(state);
        fast.into(state, out);
        expect(Array.from(out)).toEqual(Array.from(want));
      }
    }
  });
});
