import type { StateInvariant, Field } from './system.js';
import type { StateLayout } from './packing.js';
import { ModelError } from './model-error.js';
import { generatedFactory } from './generated-code.js';

/** Field f's bits in its packed word, as a mask (a 32-bit field is the whole word). */
function fieldBits(layout: StateLayout, f: number): number {
  return layout.bits[f] === 32 ? -1 : ((1 << layout.bits[f]) - 1) << layout.shiftOf(f);
}

/**
 * Which state invariants a step may have changed the verdict of (incremental checks).
 *
 * An invariant that declares `reads` is a function of those fields, and of a field it declares
 * a view of only through the view's table. The parent state was expanded only after every
 * invariant held there, so a child that agrees with it on all of that gives the same verdicts:
 * only the invariants with a read field that changed (for a viewed field: whose table entry
 * changed) are due.
 *
 * Why on the packed words: a field changed exactly when its bits in its packed word did (each
 * in-range value has its own bit pattern), so the XOR of the parent's and the child's word
 * shows every changed field of the word at once. The fields of a word that the same
 * invariants read plainly are one bit mask, so a changed word costs one AND per group of
 * readers instead of two loads and a compare per field; a viewed field's values, needed only
 * when its bits changed, are extracted from the two words.
 */
export class InvariantTriggers {
  /** Some invariant declares `reads`: skipping is possible at all. */
  readonly declared: boolean;
  /** Numbers per invariant mask: invariant i is bit i & 31 of element i >> 5. */
  private readonly M: number;
  /** The invariants that declare no `reads` (due after every step). */
  private readonly always: Int32Array;
  /** The invariants due after the last `dueAfter` (reused). */
  private readonly due: Int32Array;
  /** Per word w, its groups (`groupStart[w] .. groupStart[w + 1]`): the bits of the fields
   *  that the same invariants read plainly (`groupBits`), and those invariants
   *  (`groupDue[g * M ..]`). */
  private readonly groupStart: Int32Array;
  private readonly groupBits: Int32Array;
  private readonly groupDue: Int32Array;
  /** Per word w, its viewed fields (`viewedStart[w] .. viewedStart[w + 1]`): the field's bits
   *  in the word, its shift, its unshifted mask and minimum (its value from the word), and its
   *  views (`viewStart[v] .. viewStart[v + 1]`). */
  private readonly viewedStart: Int32Array;
  private readonly viewedBits: Int32Array;
  private readonly viewedShift: Int32Array;
  private readonly viewedMask: Int32Array;
  private readonly viewedMin: Int32Array;
  /** Per viewed field v, its views (`viewStart[v] .. viewStart[v + 1]`): the table (`viewTable`,
   *  an index into `tables`) and the invariants that read the field through it
   *  (`viewMask[e * M ..]`). */
  private readonly viewStart: Int32Array;
  private readonly viewTable: Int32Array;
  private readonly viewMask: Int32Array;
  // Stryker disable next-line ArrayDeclaration: a view's table index is the length before its push, so an extra first element only takes index 0, which no view names
  private readonly tables: Int32Array[] = [];
  /** `dueAfter32`'s compiled body (at most 32 invariants), else null. */
  private readonly compiled: (parentWords: Uint32Array, childWords: Uint32Array, offset: number) => number;

