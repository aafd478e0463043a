/**
 * Fuzzing the BTF reader: truncated and bit-flipped copies of the real 6.18 file, and random or
 * mutated synthetic blobs, must each give either a valid result or a BtfError whose message is one
 * line naming the file: never another exception, never a hang (vitest's timeout bounds the run,
 * and every case below is also timed).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Btf, BtfError, findStructId, paholeTable, structLayout, structLayoutById } from '../../model/btf/index.js';
import type { StructLayout } from '../../model/layout/types.js';
import { buildBtf, type SynthType } from './btf-builder.js';
import { rawFixtureBtf } from './fixture.js';

const NAME = 'fuzzed.btf';
/** Far above what one good parse + a few layouts take (a few tens of ms on the fixture). */
const PER_CASE_MS = 2_000;

type Outcome = { ok: true; layouts: StructLayout[] } | { ok: false; error: BtfError };

/** Parses `bytes` and lays out `names` (or every aggregate), classifying what happened. */
function attempt(bytes: Uint8Array, names?: readonly string[]): Outcome {
  const start = performance.now();
  try {
    const btf = new Btf(bytes, NAME);
    const layouts: StructLayout[] = [];
    for (const name of names ?? btf.aggregateNames()) {
      try {
        layouts.push(structLayout(btf, name, { expandNamed: true }));
        // What laid out also prints as pahole would, without a crash.
        if (names || bytes.length < 1 << 20) paholeTable(btf, findStructId(btf, name));
      } catch (e) {
        // A name defined twice is refused as ambiguous: lay out each definition by id instead.
        if (e instanceof BtfError && e.code === 'ambiguous') {
          for (const id of btf.findAggregates(name)) layouts.push(structLayoutById(btf, id, { expandNamed: true }));
          continue;
        }
        // A struct the mutation renamed away is a legitimate answer, not a crash.
        if (!(e instanceof BtfError) || e.code !== 'missing-type') throw e;
      }
    }
    return { ok: true, layouts };
  } catch (e) {
    if (!(e instanceof BtfError)) throw new Error(`not a BtfError: ${e instanceof Error ? e.stack : String(e)}`);
    expect(e.message.startsWith(`${NAME}: `)).toBe(true);
    expect(e.message).not.toMatch(/[\r\n]/);
    if (e.byteOffset !== undefined) {
      expect(e.message.endsWith(` at byte ${e.byteOffset}`)).toBe(true);
      expect(e.byteOffset).toBeGreaterThanOrEqual(0);
      expect(e.byteOffset).toBeLessThanOrEqual(bytes.length);
    }
    return { ok: false, error: e };
  } finally {
    // A hang guard, not a speed target: laying out all ~9,700 aggregates of the unmutated
    // fixture (no `names`) is far more work than a fuzz case's few layouts, on a shared machine.
    expect(performance.now() - start).toBeLessThan(names ? PER_CASE_MS : 10 * PER_CASE_MS);
  }
}

