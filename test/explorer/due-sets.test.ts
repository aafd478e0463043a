import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Field, StateInvariant } from '../../explorer/system.js';
import { StateLayout } from '../../explorer/packing.js';
import { ChangeTriggers, InvariantTriggers } from '../../explorer/incremental.js';
import { runs } from '../fuzz-runs.js';

/**
 * The due sets of incremental checks (explorer/incremental.ts), computed from the XOR of the
 * parent's and the child's packed words, against a naive per-field comparison of the two
 * unpacked states: an invariant is due exactly when it declares no `reads`, or a field it reads
 * plainly has another value, or a field it views has another class in that view's table; an
 * action property exactly when it declares no `changes` or one of its fields has another value.
 * A due invariant the masks miss is a violation the search would miss; one they add is a wasted
 * evaluation. Random layouts mix constant fields, fields sharing a word at various shifts,
 * fields with a positive minimum, 31- and 32-bit fields, and more than 32 (and 64) invariants;
 * the child sits at a random slot of a larger buffer, the other slots filled with noise.
 * For 32 checks or fewer the generated masks and the table-driven ones they replaced are both
 * held to the naive comparison.
 */

const fieldArb: fc.Arbitrary<Field> = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((v) => ({ name: 'const', min: v, max: v })),
  fc.record({ min: fc.integer({ min: 0, max: 3 }), span: fc.integer({ min: 1, max: 12 }) })
    .map(({ min, span }) => ({ name: 'small', min, max: min + span })),
  fc.record({ min: fc.integer({ min: 0, max: 3 }), span: fc.integer({ min: 1, max: 12 }) })
    .map(({ min, span }) => ({ name: 'small', min, max: min + span })),
  fc.constantFrom(
    { name: 'byte', min: 0, max: 255 },
    { name: 'half', min: 0, max: 65535 },
    { name: 'wide', min: -7, max: 1 << 20 },
    { name: 'int31', min: 0, max: 0x7fffffff },
    { name: 'int32', min: -0x80000000, max: 0x7fffffff },
    { name: 'int32', min: -1, max: 0x7fffffff },
  ),
);

/** A field a view may read: minimum 0 or more, values inside a table of 16. */
const viewable = (f: Field): boolean => f.min >= 0 && f.max <= 15;

/** Per check: whether it declares its fields, and which (bit f of `fields`); for invariants,
 *  which of those viewable fields it views (bit f of `viewed`) and through which of two tables
 *  (bit f of `second`). */
interface CheckSpec { declared: boolean; fields: number; viewed: number; second: number; tables: number[][] }

const checkSpec: fc.Arbitrary<CheckSpec> = fc.record({
  declared: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(true), fc.constant(false)),
  fields: fc.nat(),
  viewed: fc.nat(),
  second: fc.nat(),
  tables: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 16, maxLength: 16 }), { minLength: 2, maxLength: 2 }),
});

function invariantOf(spec: CheckSpec, k: number, fields: readonly Field[]): StateInvariant {
  const inv = { name: `inv-${k}`, description: 'never evaluated here', check: () => null };
  if (!spec.declared) return inv;
  const reads = fields.map((_, f) => f).filter((f) => (spec.fields >>> f) & 1);
  const viewed = reads.filter((f) => viewable(fields[f]) && (spec.viewed >>> f) & 1);
  const views = [0, 1]
    .map((t) => ({ fields: viewed.filter((f) => ((spec.second >>> f) & 1) === t), table: spec.tables[t] }))
    .filter((v) => v.fields.length > 0);
  return { ...inv, reads, views };
}

/** A parent state, and the child that changes the fields of `changed` to `fresh` values. */
interface Step { parent: number[]; child: number[]; slot: number; noise: number[] }

function stepsFor(fields: readonly Field[]): fc.Arbitrary<Step[]> {
  const values = fc.tuple(...fields.map((f) => fc.integer({ min: f.min, max: f.max })));
  return fc.array(fc.record({
    parent: values,
    fresh: values,
    changed: fc.array(fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)), { minLength: fields.length, maxLength: fields.length }),
    slot: fc.nat(2),
    noise: fc.array(fc.integer(), { minLength: 64, maxLength: 64 }),
  }).map(({ parent, fresh, changed, slot, noise }) => ({
    parent, child: parent.map((v, f) => (changed[f] ? fresh[f] : v)), slot, noise,
  })), { minLength: 1, maxLength: 4 });
}

/** The parent's words (exactly one state, as the search keeps them) and a buffer of three
 *  states' words with the child packed at its slot, the others noise. */
function pack(layout: StateLayout, step: Step): { parentWords: Uint32Array; childWords: Uint32Array; offset: number } {
  const W = layout.wordsPerState;
  const parentWords = new Uint32Array(W);
  layout.pack(Int32Array.from(step.parent), parentWords, 0);
  const childWords = Uint32Array.from({ length: 3 * W }, (_, k) => step.noise[k % step.noise.length] ^ k);
  const offset = step.slot * W;
  layout.pack(Int32Array.from(step.child), childWords, offset);
  return { parentWords, childWords, offset };
}

