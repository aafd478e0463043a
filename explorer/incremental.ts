import type { StateInvariant, StateVector, Field } from './system.js';
import type { StateLayout } from './packing.js';
import { ModelError } from './model-error.js';

/**
 * Which state invariants a step may have changed the verdict of (incremental checks).
 *
 * An invariant that declares `reads` is a function of those fields, and of a field it declares
 * a view of only through the view's table. The parent state was expanded only after every
 * invariant held there, so a child that agrees with it on all of that gives the same verdicts:
 * only the invariants with a read field that changed (for a viewed field: whose table entry
 * changed) are due. Fields are compared one by one, and only in the packed words that differ.
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
  /** Per word, the fields some invariant reads (`wordFields[wordStart[w] .. wordStart[w + 1]]`). */
  private readonly wordStart: Int32Array;
  private readonly wordFields: Int32Array;
  /** Per field f, the invariants that read its value (`plain[f * M ..]`). */
  private readonly plain: Int32Array;
  /** Per field f, its views (`viewStart[f] .. viewStart[f + 1]`): the table (`viewTable`, an
   *  index into `tables`) and the invariants that read f through it (`viewMask[e * M ..]`). */
  private readonly viewStart: Int32Array;
  private readonly viewTable: Int32Array;
  private readonly viewMask: Int32Array;
  private readonly tables: Int32Array[] = [];

  constructor(invariants: readonly StateInvariant[], fields: readonly Field[], layout: StateLayout) {
    const M = Math.max(1, Math.ceil(invariants.length / 32));
    this.M = M;
    this.always = new Int32Array(M);
    this.due = new Int32Array(M);
    this.plain = new Int32Array(fields.length * M);
    const bit = (mask: Int32Array, at: number, i: number) => { mask[at + (i >>> 5)] |= 1 << (i & 31); };
    // Per field, its views by table (identical tables shared): table key -> [table index, readers].
    const views: Map<string, { table: number; readers: number[] }>[] = fields.map(() => new Map());
    const tableIndex = new Map<string, number>();
    const read = new Uint8Array(fields.length);
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
          read[f] = 1;
        }
      }
      for (const f of inv.reads) {
        if (viewed.has(f)) continue;
        bit(this.plain, f * M, i);
        read[f] = 1;
      }
    });
    this.declared = invariants.some((inv) => inv.reads !== undefined);
    const entries = views.flatMap((byTable) => [...byTable.values()]);
    this.viewStart = new Int32Array(fields.length + 1);
    views.forEach((byTable, f) => { this.viewStart[f + 1] = this.viewStart[f] + byTable.size; });
    this.viewTable = Int32Array.from(entries, (e) => e.table);
    this.viewMask = new Int32Array(entries.length * M);
    entries.forEach((e, k) => { for (const i of e.readers) bit(this.viewMask, k * M, i); });
    const W = layout.wordsPerState;
    const byWord: number[][] = Array.from({ length: W }, () => []);
    read.forEach((r, f) => { if (r === 1) byWord[layout.wordOf(f)].push(f); });
    this.wordStart = new Int32Array(W + 1);
    byWord.forEach((fs, w) => { this.wordStart[w + 1] = this.wordStart[w] + fs.length; });
    this.wordFields = Int32Array.from(byWord.flat());
  }

  /**
   * The invariants due on `child` (packed at `childWords[offset ..]`), a successor of `parent`
   * (packed in `parentWords`), as a mask: invariant i is due when bit i & 31 of element i >> 5
   * is set. The array is reused by the next call.
   */
  dueAfter(parentWords: Uint32Array, parent: StateVector, childWords: Uint32Array, offset: number, child: StateVector): Int32Array {
    const M = this.M, due = this.due, always = this.always;
    // Stryker disable next-line EqualityOperator: `<=` also writes element M, past the end of the typed array (ignored)
    for (let k = 0; k < M; k++) due[k] = always[k];
    const wordStart = this.wordStart, wordFields = this.wordFields, plain = this.plain;
    const viewStart = this.viewStart, viewTable = this.viewTable, viewMask = this.viewMask, tables = this.tables;
    for (let w = 0; w < parentWords.length; w++) {
      // Stryker disable next-line ConditionalExpression: comparing the fields of an unchanged word finds them all equal (slower, the same mask)
      if (childWords[offset + w] === parentWords[w]) continue;
      // Stryker disable next-line EqualityOperator: `<=` also compares the next word's first field, which marks it only if it changed (as its own word would)
      for (let j = wordStart[w]; j < wordStart[w + 1]; j++) {
        const f = wordFields[j];
        const a = parent[f], b = child[f];
        if (a === b) continue;
        // Stryker disable next-line EqualityOperator: `<=` also ors in element M of this field's mask: the next field's first element into due[M], past the end (ignored)
        for (let k = 0; k < M; k++) due[k] |= plain[f * M + k];
        for (let e = viewStart[f]; e < viewStart[f + 1]; e++) {
          const t = tables[viewTable[e]];
          // Stryker disable next-line EqualityOperator: `<=` also ors in element M of this view's mask into due[M], past the end (ignored)
          if (t[a] !== t[b]) for (let k = 0; k < M; k++) due[k] |= viewMask[e * M + k];
        }
      }
    }
    return due;
  }
}