/** Deterministic PRNG so a failure reproduces (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZSMALLOC = ['page', 'folio', 'zpdesc', 'zspage', 'size_class', 'zs_pool', 'task_struct'];

describe('BTF reader under fuzzing', () => {
  const fixture = new Uint8Array(readFileSync(rawFixtureBtf()));
  const view = new DataView(fixture.buffer, fixture.byteOffset, fixture.byteLength);
  const typeStart = 24 + view.getUint32(8, true);
  const typeEnd = typeStart + view.getUint32(12, true);

  it('every truncation of the 6.18 file is a one-line "truncated ... at byte N" error', () => {
    const random = rng(1);
    const cuts = [0, 1, 2, 3, 4, 23, 24, 25, typeStart + 11, typeStart + 12, typeEnd - 1, typeEnd, fixture.length - 1];
    for (let i = 0; i < 60; i++) cuts.push(Math.floor(random() * fixture.length));
    for (const cut of cuts) {
      const out = attempt(fixture.subarray(0, cut), ['zspage']);
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.error.code).toBe('truncated');
        expect(out.error.message).toMatch(/^fuzzed\.btf: truncated .* at byte \d+$/);
      }
    }
  });

  it('bit flips in the header and type section of the 6.18 file give a result or a typed error', () => {
    const random = rng(2);
    let errors = 0;
    for (let i = 0; i < 150; i++) {
      const copy = fixture.slice();
      // Half the flips hit the header and the type records of the zsmalloc structs' neighbourhood.
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) {
        const at = i % 3 === 0 ? Math.floor(random() * 24) : typeStart + Math.floor(random() * (typeEnd - typeStart));
        copy[at]! ^= 1 << Math.floor(random() * 8);
      }
      if (!attempt(copy, ZSMALLOC).ok) errors++;
    }
    // Sanity: the mutations do hit something.
    expect(errors).toBeGreaterThan(0);
  });

  it('the unmutated fixture lays out every one of its named aggregates without error', () => {
    const out = attempt(fixture);
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.layouts.length).toBeGreaterThan(9000);
  });

  // Random type tables: references anywhere (so cycles of every shape), random sizes/offsets.
  const ref = (n: number) => fc.integer({ min: 0, max: n + 1 });
  const synthType = (n: number): fc.Arbitrary<SynthType> =>
    fc.oneof(
      fc.record({ kind: fc.constant('int' as const), name: fc.constantFrom('int', 'long int', 'char'), size: fc.constantFrom(0, 1, 2, 4, 8, 16, 3), bits: fc.integer({ min: 0, max: 200 }), offset: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('ptr' as const), type: ref(n) }),
      fc.record({ kind: fc.constant('array' as const), elem: ref(n), index: ref(n), nelems: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
      fc.record({
        kind: fc.constantFrom('struct' as const, 'union' as const),
        name: fc.constantFrom('', 's', 't'),
        size: fc.integer({ min: 0, max: 1 << 20 }),
        kindFlag: fc.boolean(),
        members: fc.array(fc.record({ name: fc.constantFrom('', 'a', 'b'), type: ref(n), bitOffset: fc.integer({ min: 0, max: (1 << 24) - 1 }), bitfieldSize: fc.integer({ min: 0, max: 255 }) }), { maxLength: 5 }),
      }),
      fc.record({ kind: fc.constantFrom('typedef' as const, 'const' as const, 'volatile' as const, 'restrict' as const, 'type_tag' as const), name: fc.constantFrom('', 'td'), type: ref(n) }),
      fc.record({ kind: fc.constant('func_proto' as const), ret: ref(n), params: fc.array(fc.record({ name: fc.constant(''), type: ref(n) }), { maxLength: 4 }) }),
      fc.record({ kind: fc.constant('fwd' as const), name: fc.constantFrom('s', 't'), union: fc.boolean() }),
      fc.record({ kind: fc.constant('enum' as const), name: fc.constantFrom('', 'e'), size: fc.constantFrom(1, 4, 8), values: fc.array(fc.record({ name: fc.constant('V'), value: fc.integer() }), { maxLength: 3 }) }),
      fc.record({ kind: fc.constant('float' as const), name: fc.constant('double'), size: fc.constantFrom(4, 8, 16) }),
      fc.record({ kind: fc.constant('func' as const), name: fc.constant('f'), type: ref(n) }),
      fc.record({ kind: fc.constant('var' as const), name: fc.constant('v'), type: ref(n) }),
      fc.record({ kind: fc.constant('decl_tag' as const), name: fc.constant('tag'), type: ref(n), componentIdx: fc.integer({ min: -1, max: 5 }) }),
    );

  it('random synthetic type tables (with reference cycles) give a layout or a typed error', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) => fc.array(synthType(n), { minLength: 1, maxLength: n })),
        fc.boolean(),
        (types, bigEndian) => {
          attempt(buildBtf(types, { bigEndian }).bytes);
        },
      ),
      { numRuns: 400, seed: 3 },
    );
  });

  it('random byte mutations and cuts of synthetic blobs give a layout or a typed error', () => {
    const sample: SynthType[] = [
      { kind: 'int', name: 'unsigned int', size: 4 },
      { kind: 'int', name: 'long unsigned int', size: 8 },
      { kind: 'struct', name: 'list_head', size: 16, members: [{ name: 'next', type: 4, bitOffset: 0 }, { name: 'prev', type: 4, bitOffset: 64 }] },
      { kind: 'ptr', type: 3 },
      { kind: 'struct', name: '', size: 8, kindFlag: true, members: [{ name: 'huge', type: 1, bitOffset: 0, bitfieldSize: 1 }, { name: 'inuse', type: 1, bitOffset: 32 }] },
      { kind: 'struct', name: 'zspage', size: 32, members: [{ name: '', type: 5, bitOffset: 0 }, { name: 'list', type: 3, bitOffset: 64 }, { name: 'n', type: 2, bitOffset: 192 }] },
    ];
    const good = buildBtf(sample).bytes;
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat({ max: good.length - 1 }), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: good.length }),
        (writes, cut) => {
          const copy = good.slice();
          for (const w of writes) copy[w.at] = w.value;
          attempt(copy);
          attempt(copy.subarray(0, cut));
        },
      ),
      { numRuns: 1500, seed: 4 },
    );
  });

  it('a chain of 100,000 nested anonymous structs is rejected, not a stack overflow', () => {
    const n = 100_000;
    const types: SynthType[] = [{ kind: 'int', name: 'int', size: 4 }];
    for (let i = 0; i < n; i++) types.push({ kind: 'struct', name: i === n - 1 ? 'deep' : '', size: 4, members: [{ name: '', type: i + 1, bitOffset: 0 }] });
    const out = attempt(buildBtf(types).bytes, ['deep']);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe('cycle');
  });
});
