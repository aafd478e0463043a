import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateLayout, ModelError } from '../../explorer/index.js';
import { fingerprint, fingerprintOut } from '../../explorer/fingerprint.js';

const fieldArb = fc
  .tuple(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([min, span]) => ({ min, max: Math.min(0x7fffffff, min + span) }));

describe('StateLayout', () => {
  it('unpack(pack(s)) is the identity for any fields and any in-range values', () => {
    fc.assert(
      fc.property(
        fc.array(fieldArb, { minLength: 1, maxLength: 12 }).chain((bounds) =>
          fc.tuple(
            fc.constant(bounds),
            fc.tuple(...bounds.map((b) => fc.integer({ min: b.min, max: b.max }))),
          ),
        ),
        ([bounds, values]) => {
          const layout = new StateLayout(bounds.map((b, i) => ({ name: `f${i}`, ...b })));
          const words = new Uint32Array(layout.wordsPerState + 2);
          layout.pack(Int32Array.from(values), words, 1);
          const back = layout.newState();
          layout.unpack(words, 1, back);
          expect(Array.from(back)).toEqual(values);
        },
      ),
    );
  });

  it('gives each field just the bits its range needs and packs fields without straddling words', () => {
    const layout = new StateLayout([
      { name: 'a', min: 0, max: 1 }, // 1 bit
      { name: 'b', min: -4, max: 3 }, // 3 bits
      { name: 'c', min: 5, max: 5 }, // constant: 0 bits
      { name: 'd', min: 0, max: 255 }, // 8 bits
      { name: 'e', min: 0, max: 0xfffff }, // 20 bits: 1+3+8+20 = 32, still one word
      { name: 'f', min: 0, max: 2 }, // 2 bits: a second word
    ]);
    expect(Array.from(layout.bits)).toEqual([1, 3, 0, 8, 20, 2]);
    expect(layout.wordsPerState).toBe(2);
  });

  it('packs distinct states to distinct words (injective on a small exhaustive domain)', () => {
    const layout = new StateLayout([
      { name: 'x', min: -2, max: 2 }, { name: 'y', min: 0, max: 6 }, { name: 'z', min: 10, max: 12 },
    ]);
    const seen = new Set<number>();
    const w = new Uint32Array(1);
    for (let x = -2; x <= 2; x++) for (let y = 0; y <= 6; y++) for (let z = 10; z <= 12; z++) {
      layout.pack(Int32Array.of(x, y, z), w, 0);
      seen.add(w[0]);
    }
    expect(seen.size).toBe(5 * 7 * 3);
  });

  it('reports a value outside its range as a ModelError naming the field', () => {
    const layout = new StateLayout([{ name: 'zspage[1].inuse', min: 0, max: 4 }]);
    const w = new Uint32Array(1);
    expect(() => layout.pack(Int32Array.of(5), w, 0)).toThrow(ModelError);
    expect(() => layout.pack(Int32Array.of(-1), w, 0)).toThrow(/zspage\[1\]\.inuse = -1 is outside its declared range \[0, 4\]/);
  });

  it('rejects bounds that are not an int32 range', () => {
    expect(() => new StateLayout([{ name: 'bad', min: 3, max: 2 }])).toThrow(/field bad/);
  });

  it('the compiled pack and unpack write exactly the words and values of the field-by-field tables', () => {
    fc.assert(
      fc.property(
        fc.array(fieldArb, { minLength: 1, maxLength: 40 }).chain((bounds) =>
          fc.tuple(fc.constant(bounds), fc.tuple(...bounds.map((b) => fc.integer({ min: b.min, max: b.max })))),
        ),
        ([bounds, values]) => {
          const layout = new StateLayout(bounds.map((b, i) => ({ name: `f${i}`, ...b })));
          const compiled = new Uint32Array(layout.wordsPerState + 1).fill(0xdeadbeef);
          const table = new Uint32Array(layout.wordsPerState + 1).fill(0xdeadbeef);
          layout.pack(Int32Array.from(values), compiled, 1);
          layout.packByTable(Int32Array.from(values), table, 1);
          expect(Array.from(compiled)).toEqual(Array.from(table));
          const a = layout.newState(), b = layout.newState();
          layout.unpack(compiled, 1, a);
          layout.unpackByTable(table, 1, b);
          expect(Array.from(a)).toEqual(Array.from(b));
        },
      ),
    );
  });

  it('packFingerprint writes the words of the field-by-field pack and the fingerprint fingerprint() gives them', () => {
    const smallField = fc.record({ min: fc.integer({ min: -3, max: 3 }), span: fc.integer({ min: 0, max: 20 }) })
      .map(({ min, span }) => ({ min, max: min + span }));
    fc.assert(
      fc.property(
        // Many small fields (several per word, constants among them) or a few wide ones.
        fc.oneof(fc.array(smallField, { minLength: 1, maxLength: 60 }), fc.array(fieldArb, { minLength: 1, maxLength: 12 })).chain((bounds) =>
          fc.tuple(fc.constant(bounds), fc.tuple(...bounds.map((b) => fc.integer({ min: b.min, max: b.max }))), fc.nat(2)),
        ),
        ([bounds, values, offset]) => {
          const layout = new StateLayout(bounds.map((b, i) => ({ name: `f${i}`, ...b })));
          const W = layout.wordsPerState;
          const fused = new Uint32Array(W + 3).fill(0xdeadbeef);
          const table = new Uint32Array(W + 3).fill(0xdeadbeef);
          layout.packByTable(Int32Array.from(values), table, offset);
          fingerprint(table, offset, W);
          const want = Array.from(fingerprintOut);
          fingerprintOut.fill(0);
          layout.packFingerprint(Int32Array.from(values), fused, offset);
          expect(Array.from(fused)).toEqual(Array.from(table));
          expect(Array.from(fingerprintOut)).toEqual(want);
        },
      ),
    );
  });

  it('packFingerprint of a layout with no fields fingerprints its one zero word', () => {
    const layout = new StateLayout([]);
    const words = new Uint32Array(1).fill(7);
    fingerprint(new Uint32Array(1), 0, 1);
    const want = Array.from(fingerprintOut);
    layout.packFingerprint(layout.newState(), words, 0);
    expect([words[0], ...fingerprintOut]).toEqual([0, ...want]);
  });

  it('packFingerprint refuses a value out of range as pack does, naming the field', () => {
    const layout = new StateLayout([
      { name: 'a', min: -3, max: 4 }, { name: 'k', min: 7, max: 7 }, { name: 'big', min: 0, max: 0x7fffffff },
    ]);
    const w = new Uint32Array(layout.wordsPerState);
    for (const [bad, name] of [[[-4, 7, 0], 'a = -4'], [[5, 7, 0], 'a = 5'], [[0, 8, 0], 'k = 8'], [[0, 6, 0], 'k = 6'], [[0, 7, -1], 'big = -1']] as const) {
      expect(() => layout.packFingerprint(Int32Array.from(bad), w, 0)).toThrow(`field ${name} is outside its declared range`);
    }
  });

  it('the compiled pack rejects a value one below min and one above max of any field', () => {
    const layout = new StateLayout([
      { name: 'a', min: -3, max: 4 }, { name: 'k', min: 7, max: 7 }, { name: 'big', min: 0, max: 0x7fffffff },
    ]);
    const w = new Uint32Array(layout.wordsPerState);
    expect(() => layout.pack(Int32Array.of(-4, 7, 0), w, 0)).toThrow(/field a = -4/);
    expect(() => layout.pack(Int32Array.of(5, 7, 0), w, 0)).toThrow(/field a = 5/);
    expect(() => layout.pack(Int32Array.of(0, 8, 0), w, 0)).toThrow(/field k = 8/);
    expect(() => layout.pack(Int32Array.of(0, 6, 0), w, 0)).toThrow(/field k = 6/);
    expect(() => layout.pack(Int32Array.of(0, 7, -1), w, 0)).toThrow(/field big = -1/);
    // The field-by-field reference refuses the same values.
    for (const [bad, name] of [[[-4, 7, 0], 'a = -4'], [[5, 7, 0], 'a = 5'], [[0, 8, 0], 'k = 8'], [[0, 6, 0], 'k = 6'], [[0, 7, -1], 'big = -1']] as const) {
      expect(() => layout.packByTable(Int32Array.from(bad), w, 0)).toThrow(`field ${name} is outside its declared range`);
    }
  });
});

