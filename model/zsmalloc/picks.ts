import type { StateVector } from '../../explorer/system.js';
import type { Machine } from './machine.js';
import { dstScanOrder, mallocScanOrder, srcScanOrder } from './shape.js';
import { headNode, listFirst, listHeads, nextOf } from './lists.js';

/**
 * The kernel's list-head picks (find_get_zspage, isolate_src_zspage, isolate_dst_zspage in
 * mm/zsmalloc.c) take `list_first_entry_or_null` of the first non-empty fullness list in scan
 * order. Which zspage is at the head depends on the order of earlier insert_zspage calls
 * (list_add at the head), i.e. on timing. With `picks: 'lowest'` the model takes the
 * lowest-index zspage; with `picks: 'any'` every zspage of that list is a separate choice.
 */

/** The zspages of class c on fullness list fg, lowest index first. */
export function listEntries(m: Machine, s: StateVector, c: number, fg: number, except = -1): number[] {
  const out: number[] = [];
  for (let z = 0; z < m.K; z++) {
    if (z !== except && s[m.f.zClass[z]] === c && s[m.f.zList[z]] === fg && s[m.f.zMagic[z]] !== 0) out.push(z);
  }
  return out;
}

/** Candidates of the first non-empty list in `order` (empty: every list is empty). */
export function headCandidates(m: Machine, s: StateVector, c: number, order: readonly number[], except = -1): number[] {
  if (listHeads(m)) {
    // The kernel's own order: list_first_entry_or_null of the first non-empty list.
    for (const fg of order) {
      const head = headNode(m, c, fg);
      let z = listFirst(m, s, head);
      if (z === except && z >= 0) z = nextOf(m, s, z) === head ? -1 : nextOf(m, s, z);
      if (z >= 0 && z < m.K) return [z];
    }
    return [];
  }
  for (const fg of order) {
    const e = listEntries(m, s, c, fg, except);
    if (e.length > 0) return m.config.picks === 'any' ? e : [e[0]];
  }
  return [];
}

/** How many free frames the buddy allocator may hand out (picks 'any'), else 1: its choice
 *  depends on free-list order, which the model does not keep. */
export function buddyChoices(m: Machine, s: StateVector): number {
  if (m.config.picks !== 'any') return 1;
  let n = 0;
  for (let p = 0; p < m.N; p++) if (s[m.f.pBuddy[p]] === 1) n++;
  return Math.max(1, n);
}

export function mallocCandidates(m: Machine, s: StateVector, c: number): number[] {
  return headCandidates(m, s, c, mallocScanOrder(m.design));
}
export function dstCandidates(m: Machine, s: StateVector, c: number, except = -1): number[] {
  return headCandidates(m, s, c, dstScanOrder(m.design), except);
}
export function srcCandidates(m: Machine, s: StateVector, c: number, except: number): number[] {
  return headCandidates(m, s, c, srcScanOrder(m.design), except);
}
