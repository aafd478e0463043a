import { describe, expect, it } from 'vitest';
import { ModelError, type Field, type SymmetryGroup, type SymmetryReference, type TransitionSystem } from '../../explorer/index.js';
import { declaredCanonicaliser, declaredCanonicaliserByTable } from '../../explorer/symmetry.js';
import { stillSystem, swapMembers } from './symmetry-check.js';

/**
 * The shortcuts of exact groups (4-5 members: idle equal members, the shared leading fields, the
 * first differing field) must keep the LEAST state of the orbit as representative: a sound but
 * larger image would split one orbit into several states and change the counts. The states here
 * are built so that each shortcut matters: equal members that a reference or bitset names,
 * tagged words whose low part is not the tag, references numbered by `names` in an order unlike
 * the members' (so the least number is not member 0's), ids in an order unlike the members', and
 * references and bitsets placed BEFORE the slots so they are the first field that differs.
 * Everything is built inside each test (Stryker activates a mutant only while a test runs).
 */

/** A small deterministic generator (mulberry32). */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

/** The least state of the orbit of `s`, closed over hand-written swaps of neighbouring members. */
function orbitLeast(g: SymmetryGroup, s: Int32Array): Int32Array {
  const seen = new Map([[s.join(','), s]]);
  const todo = [s];
  let least = s;
  const less = (a: Int32Array, b: Int32Array) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i]; return false; };
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (less(x, least)) least = x;
    for (let a = 0; a + 1 < g.slots.length; a++) {
      const y = swapMembers(g, x, a, a + 1);
      const key = y.join(',');
      if (!seen.has(key)) { seen.set(key, y); todo.push(y); }
    }
  }
  return least;
}

type RefKind = 'plain' | 'encoded' | 'tagged' | 'tag0' | 'named';

interface Layout { m: number; width: number; refsFirst: boolean; slotRef: boolean; kinds: RefKind[]; bitset: boolean; ids: number[] }

/** Fields, group and a state drawer for one layout. Reference values cover the whole field
 *  range: unset, numbers naming no member, wrong tags, every member's numbers. */
function build(l: Layout): { fields: Field[]; group: SymmetryGroup; draw: (next: (n: number) => number) => Int32Array } {
  const fields: Field[] = [];
  const add = (min: number, max: number): number => { fields.push({ name: `f${fields.length}`, min, max }); return fields.length - 1; };
  // Member i's numbers in order unlike the members': the least first number is member m-1's,
  // the least second one member 0's.
  const names = Array.from({ length: l.m }, (_, i) => [2 * (l.m - 1 - i) + 1, 2 * i + 2]);
  const maxId = Math.max(...l.ids);
  const references: SymmetryReference[] = [];
  const refFields = (): void => {
    for (const kind of l.kinds) {
      const r: SymmetryReference = kind === 'plain' ? { field: 0, offset: 1 }
        : kind === 'encoded' ? { field: 0, offset: 3, shift: 2 }
          : kind === 'tagged' ? { field: 0, offset: 0, shift: 1, tag: 1 }
            // A tag of 0: a word with any other low part holds something else.
            : kind === 'tag0' ? { field: 0, offset: 2, shift: 2, tag: 0 }
            : { field: 0, offset: 0, names };
      const top = kind === 'named' ? 2 * l.m + 2 : ((maxId + 2) << (r.shift ?? 0)) + r.offset;
      references.push({ ...r, field: add(-1, top) });
    }
  };
  const bitsets: number[] = [];
  if (l.refsFirst) { refFields(); if (l.bitset) bitsets.push(add(0, (1 << (maxId + 2)) - 1)); }
  const slots = l.ids.map(() => Array.from({ length: l.width }, (_, j) => (j === 0 && l.slotRef ? add(-1, maxId + 1) : add(0, 2))));
  if (l.slotRef) for (const slot of slots) references.push({ field: slot[0], offset: 0 });
  if (!l.refsFirst) { refFields(); if (l.bitset) bitsets.push(add(0, (1 << (maxId + 2)) - 1)); }
  add(0, 1);
  const group: SymmetryGroup = { slots, ids: l.ids, references, bitsets };
  const draw = (next: (n: number) => number): Int32Array => Int32Array.from(fields, (f, i) => {
    const r = references.find((x) => x.field === i);
    if (r !== undefined && next(3) !== 0) {
      // A member's number, its low part the tag only two times in three.
      const member = next(l.m);
      const number = r.names ? names[member][next(2)] : l.ids[member];
      const low = r.tag !== undefined && next(3) !== 0 ? r.tag : next(1 << (r.shift ?? 0));
      return Math.min(f.max, ((number << (r.shift ?? 0)) | low) + r.offset);
    }
    if (bitsets.includes(i)) return next(2) === 0 ? 0 : next(f.max + 1);
    // Slot values mostly equal, so many members are idle or share the leading fields.
    return next(4) === 0 ? f.min + next(f.max - f.min + 1) : Math.max(f.min, 0);
  });
  return { fields, group, draw };
}

