import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateLayout, type Field, type TransitionSystem } from '../../explorer/index.js';
import { declaredCanonicaliser, packedCanonicaliser } from '../../explorer/symmetry.js';

/**
 * The search's fused canonicaliser (the representative's packed words straight from the state)
 * against the canonicaliser it replaces: the declared one builds the representative as a state
 * vector, which `pack` then packs. Same answer (own representative or not) and same words, on
 * random states of a group whose slots, owner references and reader bitset lie in several
 * words, among fields the group does not touch.
 */

/** Three members with slots (pc 0..20, local -1..5); owners 0..3 (0: none, member i + 1) and a
 *  reader set (bits 0..2) between 13-bit fillers, so the touched fields share words with
 *  untouched ones and spread over several words. */
const fields: Field[] = [
  { name: 'fill0', min: 0, max: 8191 },
  ...[0, 1, 2].flatMap((i) => [{ name: `t${i}.pc`, min: 0, max: 20 }, { name: `t${i}.local`, min: -1, max: 5 }]),
  { name: 'fill1', min: 0, max: 8191 },
  { name: 'lockA.owner', min: 0, max: 3 },
  { name: 'fill2', min: 0, max: 8191 },
  { name: 'lockB.owner', min: 0, max: 3 },
  { name: 'readers', min: 0, max: 7 },
  { name: 'fill3', min: -5, max: 8191 },
];
const system: TransitionSystem = {
  fields,
  threads: ['t0', 't1', 't2'],
  labels: ['none'],
  initialStates: () => [new Int32Array(fields.length)],
  actions: () => {},
  apply: () => {},
  threadDone: () => true,
  invariants: [],
  symmetry: [{ slots: [[1, 2], [3, 4], [5, 6]], references: [{ field: 8, offset: 1 }, { field: 10, offset: 1 }], bitsets: [11] }],
};

const stateArb = fc.tuple(...fields.map((f) => fc.integer({ min: f.min, max: f.max }))).map((v) => Int32Array.from(v));

describe('the packed canonicaliser', () => {
  const layout = new StateLayout(fields);
  const packed = packedCanonicaliser(system, layout)!;
  const declared = declaredCanonicaliser(system)!;

  it('spreads the group over several words that it shares with untouched fields', () => {
    const words = new Set(declared.touched.map((i) => layout.wordOf(i)));
    expect(words.size).toBeGreaterThan(1);
    expect(fields.some((_, i) => words.has(layout.wordOf(i)) && !declared.touched.includes(i))).toBe(true);
  });

  it('gives the packed words of the declared representative, and says whether the state is its own', () => {
    fc.assert(fc.property(stateArb, (s) => {
      const words = new Uint32Array(layout.wordsPerState);
      layout.pack(s, words, 0);
      const rep = new Int32Array(fields.length);
      const changed = declared.into(s, rep);
      const out = new Uint32Array(layout.wordsPerState);
      expect(packed(s, words, 0, out)).toBe(changed);
      if (!changed) return;
      const expected = new Uint32Array(layout.wordsPerState);
      layout.pack(rep, expected, 0);
      expect(Array.from(out)).toEqual(Array.from(expected));
    }), { numRuns: 2000 });
  });

  it('applies only to one declared group with generated code: two groups or a model canonicalise get none', () => {
    const g = system.symmetry![0];
    expect(packedCanonicaliser({ ...system, symmetry: [g, { slots: [[0], [12]] }] }, layout)).toBeNull();
    expect(packedCanonicaliser({ ...system, canonicalise: () => {} }, layout)).toBeNull();
  });
});
