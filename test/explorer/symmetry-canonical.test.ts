import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Field, SymmetryGroup } from '../../explorer/index.js';
import { declaredCanonicaliser } from '../../explorer/symmetry.js';
import { expectFieldByFieldRepresentative, orbitLeast, stillSystem } from './symmetry-check.js';
import { runs } from '../fuzz-runs.js';

/**
 * The search canonicalises with renaming tables and an early exit, writing a second state only
 * when a state is not its own representative. It must give the representative the plain
 * field-by-field form gives (every image computed from the declaration, no tables), and say
 * "unchanged" exactly when that form leaves the state as it was.
 */

interface Case { fields: Field[]; groups: SymmetryGroup[]; states: number[][] }

/** Random declarations: 1-2 groups of 2-6 members (6 is sorted, not exact), slots of 1-3
 *  fields, references with offsets, bitsets, ids that are not 0..m-1, some slot and reference
 *  fields wider than a renaming table covers. */
const cases: fc.Arbitrary<Case> = fc.record({
  groupShapes: fc.array(fc.record({ members: fc.integer({ min: 2, max: 6 }), width: fc.integer({ min: 1, max: 3 }), idBase: fc.integer({ min: 0, max: 3 }), refs: fc.integer({ min: 0, max: 2 }), bitsets: fc.integer({ min: 0, max: 1 }) }), { minLength: 1, maxLength: 2 }),
  extra: fc.integer({ min: 0, max: 3 }),
  wide: fc.boolean(),
  seed: fc.array(fc.integer({ min: 0, max: 1 << 20 }), { minLength: 400, maxLength: 400 }),
}).map(({ groupShapes, extra, wide, seed }) => {
  const fields: Field[] = [];
  const add = (min: number, max: number): number => { fields.push({ name: `f${fields.length}`, min, max }); return fields.length - 1; };
  for (let i = 0; i < extra; i++) add(0, 3);
  const groups: SymmetryGroup[] = groupShapes.map((g) => {
    const ids = Array.from({ length: g.members }, (_, i) => g.idBase + i);
    const slots = ids.map(() => Array.from({ length: g.width }, (_, j) => add(j === 0 && wide ? -5 : 0, j === 0 && wide ? 9000 : 3)));
    const references = Array.from({ length: g.refs }, (_, r) => {
      const offset = r === 0 ? 1 : -1;
      // A wide reference has no renaming table: its images are renamed one by one.
      return { field: add(Math.min(0, g.idBase + offset - 1), wide ? 9000 : g.idBase + g.members + offset + 1), offset };
    });
    const bitsets = Array.from({ length: g.bitsets }, () => add(0, (1 << (g.idBase + g.members + 1)) - 1));
    return { slots, ids, references, bitsets };
  });
  let k = 0;
  // A wide field holds a small value (a member's id, near it) every other time.
  const value = (f: Field, x: number): number => f.min + (f.max - f.min > 64 && x % 2 === 0 ? (x >> 1) % 6 : x % (f.max - f.min + 1));
  const states = Array.from({ length: 8 }, () => fields.map((f) => value(f, seed[k++ % seed.length])));
  return { fields, groups, states };
});

/** The fast canonicaliser against the field-by-field one (and the orbit's least state) on c's states. */
function agreesWithReference(c: Case): void {
  const sys = stillSystem(c.fields, c.groups);
  const fast = declaredCanonicaliser(sys)!;
  for (const values of c.states) {
    const got = expectFieldByFieldRepresentative(sys, values);
    const inPlace = Int32Array.from(values);
    fast.inPlace(inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(got));
    // One group tried exhaustively: the representative is the least state of the orbit.
    if (c.groups.length === 1 && c.groups[0].slots.length <= 5) expect(Array.from(got)).toEqual(orbitLeast(c.groups[0], Int32Array.from(values)));
  }
}

describe('fast canonicaliser', () => {
  it('gives the field-by-field representative, and says unchanged exactly when it is the state itself (random declarations)', () => {
    fc.assert(fc.property(cases, (c) => { agreesWithReference(c); }), { numRuns: runs(300) });
  });

  it('two references too wide for a renaming table, one holding 0: renamed one by one, never through a table (a case the random declarations found)', () => {
    agreesWithReference({
      fields: [{ name: 'f0', min: -5, max: 9000 }, { name: 'f1', min: -5, max: 9000 }, { name: 'f2', min: 0, max: 9000 }, { name: 'f3', min: -2, max: 9000 }],
      groups: [{ slots: [[0], [1]], ids: [0, 1], references: [{ field: 2, offset: 1 }, { field: 3, offset: -1 }], bitsets: [] }],
      states: [[-5, -5, 0, -2], [-4, -5, 0, 0]],
    });
  });

  it('two threads swapped by hand: the state with the lesser first slot is kept, its image is written', () => {
    const c: Case = {
      fields: [{ name: 'owner', min: 0, max: 2 }, { name: 'pc[0]', min: 0, max: 3 }, { name: 'pc[1]', min: 0, max: 3 }],
      groups: [{ slots: [[1], [2]], references: [{ field: 0, offset: 1 }] }],
      states: [],
    };
    const fast = declaredCanonicaliser(stillSystem(c.fields, c.groups))!;
    const out = new Int32Array(3);
    // owner = thread 1 + 1; swapping makes owner thread 0 + 1 = 1 < 2: the image wins.
    expect(fast.into(Int32Array.of(2, 0, 3), out)).toBe(true);
    expect(Array.from(out)).toEqual([1, 3, 0]);
    expect(fast.into(Int32Array.of(1, 3, 0), out)).toBe(false);
    // No owner: the lesser pc goes first.
    expect(fast.into(Int32Array.of(0, 2, 1), out)).toBe(true);
    expect(Array.from(out)).toEqual([0, 1, 2]);
  });
});