  constructor(invariants: readonly StateInvariant[], fields: readonly Field[], layout: StateLayout) {
    // Stryker disable next-line ArithmeticOperator: `* 32` gives masks 32 times longer whose extra numbers stay 0: more memory, the same bits set and read
    const M = Math.max(1, Math.ceil(invariants.length / 32));
    this.M = M;
    this.always = new Int32Array(M);
    this.due = new Int32Array(M);
    const plain = new Int32Array(fields.length * M);
    const bit = (mask: Int32Array, at: number, i: number) => { mask[at + (i >>> 5)] |= 1 << (i & 31); };
    // Per field, its views by table (identical tables shared): table key -> [table index, readers].
    const views: Map<string, { table: number; readers: number[] }>[] = fields.map(() => new Map());
    const tableIndex = new Map<string, number>();
    invariants.forEach((inv, i) => {
      if (inv.reads === undefined) {
        bit(this.always, 0, i);
        if (inv.views !== undefined && inv.views.length > 0) throw new ModelError(`invariant ${inv.name} declares views but no reads`);
        return;
      }
      for (const f of inv.reads) {
        if (!(Number.isInteger(f) && f >= 0 && f < fields.length)) throw new ModelError(`invariant ${inv.name} reads field ${f}, which does not exist`);
      }
      const viewed = new Set<number>();
      for (const v of inv.views ?? []) {
        const key = Array.from(v.table).join(',');
        // Stryker disable next-line ConditionalExpression,BooleanLiteral,BlockStatement: sharing an identical table only saves lookups (a copy per view gives the same classes)
        if (!tableIndex.has(key)) { tableIndex.set(key, this.tables.length); this.tables.push(Int32Array.from(v.table)); }
        for (const f of v.fields) {
          if (!inv.reads.includes(f)) throw new ModelError(`invariant ${inv.name} views field ${f}, which its reads do not list`);
          if (viewed.has(f)) throw new ModelError(`invariant ${inv.name} views field ${fields[f].name} twice`);
          if (fields[f].min < 0 || v.table.length <= fields[f].max) {
            throw new ModelError(`invariant ${inv.name}'s view of field ${fields[f].name} does not cover its values ${fields[f].min}..${fields[f].max}`);
          }
          viewed.add(f);
          const entry = views[f].get(key) ?? { table: tableIndex.get(key)!, readers: [] };
          entry.readers.push(i);
          views[f].set(key, entry);
        }
      }
      for (const f of inv.reads) if (!viewed.has(f)) bit(plain, f * M, i);
    });
    this.declared = invariants.some((inv) => inv.reads !== undefined);
    const W = layout.wordsPerState;
    // A field of no bits (a constant) never changes: it belongs to no group and no view.
    const groups: { bits: number; due: Int32Array }[][] = Array.from({ length: W }, () => []);
    const viewed: number[][] = Array.from({ length: W }, () => []);
    for (let f = 0; f < fields.length; f++) {
      if (layout.bits[f] === 0) continue;
      const w = layout.wordOf(f);
      const due = plain.subarray(f * M, f * M + M);
      if (due.some((x) => x !== 0)) {
        // Stryker disable next-line ArrowFunction: a callback giving undefined never finds a group, so each field gets its own: the same union of due bits per changed word
        const g = groups[w].find((x) => x.due.every((d, k) => d === due[k]));
        if (g !== undefined) g.bits |= fieldBits(layout, f);
        else groups[w].push({ bits: fieldBits(layout, f), due: Int32Array.from(due) });
      }
      if (views[f].size > 0) viewed[w].push(f);
    }
    this.groupStart = new Int32Array(W + 1);
    groups.forEach((gs, w) => { this.groupStart[w + 1] = this.groupStart[w] + gs.length; });
    const allGroups = groups.flat();
    this.groupBits = Int32Array.from(allGroups, (g) => g.bits);
    this.groupDue = new Int32Array(allGroups.length * M);
    allGroups.forEach((g, k) => this.groupDue.set(g.due, k * M));
    this.viewedStart = new Int32Array(W + 1);
    viewed.forEach((fs, w) => { this.viewedStart[w + 1] = this.viewedStart[w] + fs.length; });
    const allViewed = viewed.flat();
    this.viewedBits = Int32Array.from(allViewed, (f) => fieldBits(layout, f));
    this.viewedShift = Int32Array.from(allViewed, (f) => layout.shiftOf(f));
    // Stryker disable next-line UnaryOperator: a viewed field has bounds min >= 0 and max <= 0x7fffffff, so at most 31 bits: the 32-bit arm is never taken
    this.viewedMask = Int32Array.from(allViewed, (f) => (layout.bits[f] === 32 ? -1 : (1 << layout.bits[f]) - 1));
    this.viewedMin = Int32Array.from(allViewed, (f) => fields[f].min);
    const entries = allViewed.map((f) => [...views[f].values()]);
    this.viewStart = new Int32Array(allViewed.length + 1);
    entries.forEach((es, v) => { this.viewStart[v + 1] = this.viewStart[v] + es.length; });
    this.viewTable = Int32Array.from(entries.flat(), (e) => e.table);
    this.viewMask = new Int32Array(entries.flat().length * M);
    entries.flat().forEach((e, k) => { for (const i of e.readers) bit(this.viewMask, k * M, i); });
    this.compiled = M === 1 ? this.compile() : () => 0;
  }

