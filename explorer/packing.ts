import type { Field, StateVector } from './system.js';
import { ModelError } from './model-error.js';
import { fingerprintOut, fingerprintText, fmix } from './fingerprint.js';
import { generatedFactory } from './generated-code.js';

/**
 * Packs a state vector of bounded ints into a fixed number of 32-bit words, each field stored
 * as `value - min` in just enough bits for `max - min`. A field never straddles two words, so
 * pack and unpack are one shift and one mask per field.
 */
export class StateLayout {
  readonly fieldCount: number;
  readonly wordsPerState: number;
  /** Bits per field (0 for a constant field). */
  readonly bits: Uint8Array;
  private readonly word: Int32Array;
  private readonly shift: Int32Array;
  private readonly min: Int32Array;
  private readonly max: Int32Array;
  private readonly mask: Uint32Array;
  /** Writes the packed form of `state` at `out[offset .. offset + wordsPerState)`.
   *  Throws a ModelError naming the field when a value is outside its bounds.
   *  (The straight-line function of `compile` itself: no method call around it per state.) */
  readonly pack: (state: StateVector, out: Uint32Array, offset: number) => void;
  /** Reads the state packed at `words[offset ..]` into `state`. */
  readonly unpack: (words: Uint32Array, offset: number, state: StateVector) => void;
  /** `pack`, then `fingerprint(out, offset, wordsPerState)` into `fingerprintOut`, in one
   *  generated function: each word is mixed into the fingerprint as soon as its last field is
   *  packed, so the hash's multiplications overlap the packing of the next word. */
  readonly packFingerprint: (state: StateVector, out: Uint32Array, offset: number) => void;

  constructor(readonly fields: readonly Field[]) {
    const n = fields.length;
    this.fieldCount = n;
    this.bits = new Uint8Array(n);
    this.word = new Int32Array(n);
    this.shift = new Int32Array(n);
    this.min = new Int32Array(n);
    this.max = new Int32Array(n);
    this.mask = new Uint32Array(n);
    let word = 0;
    let used = 0;
    for (let i = 0; i < n; i++) {
      const f = fields[i];
      if (!Number.isInteger(f.min) || !Number.isInteger(f.max) || f.min > f.max ||
          f.min < -0x80000000 || f.max > 0x7fffffff) {
        throw new ModelError(`field ${f.name}: bounds [${f.min}, ${f.max}] are not an int32 range`);
      }
      const span = f.max - f.min;
      const bits = span === 0 ? 0 : Math.floor(Math.log2(span)) + 1;
      if (used + bits > 32) {
        word++;
        used = 0;
      }
      this.bits[i] = bits;
      this.word[i] = word;
      this.shift[i] = used;
      this.min[i] = f.min;
      this.max[i] = f.max;
      this.mask[i] = bits === 32 ? 0xffffffff : (1 << bits) - 1 >>> 0;
      used += bits;
    }
    // Stryker disable next-line ConditionalExpression: used is 0 only when no field has bits, and then word is 0: both arms give 1 after Math.max
    this.wordsPerState = Math.max(1, used === 0 ? word : word + 1);
    const compiled = this.compile();
    this.pack = compiled.pack;
    this.unpack = compiled.unpack;
    this.packFingerprint = compiled.packFingerprint;
  }

