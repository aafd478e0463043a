import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateLayout, type Field, type SymmetryGroup, type TransitionSystem } from '../../explorer/index.js';
import { declaredCanonicaliser, declaredCanonicaliserByTable, packedCanonicaliser } from '../../explorer/symmetry.js';
import { runs } from '../fuzz-runs.js';

/**
 * The search's fused canonicaliser (the representative's packed words straight from the state)
 * against the reference form (`declaredCanonicaliserByTable`: every permutation's image
 * computed field by field from the declaration), whose representative `pack` then packs. Same
 * answer (own representative or not) and same words, on random states of groups whose slots,
 * owner references and reader bitsets lie in several words among fields the group does not
 * touch. Every canonicaliser is built inside its test: a mutant is switched on only while a
 * test runs.
 */

function system(fields: Field[], group: SymmetryGroup): TransitionSystem {
  return {
    fields,
    threads: ['t0'],
    labels: ['none'],
    initialStates: () => [new Int32Array(fields.length)],
    actions: () => {},
    apply: () => {},
    threadDone: () => true,
    invariants: [],
    symmetry: [group],
  };
}

/** Random states, each field drawn from its whole range or from `special` values (the numbers
 *  that name members, so that references and bitsets are renamed often). */
function states(fields: Field[], special: Record<number, number[]> = {}): fc.Arbitrary<Int32Array> {
  return fc.tuple(...fields.map((f, i) => {
    const all = fc.integer({ min: f.min, max: f.max });
    const s = (special[i] ?? []).concat([f.min, f.max]);
    return fc.oneof(all, fc.constantFrom(...s));
  })).map((v) => Int32Array.from(v));
}

/** The packed canonicaliser's words and answer against pack(reference representative). */
function agreesWithReference(sys: TransitionSystem, arb: fc.Arbitrary<Int32Array>, n: number): void {
  const layout = new StateLayout(sys.fields);
  const packed = packedCanonicaliser(sys, layout);
  expect(packed).not.toBeNull();
  const byTable = declaredCanonicaliserByTable(sys)!;
  const W = layout.wordsPerState;
  fc.assert(fc.property(arb, (s) => {
    const words = new Uint32Array(W + 2).fill(0xdeadbeef);
    layout.pack(s, words, 1);
    const rep = Int32Array.from(s);
    byTable(rep);
    const changed = rep.some((v, i) => v !== s[i]);
    const out = new Uint32Array(W).fill(0x5a5a5a5a);
    const before = Int32Array.from(s);
    expect(packed!(s, words, 1, out)).toBe(changed);
    expect(Array.from(s)).toEqual(Array.from(before));
    if (!changed) return;
    const expected = new Uint32Array(W);
    layout.pack(rep, expected, 0);
    expect(Array.from(out)).toEqual(Array.from(expected));
  }), { numRuns: runs(n) });
}

/** Three members with slots (pc 0..20, local -1..5); owners 0..3 (0: none, member i + 1) and a
 *  reader set (bits 0..2) between 13-bit fillers, so the touched fields share words with
 *  untouched ones and spread over several words. */
const threeFields: Field[] = [
  { name: 'fill0', min: 0, max: 8191 },
  ...[0, 1, 2].flatMap((i) => [{ name: `t${i}.pc`, min: 0, max: 20 }, { name: `t${i}.local`, min: -1, max: 5 }]),
  { name: 'fill1', min: 0, max: 8191 },
  { name: 'lockA.owner', min: 0, max: 3 },
  { name: 'fill2', min: 0, max: 8191 },
  { name: 'lockB.owner', min: 0, max: 3 },
  { name: 'readers', min: 0, max: 7 },
  { name: 'fill3', min: -5, max: 8191 },
];
const threeGroup: SymmetryGroup = { slots: [[1, 2], [3, 4], [5, 6]], references: [{ field: 8, offset: 1 }, { field: 10, offset: 1 }], bitsets: [11] };
const three = system(threeFields, threeGroup);

/** Two members named 5 and 9 with negative-min slots; a reference too wide for a renaming
 *  table (-5..70000, offset -10: -5 and -1 name members), a narrow one (offset 2: 7 and 11), a
 *  bitset too wide for a table and wide fillers, so that the state takes several words and the
 *  touched fields lie in words of their own and in words shared with fillers. */