  /**
   * The invariants due on the child packed at `childWords[offset ..]`, a successor of the
   * parent packed in `parentWords`, as a mask: invariant i is due when bit i & 31 of element
   * i >> 5 is set. The array is reused by the next call.
   */
  dueAfter(parentWords: Uint32Array, childWords: Uint32Array, offset: number): Int32Array {
    if (this.M === 1) return this.dueAfter32(parentWords, childWords, offset);
    const M = this.M, due = this.due, always = this.always;
    // Stryker disable next-line EqualityOperator: `<=` also writes element M, past the end of the typed array (ignored)
    for (let k = 0; k < M; k++) due[k] = always[k];
    const groupStart = this.groupStart, groupBits = this.groupBits, groupDue = this.groupDue;
    const viewedStart = this.viewedStart, viewedBits = this.viewedBits;
    for (let w = 0; w < parentWords.length; w++) {
      const p = parentWords[w], c = childWords[offset + w];
      const x = p ^ c;
      // Stryker disable next-line ConditionalExpression: testing the groups of an unchanged word finds no changed bit (slower, the same mask)
      if (x === 0) continue;
      // Stryker disable next-line EqualityOperator: `<=` also tests the next word's first group against this word's changes, which can only add a due check (the same verdicts)
      for (let g = groupStart[w]; g < groupStart[w + 1]; g++) {
        if ((x & groupBits[g]) === 0) continue;
        // Stryker disable next-line EqualityOperator: `<=` also ors in element M of this group's mask: the next group's first element into due[M], past the end (ignored)
        for (let k = 0; k < M; k++) due[k] |= groupDue[g * M + k];
      }
      // Stryker disable next-line EqualityOperator: `<=` also looks at the next word's first viewed field, whose bits in this word's changes may add a due check (the same verdicts)
      for (let v = viewedStart[w]; v < viewedStart[w + 1]; v++) {
        if ((x & viewedBits[v]) !== 0) this.viewChanged(v, p, c);
      }
    }
    return due;
  }

  /** `dueAfter` for up to 32 checks (one number per mask): the compiled form. */
  private dueAfter32(parentWords: Uint32Array, childWords: Uint32Array, offset: number): Int32Array {
    this.due[0] = this.compiled(parentWords, childWords, offset);
    return this.due;
  }

