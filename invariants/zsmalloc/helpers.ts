import type { StateVector } from '../../explorer/system.js';
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

/** Whether zspage z is being built or torn down: its chain grows or shrinks step by step and
 *  create_page_chain has not run yet / any more. Built once per machine, called per state. */
export function beingFreedTest(m: Machine): (s: StateVector, z: number) => boolean {
  const freeing = pcTable(m, freeingStep);
  const tZ = m.f.tZ, tPc = m.f.tPc, T = m.T;
  return (s, z) => {
    // Stryker disable next-line EqualityOperator: `<=` also visits index T, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
    for (let t = 0; t < T; t++) {
      if (s[tZ[t]] === z && freeing[s[tPc[t]]] === 1) return true;
    }
    return false;
  };
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