  /**
   * Why generated code: pack and unpack run once per transition and once per expanded state on
   * a 160-field zsmalloc state; a loop reading word/shift/mask/min from typed arrays per field
   * spent more than half of the search's time there. With the layout's constants inlined into
   * one straight-line function per direction (each word accumulated in a local, each field one
   * shift, one mask and one unsigned range compare) V8 compiles them to a few instructions per
   * field. The generated text is built only from this layout's numbers, never from names.
   */
  private compile(): {
    pack: (state: StateVector, out: Uint32Array, offset: number) => void;
    unpack: (words: Uint32Array, offset: number, state: StateVector) => void;
    packFingerprint: (state: StateVector, out: Uint32Array, offset: number) => void;
  } {
    const n = this.fieldCount;
    const W = this.wordsPerState;
    const declare: string[] = [];
    const unpack: string[] = [];
    // Stryker disable next-line EqualityOperator: `<=` also declares a word W that nothing writes out
    for (let j = 0; j < W; j++) {
      declare.push(`let w${j} = 0;`);
      unpack.push(`const w${j} = words[offset + ${j}];`);
    }
    /** Per field, the statements that range-check it and or it into its word's local. */
    const packField: string[] = [];
    for (let i = 0; i < n; i++) {
      const min = this.min[i];
      const span = this.max[i] - min;
      const w = this.word[i], sh = this.shift[i];
      // (v - min) >>> 0 > span: below min wraps to a huge unsigned value, so one compare.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a field of 0 bits has v = 0 (range-checked), so or-ing it in is a no-op
      packField.push(`v = s[${i}] - (${min}); if (v >>> 0 > ${span}) bad(${i}, s[${i}]);` + (this.bits[i] > 0 ? `w${w} |= v << ${sh};` : ''));
      // Stryker disable next-line ConditionalExpression: a field of 0 bits has mask 0: extracting it gives min as well
      unpack.push(this.bits[i] === 0
        ? `state[${i}] = ${min};`
        : `state[${i}] = ((w${w} >>> ${sh}) & ${this.mask[i]}) + (${min});`);
    }
    const store = (j: number): string => `out[offset + ${j}] = w${j};`;
    const pack = [...declare, ...packField, ...Array.from({ length: W }, (_, j) => store(j))];
    // The fused form: word j is stored and hashed right after its last field (fields fill the
    // words in order, so the words complete in order); a word of no field (a layout of no
    // fields) at the end.
    const last = new Int32Array(W).fill(-1);
    for (let i = 0; i < n; i++) last[this.word[i]] = i;
    const packFp = [...declare, fingerprintText.start(W)];
    let hashed = 0;
    const hashNext = (): void => {
      packFp.push(store(hashed), fingerprintText.word(`w${hashed}`));
      hashed++;
    };
    for (let i = 0; i < n; i++) {
      packFp.push(packField[i]);
      while (hashed < W && last[hashed] === i) hashNext();
    }
    while (hashed < W) hashNext();
    packFp.push(fingerprintText.end());
    const bad = (i: number, v: number): never => this.outOfRange(i, v);
    // Every generated statement ends with ';': they need no separator.
    const makePack = generatedFactory(['bad'], `return function pack(s, out, offset) { let v = 0; ${pack.join('')} };`);
    const makeUnpack = generatedFactory([], `return function unpack(words, offset, state) { ${unpack.join('')} };`);
    const makePackFp = generatedFactory(['bad', 'fmix', 'fp'], `return function packFingerprint(s, out, offset) { let v = 0; ${packFp.join('')} };`);
    return {
      pack: makePack(bad) as StateLayout['pack'],
      unpack: makeUnpack() as StateLayout['unpack'],
      packFingerprint: makePackFp(bad, fmix, fingerprintOut) as StateLayout['packFingerprint'],
    };
  }

  /** The same as `pack`, one field at a time from the layout tables: the reference the
   *  compiled form is tested against. */
  packByTable(state: StateVector, out: Uint32Array, offset: number): void {
    const w = this.wordsPerState;
    // Stryker disable next-line EqualityOperator: `<=` also clears the word after the state, which the reference's tests do not hold
    for (let j = 0; j < w; j++) out[offset + j] = 0;
    const word = this.word, shift = this.shift, min = this.min, max = this.max;
    // Stryker disable next-line EqualityOperator: `<=` also reads state[fieldCount], undefined, whose range checks are false and whose word index is NaN (a no-op); `>=` fails every test
    for (let i = 0; i < this.fieldCount; i++) {
      const v = state[i];
      if (v < min[i] || v > max[i]) this.outOfRange(i, v);
      out[offset + word[i]] |= (v - min[i]) << shift[i];
    }
  }