  /**
   * Why generated code: this runs on every new state, and the table-driven loop (`dueByTable`)
   * spent most of its time loading the layout's groups from typed arrays and testing loop
   * bounds. With the groups' bits, due masks and views inlined as constants, a word is one XOR,
   * and a changed word one AND and branch per group. Built only from this object's numbers.
   */
  private compile(): (parentWords: Uint32Array, childWords: Uint32Array, offset: number) => number {
    const body: string[] = [];
    for (let w = 0; w + 1 < this.groupStart.length; w++) {
      const tests: string[] = [];
      for (let g = this.groupStart[w]; g < this.groupStart[w + 1]; g++) {
        tests.push(`if ((x & ${this.groupBits[g]}) !== 0) due |= ${this.groupDue[g]};`);
      }
      for (let v = this.viewedStart[w]; v < this.viewedStart[w + 1]; v++) {
        const sh = this.viewedShift[v], mask = this.viewedMask[v], min = this.viewedMin[v];
        const views: string[] = [];
        for (let e = this.viewStart[v]; e < this.viewStart[v + 1]; e++) {
          const t = this.viewTable[e];
          views.push(`if (t${t}[a] !== t${t}[b]) due |= ${this.viewMask[e]};`);
        }
        tests.push(`if ((x & ${this.viewedBits[v]}) !== 0) { a = ((p >>> ${sh}) & ${mask}) + (${min}); b = ((c >>> ${sh}) & ${mask}) + (${min}); ${views.join('')} }`);
      }
      // A word no invariant reads is not looked at.
      if (tests.length === 0) continue;
      body.push(`p = parentWords[${w}]; c = childWords[offset + ${w}]; x = p ^ c; if (x !== 0) { ${tests.join('')} }`);
    }
    const tables = this.tables.map((_, t) => `const t${t} = tables[${t}];`).join('');
    return generatedFactory(['tables'], `${tables} return function dueAfter32(parentWords, childWords, offset) { let due = ${this.always[0]}, p = 0, c = 0, x = 0, a = 0, b = 0; ${body.join('')} return due; };`)(this.tables) as
      (parentWords: Uint32Array, childWords: Uint32Array, offset: number) => number;
  }

  /** The same as the compiled `dueAfter32`, from the tables: the reference it is tested against. */
  dueByTable(parentWords: Uint32Array, childWords: Uint32Array, offset: number): number {
    let due = this.always[0];
    const groupStart = this.groupStart, groupBits = this.groupBits, groupDue = this.groupDue;
    const viewedStart = this.viewedStart, viewedBits = this.viewedBits;
    for (let w = 0; w < parentWords.length; w++) {
      const p = parentWords[w], c = childWords[offset + w];
      const x = p ^ c;
      if (x === 0) continue;
      for (let g = groupStart[w]; g < groupStart[w + 1]; g++) {
        if ((x & groupBits[g]) !== 0) due |= groupDue[g];
      }
      for (let v = viewedStart[w]; v < viewedStart[w + 1]; v++) {
        if ((x & viewedBits[v]) === 0) continue;
        const sh = this.viewedShift[v], mask = this.viewedMask[v], min = this.viewedMin[v];
        const a = ((p >>> sh) & mask) + min, b = ((c >>> sh) & mask) + min;
        for (let e = this.viewStart[v]; e < this.viewStart[v + 1]; e++) {
          const t = this.tables[this.viewTable[e]];
          if (t[a] !== t[b]) due |= this.viewMask[e];
        }
      }
    }
    return due;
  }

  /** Viewed field v changed between the words `p` and `c`: marks the invariants whose view
   *  of it (its class in the table) changed. */
  private viewChanged(v: number, p: number, c: number): void {
    const M = this.M, due = this.due, sh = this.viewedShift[v], mask = this.viewedMask[v], min = this.viewedMin[v];
    const a = ((p >>> sh) & mask) + min, b = ((c >>> sh) & mask) + min;
    for (let e = this.viewStart[v]; e < this.viewStart[v + 1]; e++) {
      const t = this.tables[this.viewTable[e]];
      // Stryker disable next-line EqualityOperator: `<=` also ors in element M of this view's mask into due[M], past the end (ignored)
      if (t[a] !== t[b]) for (let k = 0; k < M; k++) due[k] |= this.viewMask[e * M + k];
    }
  }
}

/**
 * Which action properties a transition may break (incremental checks): one that declares
 * `changes` returns null on every transition that leaves those fields alone, so it is due only
 * when one of them changed; one that declares nothing is always due.
 *
 * Why per property, on the packed words: a property is about a few fields in a few words, and a
 * field changed exactly when its bits did, so the test is one XOR and AND per word it has fields
 * in (against the parent's packed words), with no branch until the end. Scanning every word of
 * the state per transition, as the invariants' triggers do per new state, cost as much as the
 * checks it skipped.
 */