/** Naive: the invariants whose reads differ between the two states, field by field. */
function naiveDueInvariants(invariants: readonly StateInvariant[], p: readonly number[], c: readonly number[]): number[] {
  return invariants.flatMap((inv, i) => {
    if (inv.reads === undefined) return [i];
    const table = new Map<number, ArrayLike<number>>();
    for (const v of inv.views ?? []) for (const f of v.fields) table.set(f, v.table);
    const due = inv.reads.some((f) => {
      const t = table.get(f);
      return t === undefined ? p[f] !== c[f] : t[p[f]] !== t[c[f]];
    });
    return due ? [i] : [];
  });
}

/** Naive: the properties whose declared fields differ between the two states. */
function naiveDueProperties(props: readonly { changes?: readonly number[] }[], p: readonly number[], c: readonly number[]): number[] {
  return props.flatMap((prop, i) => (prop.changes === undefined || prop.changes.some((f) => p[f] !== c[f]) ? [i] : []));
}

const scenario = fc.array(fieldArb, { minLength: 1, maxLength: 10 }).chain((fields) => fc.record({
  fields: fc.constant(fields),
  checks: fc.oneof(
    fc.array(checkSpec, { minLength: 1, maxLength: 8 }),
    fc.array(checkSpec, { minLength: 30, maxLength: 70 }),
  ),
  steps: stepsFor(fields),
}));

describe('incremental checks: the due sets from packed words equal a naive per-field comparison', () => {
  it('the invariants due after a step are exactly those whose plainly read fields or viewed classes changed, or that declare no reads', () => {
    fc.assert(fc.property(scenario, ({ fields, checks, steps }) => {
      const invariants = checks.map((spec, k) => invariantOf(spec, k, fields));
      const layout = new StateLayout(fields);
      const triggers = new InvariantTriggers(invariants, fields, layout);
      // One triggers object for every step, as in a search: each call's mask is its own.
      for (const step of steps) {
        const { parentWords, childWords, offset } = pack(layout, step);
        const due = triggers.dueAfter(parentWords, childWords, offset);
        const got = invariants.map((_, i) => i).filter((i) => (due[i >>> 5] & (1 << (i & 31))) !== 0);
        const expected = naiveDueInvariants(invariants, step.parent, step.child);
        expect(got).toEqual(expected);
        if (invariants.length <= 32) {
          // The table-driven form the generated one replaced, read the same way.
          const mask = triggers.dueByTable(parentWords, childWords, offset);
          expect(invariants.map((_, i) => i).filter((i) => (mask & (1 << i)) !== 0)).toEqual(expected);
        }
      }
    }), { numRuns: runs(400) });
  });

  it('the action properties due on a transition are exactly those with a changed field or no changes declared, by dueMask (32 or fewer) and by due (any number)', () => {
    fc.assert(fc.property(scenario, ({ fields, checks, steps }) => {
      const props = checks.map((spec) => (spec.declared
        ? { changes: fields.map((_, f) => f).filter((f) => (spec.fields >>> f) & 1) }
        : {}));
      const layout = new StateLayout(fields);
      const triggers = new ChangeTriggers(props, layout);
      for (const step of steps) {
        const { parentWords, childWords, offset } = pack(layout, step);
        const expected = naiveDueProperties(props, step.parent, step.child);
        expect(props.map((_, i) => i).filter((i) => triggers.due(i, parentWords, childWords, offset))).toEqual(expected);
        if (triggers.masked) {
          // Read as the search reads it: bit i of the mask for property i.
          const mask = triggers.dueMask(parentWords, childWords, offset);
          expect(props.map((_, i) => i).filter((i) => (mask & (1 << i)) !== 0)).toEqual(expected);
          const byTable = triggers.dueMaskByTable(parentWords, childWords, offset);
          expect(props.map((_, i) => i).filter((i) => (byTable & (1 << i)) !== 0)).toEqual(expected);
        }
      }
    }), { numRuns: runs(400) });
  });

  it('33 properties, the first about x0 and the 33rd about x1, are each checked only on a change of their own field', () => {
    // Hand count: x0 and x1 share a word; the step changes x1 only, so only property 32 is due.
    const fields: Field[] = [{ name: 'x0', min: 0, max: 3 }, { name: 'x1', min: 0, max: 3 }, { name: 'x2', min: 0, max: 3 }];
    const props = Array.from({ length: 33 }, (_, i) => ({ changes: [i === 32 ? 1 : i === 0 ? 0 : 2] }));
    const layout = new StateLayout(fields);
    const triggers = new ChangeTriggers(props, layout);
    const step: Step = { parent: [0, 0, 0], child: [0, 1, 0], slot: 1, noise: [7] };
    const { parentWords, childWords, offset } = pack(layout, step);
    const due = props.map((_, i) => i).filter((i) => (triggers.masked
      ? (triggers.dueMask(parentWords, childWords, offset) & (1 << i)) !== 0
      : triggers.due(i, parentWords, childWords, offset)));
    expect(due).toEqual([32]);
  });
});
