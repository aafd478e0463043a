import type { StateVector } from '../../explorer/system.js';
import type { Machine } from './machine.js';
import { hdrFree, hdrIsAllocated, hdrHandle, objIdx, objPfn } from './machine.js';
import { isHuge, objOffset } from './shape.js';

/**
 * Object access through the handle's location, as the kernel does it: `obj = *h`
 * (handle_to_obj), `obj_to_location(obj, &zpdesc, &obj_idx)` gives the page frame the object
 * starts in and its zspage-wide index, `offset_in_page(class->size * obj_idx)` the offset, and
 * a spanning object's tail is at offset 0 of `get_next_zpdesc(zpdesc)` (mm/zsmalloc.c
 * obj_free, zs_obj_read_begin, zs_obj_write, zs_object_copy). Nothing here walks the chain
 * from the zspage: a thread holding a stale obj touches the page that obj names.
 */

/** The (page, unit) cells of the object `obj` of a class, header cell first. A tail that
 *  would lie past a page with no next link is reported as page -1. */
export function locationCells(m: Machine, s: StateVector, c: number, obj: number): Array<[number, number]> {
  const U = m.pool.pageUnits;
  const size = m.pool.classes[c].size;
  let p = objPfn(obj);
  let off = objOffset(m.pool, c, objIdx(obj));
  const cells: Array<[number, number]> = [];
  for (let i = 0; i < size; i++) {
    if (off === U) { p = p >= 0 ? s[m.f.pNext[p]] : -1; off = 0; }
    cells.push([p, off]);
    off++;
  }
  return cells;
}

/** The handle the slot at `obj` is tagged allocated for (huge: the page's handle), or -1. */
export function handleAt(m: Machine, s: StateVector, c: number, obj: number): number {
  const [p, u] = locationCells(m, s, c, obj)[0];
  if (p < 0) return -1;
  if (isHuge(m.pool, c)) return s[m.f.pHandle[p]] - 1;
  const v = s[m.f.pHdr[p][u]];
  return hdrIsAllocated(v) ? hdrHandle(v) : -1;
}

export function readAt(m: Machine, s: StateVector, c: number, obj: number): number[] {
  return locationCells(m, s, c, obj).map(([p, u]) => (p >= 0 ? s[m.f.pData[p][u]] : -1));
}

export function writeAt(m: Machine, s: StateVector, c: number, obj: number, v: number): void {
  for (const [p, u] of locationCells(m, s, c, obj)) if (p >= 0) s[m.f.pData[p][u]] = v;
}

/**
 * obj_free(class_size, obj): the header at obj's location becomes a free link to the zspage's
 * current freeobj (huge: the page's handle word is cleared), freeobj = obj_idx, inuse--, all
 * on `get_zspage(f_zpdesc)`, the zspage the *page* names. The freed bytes are cleared (ghost:
 * a later read of the slot sees no payload). Returns that zspage.
 */
export function objFreeAt(m: Machine, s: StateVector, c: number, obj: number): number {
  const f = m.f;
  const cells = locationCells(m, s, c, obj);
  const [p, u] = cells[0];
  const z = s[f.pZspage[p]];
  if (isHuge(m.pool, c)) s[f.pHandle[p]] = 0;
  else if (!m.has('O2')) s[f.pHdr[p][u]] = hdrFree(s[f.zFreeobj[z]]); // O2: link->next not written
  for (const [cp, cu] of cells) if (cp >= 0) s[f.pData[cp][cu]] = 0;
  s[f.zFreeobj[z]] = objIdx(obj);
  s[f.zInuse[z]]--;
  return z;
}
