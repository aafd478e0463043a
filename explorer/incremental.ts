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
  /** Per invariant: 1 when it declares no `reads` (due after every step). */
  private readonly always: Uint8Array;
  /** Per invariant: 1 when due after the last `dueAfter` (reused). */
  private readonly due: Uint8Array;
  /** Per word, the fields some invariant reads (`wordFields[wordStart[w] .. wordStart[w + 1]]`). */
  private readonly wordStart: Int32Array;
  private readonly wordFields: Int32Array;
  /** Per field, its readers (`readerInv[fieldStart[f] .. fieldStart[f + 1]]`) and the view
   *  each reads it through (an index into `tables`, or -1 for the value itself). */
  private readonly fieldStart: Int32Array;
  private readonly readerInv: Int32Array;
  private readonly readerView: Int32Array;
  private readonly tables: Int32Array[] = [];

  constructor(invariants: readonly StateInvariant[], fields: readonly Field[], layout: StateLayout) {
    const readers: { inv: number; view: number }[][] = fields.map(() => []);
    this.always = new Uint8Array(invariants.length);
    this.due = new Uint8Array(invariants.length);
    invariants.forEach((inv, i) => {
      if (inv.reads === undefined) {
        this.always[i] = 1;
        if (inv.views !== undefined && inv.views.length > 0) throw new ModelError(`invariant ${inv.name} declares views but no reads`);
        return;
      }
      for (const f of inv.reads) {
        if (!(Number.isInteger(f) && f >= 0 && f < fields.length)) throw new ModelError(`invariant ${inv.name} reads field ${f}, which does not exist`);
      }
      const viewOf = new Map<number, number>();
      for (const v of inv.views ?? []) {
        const t = this.tables.length;
        this.tables.push(Int32Array.from(v.table));
        for (const f of v.fields) {
          if (!inv.reads.includes(f)) throw new ModelError(`invariant ${inv.name} views field ${f}, which its reads do not list`);
          if (viewOf.has(f)) throw new ModelError(`invariant ${inv.name} views field ${fields[f].name} twice`);
          if (fields[f].min < 0 || v.table.length <= fields[f].max) {
            throw new ModelError(`invariant ${inv.name}'s view of field ${fields[f].name} does not cover its values ${fields[f].min}..${fields[f].max}`);
          }
          viewOf.set(f, t);
        }
      }
      for (const f of inv.reads) readers[f].push({ inv: i, view: viewOf.get(f) ?? -1 });
    });
    this.declared = invariants.some((inv) => inv.reads !== undefined);
    this.fieldStart = new Int32Array(fields.length + 1);
    const flat = readers.flat();
    this.readerInv = Int32Array.from(flat, (r) => r.inv);
    this.readerView = Int32Array.from(flat, (r) => r.view);
    readers.forEach((r, f) => { this.fieldStart[f + 1] = this.fieldStart[f] + r.length; });
    const W = layout.wordsPerState;
    const byWord: number[][] = Array.from({ length: W }, () => []);
    readers.forEach((r, f) => { if (r.length > 0) byWord[layout.wordOf(f)].push(f); });
    this.wordStart = new Int32Array(W + 1);
    byWord.forEach((fs, w) => { this.wordStart[w + 1] = this.wordStart[w] + fs.length; });
    this.wordFields = Int32Array.from(byWord.flat());
  }

  /**
   * The invariants due on `child` (packed at `childWords[offset ..]`), a successor of `parent`
   * (packed in `parentWords`): 1 per invariant to evaluate. The array is reused by the next call.
   */
  dueAfter(parentWords: Uint32Array, parent: StateVector, childWords: Uint32Array, offset: number, child: StateVector): Uint8Array {
    const due = this.due, always = this.always;
    for (let i = 0; i < due.length; i++) due[i] = always[i];
    const wordStart = this.wordStart, wordFields = this.wordFields, fieldStart = this.fieldStart;
    const readerInv = this.readerInv, readerView = this.readerView, tables = this.tables;
    for (let w = 0; w < parentWords.length; w++) {
      if (childWords[offset + w] === parentWords[w]) continue;
      for (let j = wordStart[w]; j < wordStart[w + 1]; j++) {
        const f = wordFields[j];
        const a = parent[f], b = child[f];
        if (a === b) continue;
        for (let r = fieldStart[f]; r < fieldStart[f + 1]; r++) {
          const v = readerView[r];
          if (v < 0 || tables[v][a] !== tables[v][b]) due[readerInv[r]] = 1;
        }
      }
    }
    return due;
  }
}
