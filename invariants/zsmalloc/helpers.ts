import type { FieldView, StateVector } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { ZSPAGE_MAGIC } from '../../model/zsmalloc/fields.js';
import type { InvariantDoc } from './types.js';

export function live(m: Machine, s: StateVector, z: number): boolean {
  return s[m.f.zMagic[z]] === ZSPAGE_MAGIC;
}

/** A table over program counters (every label's id, and DONE) holding 1 where `pred` accepts
 *  the label. Invariants run on every new state: one array read per thread instead of string
 *  compares on its label. */
export function pcTable(m: Machine, pred: (label: string) => boolean): Uint8Array {
  // Stryker disable next-line ArithmeticOperator: `- 1` loses only the last label's entry (zs_destroy_pool:free_pool in every design), which no table accepts; the every-step tests in test/invariants/ would see a table that did
  const table = new Uint8Array(m.labels.length + 1);
  m.labels.forEach((l, i) => { if (pred(l)) table[i] = 1; });
  return table;
}

/** The steps during which a thread is building (alloc_zspage) or tearing down
 *  (__free_zspage) the zspage in its tZ. */
function freeingStep(l: string): boolean {
  return l.startsWith('__free_zspage:') || l === 'alloc_zspage:alloc_page' || l === 'alloc_zspage:init_zspage' || l === 'alloc_zspage:undo';
}

/** The pcTable of the steps `beingFreedTest` exempts a thread's zspage at. */
export function freeingPcs(m: Machine): Uint8Array {
  return pcTable(m, freeingStep);
}

/** Whether zspage z is being built or torn down: its chain grows or shrinks step by step and
 *  create_page_chain has not run yet / any more. Built once per machine, called per state. */
export function beingFreedTest(m: Machine): (s: StateVector, z: number) => boolean {
  const freeing = freeingPcs(m);
  const tZ = m.f.tZ, tPc = m.f.tPc, T = m.T;
  return (s, z) => {
    // Stryker disable next-line EqualityOperator: `<=` also visits index T, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
    for (let t = 0; t < T; t++) {
      if (s[tZ[t]] === z && freeing[s[tPc[t]]] === 1) return true;
    }
    return false;
  };
}

/**
 * The `views` of an invariant that reads every thread's program counter only through the
 * pcTables `tables` (explorer/system.ts FieldView): a step that moves a pc between labels the
 * tables all classify alike cannot change its verdict, so the search need not re-evaluate it.
 * test/scenarios/invariant-views.test.ts checks on reachable states that swapping a pc for another of
 * the same class never changes a verdict.
 */
export function pcViews(m: Machine, ...tables: Uint8Array[]): FieldView[] {
  const table = new Uint8Array(m.labels.length + 1);
  // Stryker disable next-line EqualityOperator: `<=` also ors into table[length], past the end of the typed array (dropped); `>=` builds no table and fails the view tests
  tables.forEach((t, k) => { for (let pc = 0; pc < table.length; pc++) table[pc] |= t[pc] << k; });
  return [{ fields: m.f.tPc, table }];
}

export function anyClassLocked(m: Machine, s: StateVector): boolean {
  return m.f.classLock.some((l) => s[l] !== 0);
}

/** The catalogue description of invariant `name`, looked up by name so that a property and its
 *  catalogue entry cannot drift apart when the entries are reordered. */
export function describedBy(docs: readonly InvariantDoc[], name: string): string {
  const doc = docs.find((d) => d.name === name);
  if (!doc) throw new Error(`invariant ${name} has no catalogue entry`);
  return doc.description;
}