export class ChangeTriggers {
  /** Some property declares `changes`: skipping is possible at all. */
  readonly declared: boolean;
  /** Per property, 1 when it declares no `changes` (always due). */
  private readonly always: Uint8Array;
  /** Per property i, its words (`word[start[i] .. start[i + 1]]`) and its fields' bits in each. */
  private readonly start: Int32Array;
  private readonly word: Int32Array;
  private readonly bits: Int32Array;
  /** At most 32 properties: `dueMask` applies. */
  readonly masked: boolean;
  private readonly alwaysMask: number;
  private readonly maskWord: Int32Array;
  private readonly maskStart: Int32Array;
  private readonly maskBits: Int32Array;
  private readonly maskDue: Int32Array;

  constructor(properties: readonly { readonly name?: string; readonly changes?: readonly number[] }[], layout: StateLayout) {
    this.declared = properties.some((p) => p.changes !== undefined);
    this.always = Uint8Array.from(properties, (p) => (p.changes === undefined ? 1 : 0));
    const perProperty = properties.map((p) => {
      const byWord = new Map<number, number>();
      // Stryker disable next-line ArrayDeclaration: only a property with no `changes` reaches the default, and it is always due; the string's entry has bits 0 (undefined shifts), which no change matches
      for (const f of p.changes ?? []) {
        if (!(Number.isInteger(f) && f >= 0 && f < layout.fieldCount)) throw new ModelError(`action property ${p.name} changes field ${f}, which does not exist`);
        // A field of no bits (a constant) never changes.
        if (layout.bits[f] === 0) continue;
        const w = layout.wordOf(f);
        byWord.set(w, (byWord.get(w) ?? 0) | fieldBits(layout, f));
      }
      return [...byWord];
    });
    this.start = new Int32Array(properties.length + 1);
    perProperty.forEach((ws, i) => { this.start[i + 1] = this.start[i] + ws.length; });
    this.word = Int32Array.from(perProperty.flat(), ([w]) => w);
    this.bits = Int32Array.from(perProperty.flat(), ([, b]) => b);
    // dueMask's tables: per word some property has fields in, its (bits, property bit) entries.
    this.masked = properties.length <= 32;
    this.alwaysMask = properties.reduce((m, p, i) => (p.changes === undefined ? m | (1 << i) : m), 0);
    const byWord = new Map<number, [number, number][]>();
    perProperty.forEach((ws, i) => { for (const [w, bits] of ws) byWord.set(w, [...(byWord.get(w) ?? []), [bits, 1 << i]]); });
    // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: the order of the words only orders dueMask's loop; each word's entries are or-ed into one mask in any order
    const words = [...byWord.keys()].sort((a, b) => a - b);
    this.maskWord = Int32Array.from(words);
    this.maskStart = new Int32Array(words.length + 1);
    words.forEach((w, u) => { this.maskStart[u + 1] = this.maskStart[u] + byWord.get(w)!.length; });
    const entries = words.flatMap((w) => byWord.get(w)!);
    this.maskBits = Int32Array.from(entries, ([bits]) => bits);
    this.maskDue = Int32Array.from(entries, ([, due]) => due);
    this.dueMask = this.masked ? this.compileMask() : () => 0;
  }

  /** The properties due on the transition from the state packed in `parentWords` to the one
   *  packed at `childWords[offset ..]`, as a bit mask (property i: bit i), for at most 32
   *  properties: each word some property has fields in is compared once, unchanged ones
   *  skipped. */
  readonly dueMask: (parentWords: Uint32Array, childWords: Uint32Array, offset: number) => number;

  /**
   * `dueMask` as generated code (run on every transition): each word's bits and property bits
   * inlined as constants, as for the invariants' triggers. Built only from this object's numbers.
   */
  private compileMask(): (parentWords: Uint32Array, childWords: Uint32Array, offset: number) => number {
    const body: string[] = [];
    for (let u = 0; u < this.maskWord.length; u++) {
      const w = this.maskWord[u];
      const tests: string[] = [];
      for (let e = this.maskStart[u]; e < this.maskStart[u + 1]; e++) tests.push(`if ((x & ${this.maskBits[e]}) !== 0) due |= ${this.maskDue[e]};`);
      body.push(`x = parentWords[${w}] ^ childWords[offset + ${w}]; if (x !== 0) { ${tests.join('')} }`);
    }
    return generatedFactory([], `return function dueMask(parentWords, childWords, offset) { let due = ${this.alwaysMask}, x = 0; ${body.join('')} return due; };`)() as
      (parentWords: Uint32Array, childWords: Uint32Array, offset: number) => number;
  }