  /** The same as `unpack`, from the layout tables (the reference for the compiled form). */
  unpackByTable(words: Uint32Array, offset: number, state: StateVector): void {
    const word = this.word, shift = this.shift, min = this.min, mask = this.mask;
    // Stryker disable next-line EqualityOperator: `<=` also writes state[fieldCount], ignored by the typed array; `>=` fails every test
    for (let i = 0; i < this.fieldCount; i++) {
      state[i] = ((words[offset + word[i]] >>> shift[i]) & mask[i]) + min[i];
    }
  }

  /**
   * `pack` of only the words holding `fields` (every field of those words, range-checked): for
   * a state that differs from an already packed one only in those fields (a symmetry image).
   * The other words of `out` are left as they are.
   */
  partialPacker(fields: readonly number[]): (state: StateVector, out: Uint32Array, offset: number) => void {
    const words = new Set(fields.map((i) => this.word[i]));
    const body: string[] = [];
    // Stryker disable next-line MethodExpression,ArithmeticOperator,ArrowFunction: the order the words are written in does not matter
    for (const w of [...words].sort((a, b) => a - b)) body.push(this.wordText(w, (i) => `s[${i}]`, `out[offset + ${w}]`));
    const bad = (i: number, v: number): never => this.outOfRange(i, v);
    return generatedFactory(['bad'], `return function packPartial(s, out, offset) { let v = 0, w = 0; ${body.join('')} };`)(bad) as
      (state: StateVector, out: Uint32Array, offset: number) => void;
  }

  /**
   * Generated code (for `partialPacker` and the symmetry images) that packs word `w` into the
   * element `target`, field i's value being the expression `valueOf(i)`; a value out of range
   * calls `bad(i, value)` (see `refuse`). Uses the locals `v` and `w`.
   */
  wordText(w: number, valueOf: (i: number) => string, target: string): string {
    const body = [`w = 0;`];
    // Stryker disable next-line EqualityOperator: `<=` also looks at field fieldCount, whose word (undefined) is none of them
    for (let i = 0; i < this.fieldCount; i++) {
      if (this.word[i] !== w) continue;
      body.push(`v = (${valueOf(i)}) - (${this.min[i]}); if (v >>> 0 > ${this.max[i] - this.min[i]}) bad(${i}, ${valueOf(i)});`);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a field of 0 bits has v = 0 (range-checked), so or-ing it in is a no-op
      if (this.bits[i] > 0) body.push(`w |= v << ${this.shift[i]};`);
    }
    body.push(`${target} = w;`);
    return body.join('');
  }

  /** The ModelError of `pack` for field `i` holding `v`, outside its bounds. */
  refuse(i: number, v: number): never {
    return this.outOfRange(i, v);
  }

  /** The packed word that holds field `i`. */
  wordOf(i: number): number {
    return this.word[i];
  }

  /** Where field `i`'s bits start in its word (its value minus its minimum, shifted). */
  shiftOf(i: number): number {
    return this.shift[i];
  }

  /** A fresh zeroed state vector of this layout. */
  newState(): StateVector {
    return new Int32Array(this.fieldCount);
  }

  /** Throws unless `state` has one value per field, each within bounds. */
  validate(state: StateVector): void {
    if (state.length !== this.fieldCount) {
      throw new ModelError(`state has ${state.length} values, the model declares ${this.fieldCount} fields`);
    }
    // Stryker disable next-line EqualityOperator: `<=` also reads state[fieldCount], undefined, which no range check rejects (a state of the wrong length is refused above); `>=` fails every test
    for (let i = 0; i < this.fieldCount; i++) {
      const v = state[i];
      if (v < this.min[i] || v > this.max[i]) this.outOfRange(i, v);
    }
  }

  private outOfRange(i: number, v: number): never {
    const f = this.fields[i];
    throw new ModelError(`field ${f.name} = ${v} is outside its declared range [${f.min}, ${f.max}]`);
  }
}