const wideFields: Field[] = [
  { name: 'x', min: -3, max: 3 },
  { name: 'm5.a', min: -100, max: 100 },
  { name: 'm5.b', min: -1, max: 0 },
  { name: 'fill0', min: 0, max: (1 << 22) - 1 },
  { name: 'm9.a', min: -100, max: 100 },
  { name: 'm9.b', min: -1, max: 0 },
  { name: 'wideRef', min: -5, max: 70000 },
  { name: 'fill1', min: 0, max: (1 << 30) - 1 },
  { name: 'narrowRef', min: 0, max: 15 },
  { name: 'wideSet', min: 0, max: (1 << 16) - 1 },
  { name: 'fill2', min: -(1 << 20), max: 1 << 20 },
  { name: 'y', min: -7, max: 7 },
];
const wideGroup: SymmetryGroup = { slots: [[1, 2], [4, 5]], ids: [5, 9], references: [{ field: 6, offset: -10 }, { field: 8, offset: 2 }], bitsets: [9] };
const wide = system(wideFields, wideGroup);
const wideSpecial = { 1: [-1, 0, 1], 4: [-1, 0, 1], 6: [-5, -1, 0], 8: [7, 11], 9: [0, 1 << 5, 1 << 9, (1 << 5) | (1 << 9), (1 << 5) | 3, (1 << 9) | 4] };