  /** The same as the compiled `dueMask`, from the tables: the reference it is tested against. */
  dueMaskByTable(parentWords: Uint32Array, childWords: Uint32Array, offset: number): number {
    let due = this.alwaysMask;
    const maskWord = this.maskWord, maskStart = this.maskStart, maskBits = this.maskBits, maskDue = this.maskDue;
    for (let u = 0; u < maskWord.length; u++) {
      const w = maskWord[u];
      const x = parentWords[w] ^ childWords[offset + w];
      if (x === 0) continue;
      // Stryker disable next-line EqualityOperator: `<=` also tests the next word's first entry against this word's changes, which can only make a property due (the same verdicts)
      for (let e = maskStart[u]; e < maskStart[u + 1]; e++) if ((x & maskBits[e]) !== 0) due |= maskDue[e];
    }
    return due;
  }

  /** Whether property i is due on the transition from the state packed in `parentWords` to
   *  the one packed at `childWords[offset ..]` (any number of properties). */
  due(i: number, parentWords: Uint32Array, childWords: Uint32Array, offset: number): boolean {
    if (this.always[i] === 1) return true;
    const word = this.word, bits = this.bits;
    let changed = 0;
    // Stryker disable next-line EqualityOperator: `<=` also tests the next property's first word, which can only make this one due (the same verdicts)
    for (let j = this.start[i]; j < this.start[i + 1]; j++) {
      const w = word[j];
      changed |= (parentWords[w] ^ childWords[offset + w]) & bits[j];
    }
    return changed !== 0;
  }
}

/**
 * Which action properties can fail on a transition, by the label of its action: one that
 * declares `labels` returns null on every transition by an action of another label, so it is
 * due only on those; one that declares nothing on every label. Why: a property about some steps
 * (the sleeping ones, the blocking acquisitions) is otherwise called on every transition only
 * to return at its first line; one table load per transition skips it.
 */
export class LabelTriggers {
  /** Some property declares `labels`: skipping is possible at all. */
  readonly declared: boolean;
  private readonly labelCount: number;
  /** Per property i and label l, 1 at `i * labelCount + l` when it may fail on l. */
  private readonly on: Uint8Array;
  /** For at most 32 properties, per label, the properties that may fail on it (bit i). */
  private readonly masks: Int32Array;

  constructor(properties: readonly { readonly name?: string; readonly labels?: readonly number[] }[], labelCount: number) {
    this.declared = properties.some((p) => p.labels !== undefined);
    this.labelCount = labelCount;
    this.on = new Uint8Array(properties.length * labelCount);
    this.masks = new Int32Array(labelCount);
    properties.forEach((p, i) => {
      for (const l of p.labels ?? []) {
        if (!(Number.isInteger(l) && l >= 0 && l < labelCount)) throw new ModelError(`action property ${p.name} lists label ${l}, which does not exist`);
      }
      const listed = p.labels === undefined ? null : new Set(p.labels);
      for (let l = 0; l < labelCount; l++) {
        if (listed !== null && !listed.has(l)) continue;
        this.on[i * labelCount + l] = 1;
        if (i < 32) this.masks[l] |= 1 << i;
      }
    });
  }

  /** The properties (at most 32; property i: bit i) that may fail on an action of `label`. */
  maskOf(label: number): number {
    return this.masks[label];
  }

  /** Whether property i may fail on an action of `label` (any number of properties). */
  dueOn(i: number, label: number): boolean {
    return this.on[i * this.labelCount + label] === 1;
  }
}
