import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Field, SymmetryGroup, SymmetryReference } from '../../explorer/index.js';
import { declaredCanonicaliser } from '../../explorer/symmetry.js';
import { expectFieldByFieldRepresentative, orbitLeast, orbitOf, stillSystem } from './symmetry-check.js';
import { runs } from '../fuzz-runs.js';

/**
 * The canonicaliser's shortcuts for groups of four members or more: exact groups (4-5 members)
 * skip the permutations that only reorder equal members nothing names and read once the
 * leading fields every image shares; sorted groups (6 or more) sort in place and stop at once when
 * the members are already in order. Pools of page frames are like this: most frames free and
 * equal, most references unset. The states below are drawn the same way (slot values 0..1,
 * references often naming no member) so that the shortcuts fire, and the representative must
 * be the field-by-field one (declaredCanonicaliserByTable) and, for exact groups, the least
 * state of the orbit closed by hand-written swaps.
 */

type RefKind = 'plain' | 'encoded' | 'tagged' | 'named';
interface Case { fields: Field[]; group: SymmetryGroup; states: number[][] }

const SHIFT = 2;

function encode(r: SymmetryReference, number: number, low: number): number {
  return (number << (r.shift ?? 0) | low) + r.offset;
}

const cases = (members: { min: number; max: number }): fc.Arbitrary<Case> => fc.record({
  m: fc.integer(members),
  width: fc.integer({ min: 1, max: 3 }),
  slotRef: fc.boolean(),
  refKinds: fc.array(fc.constantFrom<RefKind>('plain', 'encoded', 'tagged', 'named'), { maxLength: 3 }),
  bitset: fc.boolean(),
  idBase: fc.integer({ min: 0, max: 2 }),
  seed: fc.array(fc.integer({ min: 0, max: 1 << 20 }), { minLength: 600, maxLength: 600 }),
}).map(({ m, width, slotRef, refKinds, bitset, idBase, seed }) => {
  const fields: Field[] = [];
  const add = (min: number, max: number): number => { fields.push({ name: `f${fields.length}`, min, max }); return fields.length - 1; };
  const ids = Array.from({ length: m }, (_, i) => idBase + i);
  const names = ids.map((_, i) => [100 + 2 * i, 101 + 2 * i]);
  // A leading field outside the group, then the slots: the lead the shortcut skips may end anywhere.
  add(0, 1);
  const slots = ids.map(() => Array.from({ length: width }, (_, j) => (j === 0 && slotRef ? add(-1, idBase + m) : add(0, 1))));
  const references: SymmetryReference[] = [];
  // The first slot field of every member may itself be a reference (a page's next page).
  if (slotRef) for (const slot of slots) references.push({ field: slot[0], offset: 0 });
  for (const kind of refKinds) {
    const r: SymmetryReference = kind === 'plain' ? { field: 0, offset: 1 }
      : kind === 'encoded' ? { field: 0, offset: 0, shift: SHIFT }
        : kind === 'tagged' ? { field: 0, offset: 0, shift: 1, tag: 1 }
          : { field: 0, offset: 0, names };
    const hi = encode(r, kind === 'named' ? 101 + 2 * m : idBase + m + 1, (1 << (r.shift ?? 0)) - 1);
    references.push({ ...r, field: add(-1, hi) });
  }
  const bitsets = bitset ? [add(0, (1 << (idBase + m + 1)) - 1)] : [];
  add(0, 1);
  const group: SymmetryGroup = { slots, ids, references, bitsets };
  let k = 0;
  const next = (n: number) => seed[k++ % seed.length] % n;
  const value = (i: number): number => {
    const r = references.find((x) => x.field === i);
    if (r !== undefined) {
      // Half the time no member: unset (-1), or a number between the members' numbers.
      if (next(2) === 0) return next(2) === 0 ? -1 : fields[i].min < 0 && r.names === undefined && r.shift === undefined ? Math.min(fields[i].max, idBase + m + r.offset) : -1;
      const member = next(m);
      const low = r.tag ?? next(1 << (r.shift ?? 0));
      return encode(r, r.names ? names[member][next(2)] : ids[member], low);
    }
    if (bitsets.includes(i)) return next(3) === 0 ? 0 : next(fields[i].max + 1);
    return next(4) === 0 ? 1 : 0;
  };
  const states = Array.from({ length: 6 }, () => fields.map((_, i) => value(i)));
  return { fields, group, states };
});

function agrees(c: Case, exact: boolean): void {
  const sys = stillSystem(c.fields, [c.group]);
  for (const values of c.states) {
    const got = expectFieldByFieldRepresentative(sys, values);
    const state = Int32Array.from(values);
    expect(orbitOf(c.group, state).has(got.join(','))).toBe(true);
    if (exact) expect(Array.from(got)).toEqual(orbitLeast(c.group, state));
  }
}

describe('canonicalising groups of four members or more, on states where many members are equal and unnamed', () => {
  it('exact groups (4-5 members): the least state of the orbit, the field-by-field representative, "unchanged" exactly when it is the state', () => {
    fc.assert(fc.property(cases({ min: 4, max: 5 }), (c) => { agrees(c, true); }), { numRuns: runs(150) });
  });

  it('sorted groups (6 members): the field-by-field representative, in the state\'s own orbit', () => {
    fc.assert(fc.property(cases({ min: 6, max: 6 }), (c) => { agrees(c, false); }), { numRuns: runs(25) });
  });

  it('five members, two equal, one of them named by a reference: the named one takes the first place, where the reference is least', () => {
    // Slots: one field per member; field 5 names a member (offset 1: 0 names none).
    const c: Case = {
      fields: [...Array.from({ length: 5 }, (_, i) => ({ name: `m${i}`, min: 0, max: 3 })), { name: 'ptr', min: 0, max: 5 }],
      group: { slots: [[0], [1], [2], [3], [4]], references: [{ field: 5, offset: 1 }] },
      states: [],
    };
    const fast = declaredCanonicaliser(stillSystem(c.fields, [c.group]))!;
    const out = new Int32Array(6);
    // Members 1 and 3 hold 0; ptr = 4 names member 3. The least image sorts the values
    // (0, 0, 1, 2, 3) and, of the two ways to place the zeros, puts member 3 first: ptr = 1.
    expect(fast.into(Int32Array.of(3, 0, 1, 0, 2, 4), out)).toBe(true);
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 3, 1]);
    expect(fast.into(Int32Array.of(0, 0, 1, 2, 3, 1), out)).toBe(false);
    // Nothing named: the zeros are interchangeable, the sorted state is its own representative.
    expect(fast.into(Int32Array.of(3, 0, 1, 0, 2, 0), out)).toBe(true);
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 3, 0]);
    expect(fast.into(Int32Array.of(0, 0, 1, 2, 3, 0), out)).toBe(false);
  });
});