describe('StateLayout.partialPacker', () => {
  it('writes exactly the words holding the chosen fields, as the table-driven pack does, and leaves the others', () => {
    fc.assert(
      fc.property(
        fc.array(fieldArb, { minLength: 1, maxLength: 12 }).chain((bounds) =>
          fc.tuple(
            fc.constant(bounds),
            fc.tuple(...bounds.map((b) => fc.integer({ min: b.min, max: b.max }))),
            fc.uniqueArray(fc.nat(bounds.length - 1), { maxLength: bounds.length }),
          ),
        ),
        ([bounds, values, chosen]) => {
          const layout = new StateLayout(bounds.map((b, i) => ({ name: `f${i}`, ...b })));
          const want = new Uint32Array(layout.wordsPerState);
          layout.packByTable(Int32Array.from(values), want, 0);
          const got = new Uint32Array(layout.wordsPerState + 1).fill(0xdeadbeef);
          layout.partialPacker(chosen)(Int32Array.from(values), got, 1);
          const written = new Set(chosen.map((i) => layout.wordOf(i)));
          for (let w = 0; w < layout.wordsPerState; w++) {
            expect(got[1 + w]).toBe(written.has(w) ? want[w] : 0xdeadbeef);
          }
          expect(got[0]).toBe(0xdeadbeef);
        },
      ),
    );
  });

  it('refuses a value out of range in a word it packs, naming the field', () => {
    const layout = new StateLayout([{ name: 'a', min: 0, max: 3 }, { name: 'b', min: -1, max: 2 }]);
    const pack = layout.partialPacker([0]);
    expect(() => pack(Int32Array.of(1, 5), new Uint32Array(1), 0)).toThrow(ModelError);
    expect(() => pack(Int32Array.of(1, 5), new Uint32Array(1), 0)).toThrow('field b = 5 is outside its declared range [-1, 2]');
  });
});
