import type { StateInvariant } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { objIdx, objPfn } from '../../model/zsmalloc/machine.js';
import { HANDLE_LIVE, handleName } from '../../model/zsmalloc/fields.js';
import { V } from '../../model/zsmalloc/violations.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { anyClassLocked, beingFreedTest, freeingPcs, live, describedBy, pcViews } from './helpers.js';
import { fieldsOf } from './reads.js';

/** Handles and objects (§5 inv. 18-21). */
export const docs: InvariantDoc[] = [
  { name: 'handle-consistency', kind: 'state', designs: allDesigns,
    description: 'Every live handle resolves to the allocated slot that names it back, and every allocated slot to its handle (a bijection).',
    kernelRule: 'mm/zsmalloc.c record_obj/obj_to_location/obj_allocated; must hold while pool->lock is not write-held (legacy: outside class->lock, handle not pinned)' },
  { name: V.contentConservation, kind: 'step', designs: allDesigns,
    description: 'A read returns, from every part of the object (both pages of a spanning object), the value last written through its handle; the object does not move while read-locked.',
    kernelRule: 'mm/zsmalloc.c zs_obj_read_begin/end, zs_obj_copy, zs_page_migrate copy_page' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  const legacy = m.design === 'legacy';
  const beingFreed = beingFreedTest(m);
  const chain = new Int32Array(5);
  const pinned = (s: Int32Array, h: number) => legacy && s[f.hPin[h]] !== 0;
  // Built only for a message: the check runs on every new state.
  const name = (h: number) => `handle[${handleName(h)}]`;
  return [{
    name: 'handle-consistency',
    description: describedBy(docs, 'handle-consistency'),
    reads: fieldsOf(f.poolWriter, f.classLock, f.hPin, f.hState, f.hObj, f.pBuddy, f.pZspage, f.zMagic, f.zClass, f.zFirst, f.pNext, f.pHandle, f.pHdr.flat(), f.tZ, f.tPc),
    views: pcViews(m, freeingPcs(m)),
    check(s) {
      if (!legacy && s[f.poolWriter] !== 0) return null;
      // E2 moves objects under class->lock plus the handle pin: between record_obj and
      // obj_free the source header still names the handle. Check outside class->lock.
      if (legacy && anyClassLocked(m, s)) return null;
      // Stryker disable next-line EqualityOperator: `<=` also visits index handles, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let h = 0; h < m.pool.handles; h++) {
        if (s[f.hState[h]] !== HANDLE_LIVE || s[f.hObj[h]] < 0 || pinned(s, h)) continue;
        const obj = s[f.hObj[h]];
        const p = objPfn(obj);
        const idx = objIdx(obj);
        if (s[f.pBuddy[p]] === 1) return `${name(h)}.obj names page[${p}], which is free in the buddy allocator`;
        const z = s[f.pZspage[p]];
        if (z < 0 || !live(m, s, z)) return `${name(h)}.obj names page[${p}], which belongs to no live zspage`;
        const c = m.classOf(s, z);
        if (idx >= m.objs(c)) return `${name(h)}.obj names object ${idx} of a ${m.objs(c)}-object zspage`;
        const n = m.chainInto(s, z, chain);
        let k = -1;
        for (let i = 0; i < n && k < 0; i++) if (chain[i] === p) k = i;
        if (k !== m.objPage(c, idx)) return `${name(h)}.obj names page[${p}] (chain page ${k}) but object ${idx} of zspage[${z}] starts in chain page ${m.objPage(c, idx)}`;
        const back = m.objHandle(s, z, idx);
        if (back !== h) return `${name(h)}.obj names object ${idx} of zspage[${z}], whose header holds ${back < 0 ? 'no handle' : `handle[${handleName(back)}]`}`;
      }
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || s[f.zFirst[z]] < 0 || beingFreed(s, z)) continue;
        const c = m.classOf(s, z);
        // Stryker disable next-line EqualityOperator: `<=` also reads object objs, past the last page, where objHandle finds no page and gives -1 (skipped); `>=` (no iteration) fails every test
        for (let idx = 0; idx < m.objs(c); idx++) {
          const h = m.objHandle(s, z, idx);
          if (h < 0 || h >= m.pool.handles || pinned(s, h)) continue;
          if (s[f.hState[h]] !== HANDLE_LIVE) return `object ${idx} of zspage[${z}] is tagged allocated for handle[${handleName(h)}], which is not live`;
          const obj = s[f.hObj[h]];
          if (obj < 0) continue; // zs_malloc between obj_malloc and record_obj
          const p = m.chainPage(s, z, m.objPage(c, idx));
          if (objPfn(obj) !== p || objIdx(obj) !== idx) return `object ${idx} of zspage[${z}] belongs to handle[${handleName(h)}], but that handle names page[${objPfn(obj)}] object ${objIdx(obj)}`;
        }
      }
      return null;
    },
  }];
}
