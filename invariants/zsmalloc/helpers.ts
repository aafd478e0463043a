import type { StateVector } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { ZSPAGE_MAGIC } from '../../model/zsmalloc/fields.js';
import type { InvariantDoc } from './types.js';

export function live(m: Machine, s: StateVector, z: number): boolean {
  return s[m.f.zMagic[z]] === ZSPAGE_MAGIC;
}

/** A zspage some thread is building (alloc_zspage) or tearing down (__free_zspage): its chain
 *  grows or shrinks step by step and create_page_chain has not run yet / any more. */
export function beingFreed(m: Machine, s: StateVector, z: number): boolean {
  // Stryker disable next-line EqualityOperator: `<=` also visits index T, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
  for (let t = 0; t < m.T; t++) {
    if (s[m.f.tZ[t]] !== z) continue;
    const l = m.pcLabel(s, t);
    if (l && (l.startsWith('__free_zspage:') || l === 'alloc_zspage:alloc_page' || l === 'alloc_zspage:init_zspage' || l === 'alloc_zspage:undo')) return true;
  }
  return false;
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