describe('the packed canonicaliser', () => {
  it('spreads the three-member group over several words that it shares with untouched fields', () => {
    const layout = new StateLayout(threeFields);
    const touched = declaredCanonicaliser(three)!.touched;
    const words = new Set(touched.map((i) => layout.wordOf(i)));
    expect(words.size).toBeGreaterThan(1);
    expect(threeFields.some((_, i) => words.has(layout.wordOf(i)) && !touched.includes(i))).toBe(true);
  });

  it('three members, owner references and a reader bitset: the packed words of the reference representative, and whether the state is its own', () => {
    agreesWithReference(three, states(threeFields, { 8: [0, 1, 2, 3], 10: [0, 1, 2, 3] }), 2000);
  });

  it('the wide fixture takes more than four words, with an untouched word between touched ones', () => {
    const layout = new StateLayout(wideFields);
    expect(layout.wordsPerState).toBeGreaterThan(4);
    const touched = new Set(declaredCanonicaliser(wide)!.touched.map((i) => layout.wordOf(i)));
    expect(touched.size).toBeGreaterThan(1);
    expect(Array.from({ length: layout.wordsPerState }, (_, w) => w).some((w) => !touched.has(w) && w > Math.min(...touched) && w < Math.max(...touched))).toBe(true);
  });

  it('two members with gapped ids, negative minimums, references and a bitset too wide for tables: the packed words of the reference representative', () => {
    agreesWithReference(wide, states(wideFields, wideSpecial), 2000);
  });

  it('a fixed state of the wide fixture: the members swapped, both references and the bitset renamed (hand-computed)', () => {
    const layout = new StateLayout(wideFields);
    const packed = packedCanonicaliser(wide, layout)!;
    // Member 5 at (7, 0), member 9 at (-3, -1): swapping puts (-3, -1) first, which is less.
    // wideRef -5 names member 5 (id 5 - 10), becomes -1; narrowRef 11 names 9, becomes 7;
    // wideSet bit 5 (member 5) becomes bit 9, other bits stay.
    const s = Int32Array.from([2, 7, 0, 12345, -3, -1, -5, 123456, 11, (1 << 5) | 1, 999, -7]);
    const rep = Int32Array.from([2, -3, -1, 12345, 7, 0, -1, 123456, 7, (1 << 9) | 1, 999, -7]);
    const words = new Uint32Array(layout.wordsPerState);
    layout.pack(s, words, 0);
    const out = new Uint32Array(layout.wordsPerState);
    expect(packed(s, words, 0, out)).toBe(true);
    const expected = new Uint32Array(layout.wordsPerState);
    layout.pack(rep, expected, 0);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('two one-field members sharing one word with everything: the packed words of the reference representative', () => {
    const fields: Field[] = [{ name: 'a', min: 0, max: 3 }, { name: 'b', min: 0, max: 3 }, { name: 'owner', min: -1, max: 1 }, { name: 'z', min: 0, max: 9 }];
    agreesWithReference(system(fields, { slots: [[0], [1]], references: [{ field: 2, offset: 0 }] }), states(fields), 300);
  });

  it('an image outside a field\'s range is refused with the error pack gives the reference representative', () => {
    // The members' pc fields have different ranges: the least image moves 15 into 0..10.
    const fields: Field[] = [{ name: 't0.pc', min: 0, max: 20 }, { name: 't1.pc', min: 0, max: 10 }];
    const sys = system(fields, { slots: [[0], [1]] });
    const layout = new StateLayout(fields);
    const packed = packedCanonicaliser(sys, layout)!;
    const s = Int32Array.from([15, 0]);
    const rep = Int32Array.from(s);
    declaredCanonicaliserByTable(sys)!(rep);
    expect(Array.from(rep)).toEqual([0, 15]);
    let message = '';
    try { layout.pack(rep, new Uint32Array(layout.wordsPerState), 0); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/t1\.pc/);
    const words = new Uint32Array(layout.wordsPerState);
    layout.pack(s, words, 0);
    expect(() => packed(s, words, 0, new Uint32Array(layout.wordsPerState))).toThrow(message);
  });

  it('applies to one declared group of any size: none for no groups, two groups, a model canonicalise', () => {
    const layout = new StateLayout(threeFields);
    expect(packedCanonicaliser(three, layout)).not.toBeNull();
    expect(packedCanonicaliser({ ...three, symmetry: undefined }, layout)).toBeNull();
    expect(packedCanonicaliser({ ...three, symmetry: [] }, layout)).toBeNull();
    expect(packedCanonicaliser({ ...three, symmetry: [threeGroup, { slots: [[0], [12]] }] }, layout)).toBeNull();
    expect(packedCanonicaliser({ ...three, canonicalise: () => {} }, layout)).toBeNull();
    const fields: Field[] = Array.from({ length: 6 }, (_, i) => ({ name: `t${i}.pc`, min: 0, max: 3 }));
    const l6 = new StateLayout(fields);
    expect(packedCanonicaliser(system(fields, { slots: [[0], [1], [2], [3]] }), l6)).not.toBeNull();
    expect(packedCanonicaliser(system(fields, { slots: fields.map((_, i) => [i]) }), l6)).not.toBeNull();
    expect(packedCanonicaliser(system(fields, { slots: [[0], [1], [2]] }), l6)).not.toBeNull();
  });
});

/** `members` members with slots (pc 0..3, local -1..1, narrow so that members are often equal)
 *  between 13-bit fillers, owners (0: none, member i + 1), a frame-like encoded reference
 *  (member << 2 | index, -1: none) and a reader set, spread over several words. */
function manyFields(members: number): { fields: Field[]; group: SymmetryGroup; special: Record<number, number[]> } {
  const fields: Field[] = [{ name: 'fill0', min: 0, max: 8191 }];
  const slots = Array.from({ length: members }, (_, i) => {
    const pc = fields.push({ name: `t${i}.pc`, min: 0, max: 3 }) - 1;
    const local = fields.push({ name: `t${i}.local`, min: -1, max: 1 }) - 1;
    if (i === 2) fields.push({ name: 'fill1', min: 0, max: 8191 });
    return [pc, local];
  });
  const owner = fields.push({ name: 'lock.owner', min: 0, max: members }) - 1;
  fields.push({ name: 'fill2', min: 0, max: 8191 });
  const obj = fields.push({ name: 'obj', min: -1, max: (members << 2) - 1 }) - 1;
  const readers = fields.push({ name: 'readers', min: 0, max: (1 << members) - 1 }) - 1;
  fields.push({ name: 'fill3', min: -5, max: 8191 });
  const group: SymmetryGroup = { slots, references: [{ field: owner, offset: 1 }, { field: obj, offset: 0, shift: 2 }], bitsets: [readers] };
  const special: Record<number, number[]> = { [owner]: [0, 0, 1, 2], [obj]: [-1, -1, 1, 6, 9], [readers]: [0, 0, 1, 5] };
  for (const slot of slots) { special[slot[0]] = [0, 0, 1]; special[slot[1]] = [0, 0, -1]; }
  return { fields, group, special };
}

describe('the packed canonicaliser of groups without per-permutation code', () => {
  for (const members of [4, 5, 6, 7]) {
    it(`${members} members (${members <= 5 ? 'exact, through tables' : 'sorted'}), an owner, an encoded reference and a reader set: the packed words of the reference representative, and whether the state is its own`, () => {
      const { fields, group, special } = manyFields(members);
      agreesWithReference(system(fields, group), states(fields, special), 400);
    });
  }
});