function agreesWithOrbitLeast(l: Layout, seed: number, count: number): void {
  const { fields, group, draw } = build(l);
  const sys = stillSystem(fields, [group]);
  const fast = declaredCanonicaliser(sys)!;
  const next = rng(seed);
  const out = new Int32Array(fields.length);
  for (let t = 0; t < count; t++) {
    const state = draw(next);
    const want = orbitLeast(group, state);
    const changed = fast.into(state, out);
    const got = changed ? out : state;
    if (got.join(',') !== want.join(',')) {
      expect({ state: Array.from(state), got: Array.from(got) }).toEqual({ state: Array.from(state), got: Array.from(want) });
    }
    expect(changed).toBe(want.join(',') !== state.join(','));
  }
}

describe('exact groups (generated code up to 3 members, shortcuts at 4-5): the representative is the least state of the orbit', () => {
  const layouts: [string, Layout][] = [
    ['references and a bitset before the slots, ids out of order', { m: 4, width: 1, refsFirst: true, slotRef: false, kinds: ['plain', 'tagged'], bitset: true, ids: [2, 0, 3, 1] }],
    ['a named reference (names out of the members\' order) before the slots', { m: 4, width: 1, refsFirst: true, slotRef: false, kinds: ['named'], bitset: false, ids: [0, 1, 2, 3] }],
    ['a named and an encoded reference before two-field slots, five members', { m: 5, width: 2, refsFirst: true, slotRef: false, kinds: ['named', 'encoded'], bitset: false, ids: [4, 0, 3, 1, 2] }],
    ['a tagged reference alone before the slots', { m: 4, width: 1, refsFirst: true, slotRef: false, kinds: ['tagged'], bitset: false, ids: [1, 3, 0, 2] }],
    ['a bitset alone before the slots', { m: 5, width: 1, refsFirst: true, slotRef: false, kinds: [], bitset: true, ids: [3, 1, 4, 0, 2] }],
    ['slots that are references, then tagged and named references after them', { m: 4, width: 2, refsFirst: false, slotRef: true, kinds: ['tagged', 'named'], bitset: true, ids: [3, 2, 1, 0] }],
    ['slots that are references, a plain reference before them', { m: 5, width: 1, refsFirst: true, slotRef: true, kinds: ['plain'], bitset: false, ids: [0, 2, 4, 1, 3] }],
    ['a reference tagged 0 before the slots, another after them', { m: 4, width: 1, refsFirst: true, slotRef: false, kinds: ['tag0', 'plain'], bitset: false, ids: [1, 0, 3, 2] }],
    ['three members (generated code): tagged, tagged-0, named and encoded references and a bitset before the slots', { m: 3, width: 1, refsFirst: true, slotRef: false, kinds: ['tagged', 'tag0', 'named', 'encoded'], bitset: true, ids: [2, 0, 1] }],
    ['three members (generated code): slots that are references, tagged-0 and named references after them', { m: 3, width: 2, refsFirst: false, slotRef: true, kinds: ['tag0', 'named'], bitset: true, ids: [1, 2, 0] }],
    ['two members (generated code): a tagged-0 and a named reference before the slots', { m: 2, width: 1, refsFirst: true, slotRef: false, kinds: ['tag0', 'named', 'tagged'], bitset: true, ids: [1, 0] }],
    ['tagged, encoded and named references after the slots', { m: 4, width: 1, refsFirst: false, slotRef: false, kinds: ['tagged', 'encoded', 'named'], bitset: false, ids: [2, 3, 0, 1] }],
  ];
  layouts.forEach(([what, l], i) => {
    it(what, () => { agreesWithOrbitLeast(l, 1000 + i, 300); });
  });

  it('two equal members, one named only by a tagged word with the right tag: the named one is not idle', () => {
    // Fields: 0 tagged reference (shift 1, tag 1), 1..4 the slots (ids 0..3).
    const l: Layout = { m: 4, width: 1, refsFirst: true, slotRef: false, kinds: ['tagged'], bitset: false, ids: [0, 1, 2, 3] };
    const { fields, group } = build(l);
    const sys = stillSystem(fields, [group]);
    const fast = declaredCanonicaliser(sys)!;
    const out = new Int32Array(fields.length);
    for (const s of [[7, 0, 0, 1, 0, 0], [6, 0, 0, 1, 0, 0], [5, 1, 0, 0, 0, 1], [4, 1, 0, 0, 0, 1], [3, 0, 1, 0, 0, 0]]) {
      const state = Int32Array.from(s);
      const want = orbitLeast(group, state);
      const got = fast.into(state, out) ? out : state;
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});

describe('sorted groups (6 members, generated sorted image): the field-by-field representative, with tags of 0 and 1', () => {
  const layouts: [string, Layout][] = [
    ['tagged-0 and tagged references before the slots', { m: 6, width: 1, refsFirst: true, slotRef: false, kinds: ['tag0', 'tagged'], bitset: true, ids: [5, 0, 4, 1, 3, 2] }],
    ['slots that are references, tagged-0 and named references after them', { m: 6, width: 2, refsFirst: false, slotRef: true, kinds: ['tag0', 'named', 'encoded'], bitset: false, ids: [0, 1, 2, 3, 4, 5] }],
  ];
  layouts.forEach(([what, l], i) => {
    it(what, () => {
      const { fields, group, draw } = build(l);
      const sys = stillSystem(fields, [group]);
      const fast = declaredCanonicaliser(sys)!;
      const reference = declaredCanonicaliserByTable(sys)!;
      const next = rng(2000 + i);
      const out = new Int32Array(fields.length);
      for (let t = 0; t < 300; t++) {
        const state = draw(next);
        const want = Int32Array.from(state);
        reference(want);
        const got = fast.into(state, out) ? out : state;
        expect(Array.from(got)).toEqual(Array.from(want));
      }
    });
  });
});

describe('reference and names declarations at the exact limits', () => {
  const system = (g: SymmetryGroup): TransitionSystem =>
    stillSystem([{ name: 'a', min: 0, max: 2 }, { name: 'b', min: 0, max: 2 }, { name: 'r', min: 0, max: 2 }], [g]);
  const refused = (r: SymmetryReference, ids?: number[]): string => {
    try { declaredCanonicaliser(system({ slots: [[0], [1]], ids, references: [r] })); } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      return (e as Error).message;
    }
    return 'accepted';
  };
  const FIT = 'symmetry group 0: reference field 2: the encoded ids do not fit a 32-bit field';
  const TAG = 'symmetry group 0: reference field 2: tag must be a low part 0..2^shift-1';
  const NAMES = 'symmetry group 0: reference field 2: names must be distinct integers 0..2^20';
  const COUNT = 'symmetry group 0: reference field 2: names must list the same number (at least one) of numbers for each member';

  it('shift 20 is accepted (21 is refused elsewhere)', () => {
    expect(refused({ field: 2, offset: 0, shift: 20 })).toBe('accepted');
  });

  it('a tag of 0 and of 2^shift - 1 is accepted; negative or fractional tags are refused', () => {
    expect(refused({ field: 2, offset: 0, shift: 2, tag: 0 })).toBe('accepted');
    expect(refused({ field: 2, offset: 0, shift: 2, tag: 3 })).toBe('accepted');
    expect(refused({ field: 2, offset: 0, shift: 2, tag: 4 })).toBe(TAG);
    expect(refused({ field: 2, offset: 0, shift: 2, tag: -1 })).toBe(TAG);
    expect(refused({ field: 2, offset: 0, shift: 2, tag: 0.5 })).toBe(TAG);
  });

  it('encoded ids reaching 2^31 exactly are refused, 2^31 - 1 accepted; offsets down to -2^30 are accepted', () => {
    // ids 0 and 1: the largest encoded value is 1 + offset.
    expect(refused({ field: 2, offset: 2 ** 31 - 1 })).toBe(FIT);
    expect(refused({ field: 2, offset: 2 ** 31 - 2 })).toBe('accepted');
    expect(refused({ field: 2, offset: -(2 ** 30) })).toBe('accepted');
    expect(refused({ field: 2, offset: -(2 ** 30) - 1 })).toBe(FIT);
    // With names the group's ids do not matter: large ids, small names, a shift.
    expect(refused({ field: 2, offset: 2 ** 11, shift: 11, names: [[1], [2]] }, [0, 2 ** 20 - 1])).toBe('accepted');
  });

  it('names whose largest number, shifted and offset, reaches 2^31 exactly are refused', () => {
    // (2^20 - 1) * 2^11 + 2^11 = 2^31; the smallest number (1) would fit.
    expect(refused({ field: 2, offset: 2 ** 11, shift: 11, names: [[1], [2 ** 20 - 1]] })).toBe(FIT);
    expect(refused({ field: 2, offset: 2 ** 11 - 1, shift: 11, names: [[1], [2 ** 20 - 1]] })).toBe('accepted');
  });

  it('names of one number each, 0 and 2^20 - 1 are accepted; 2^20 and an empty list are refused', () => {
    expect(refused({ field: 2, offset: 0, names: [[0], [2 ** 20 - 1]] })).toBe('accepted');
    expect(refused({ field: 2, offset: 0, names: [[0], [2 ** 20]] })).toBe(NAMES);
    expect(refused({ field: 2, offset: 0, names: [] })).toBe(COUNT);
  });
});
