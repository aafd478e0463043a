import type { StepDef } from '../machine.js';
import { HANDLE_LIVE, PGTY_ZSMALLOC, ZSPAGE_MAGIC } from '../fields.js';
import { firstObjOffset, isHuge, objsPerZspage, objChainIndex, objOffset, pageZone } from '../shape.js';
import { buddyChoices, mallocCandidates } from '../picks.js';
import { hdrFree, type Machine } from '../machine.js';
import { writeAt } from '../location.js';
import { V } from '../violations.js';

/** zs_malloc (§2.1): handle, fast path under class->lock, or alloc_zspage with no lock held
 *  (one step per page allocation so the ENOMEM undo path is explored), then insert and
 *  SetZsPageMovable (trylock, set movable, unlock per page; memdesc: once on the zspage). */
export const mallocSteps: StepDef[] = [
  {
    label: 'zs_malloc:cache_alloc_handle',
    run(m, s, t) {
      const op = m.op(s, t);
      if (op.kind !== 'malloc') throw new Error('zs_malloc on a non-malloc op');
      s[m.f.hState[op.handle]] = HANDLE_LIVE;
      s[m.f.hObj[op.handle]] = -1;
      m.set(s, m.f.tC, t, op.cls);
      m.set(s, m.f.tH, t, op.handle);
      m.goto(s, t, 'zs_malloc:lock_class');
    },
  },
  {
    label: 'zs_malloc:lock_class',
    enabled: (m, s, t) => m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) {
      m.lockClass(s, m.get(s, m.f.tC, t), t);
      m.goto(s, t, 'zs_malloc:find_get_zspage');
    },
  },
  {
    // find_get_zspage + obj_malloc + record_obj + fix_fullness_group + stats, all under C.
    label: 'zs_malloc:find_get_zspage',
    choices: (m, s, t) => Math.max(1, mallocCandidates(m, s, m.get(s, m.f.tC, t)).length),
    run(m, s, t, choice) {
      const c = m.get(s, m.f.tC, t);
      const z = mallocCandidates(m, s, c)[choice] ?? -1;
      if (z < 0) { m.goto(s, t, 'zs_malloc:unlock_class_no_zspage'); return; }
      mallocInto(m, s, t, z);
      m.fixFullness(s, c, z);
      if (m.has('S4') && m.config.compaction) {
        // S4: SetZsPageMovable on the fast path too, re-marking a published zspage.
        m.set(s, m.f.tZ, t, z);
        m.set(s, m.f.tR, t, s[m.f.zFirst[z]]);
        m.goto(s, t, m.design === 'memdesc' ? 'SetZsPageMovable:trylock_zspage' : 'SetZsPageMovable:trylock_page');
        return;
      }
      m.goto(s, t, 'zs_malloc:unlock_class');
    },
  },
  {
    label: 'zs_malloc:unlock_class_no_zspage',
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_malloc');
      m.goto(s, t, 'alloc_zspage:cache_alloc_zspage');
    },
  },
  {
    label: 'alloc_zspage:cache_alloc_zspage',
    run(m, s, t) {
      const f = m.f;
      const c = m.get(s, f.tC, t);
      let z = -1;
      for (let i = 0; i < m.K; i++) if (s[f.zMagic[i]] !== ZSPAGE_MAGIC) { z = i; break; }
      if (z < 0) { m.goto(s, t, 'zs_malloc:enomem'); return; }
      s[f.zMagic[z]] = ZSPAGE_MAGIC;
      s[f.zClass[z]] = c;
      s[f.zList[z]] = -1;
      s[f.zInuse[z]] = 0;
      // K1: the reference is set only once the zspage is published (at zs_malloc's unlock).
      if (m.design === 'memdesc' && m.protocol.refPerZspage && !m.has('K1')) s[f.zRefcount[z]] = 1;
      m.set(s, f.tZ, t, z);
      m.set(s, f.tI, t, 0);
      m.goto(s, t, 'alloc_zspage:alloc_page');
    },
  },
  {
    // alloc_pages_node + create_page_chain's link for this page (the zspage is private until
    // inserted; pages are not movable yet, so isolation cannot take them).
    label: 'alloc_zspage:alloc_page',
    choices: (m, s) => buddyChoices(m, s),
    run(m, s, t, choice) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const k = m.get(s, f.tI, t);
      const p = m.allocPage(s, choice);
      if (p < 0) { m.goto(s, t, 'alloc_zspage:undo'); return; }
      s[f.pZspage[p]] = z;
      s[f.pNext[p]] = -1;
      s[f.zoneNrZspages[pageZone(m.pool, p)]]++; // inc_zone_page_state(page, NR_ZSPAGES)
      if (f.pPageType[p] >= 0) s[f.pPageType[p]] = PGTY_ZSMALLOC; // __SetPageZsmalloc (sticky)
      // S1: movable from allocation, before the zspage is initialised and listed.
      if (m.has('S1')) { if (m.design === 'memdesc') s[f.zMapping[z]] = 1; else s[f.pMovable[p]] = 1; }
      if (m.design === 'memdesc') {
        // The page becomes a tail of Z: it has no count of its own (§6.3.2).
        s[f.pRefcount[p]] = 0;
        if (!m.protocol.refPerZspage) s[f.zRefcount[z]]++;
      }
      if (k === 0) s[f.zFirst[z]] = p;
      else s[f.pNext[m.chainPage(s, z, k - 1)]] = p;
      const c = m.get(s, f.tC, t);
      if (k + 1 < m.pool.classes[c].pagesPerZspage) m.set(s, f.tI, t, k + 1);
      else m.goto(s, t, 'alloc_zspage:init_zspage');
    },
  },
  {
    // alloc failure: free the pages obtained, the zspage and the handle; return -ENOMEM.
    // free_zpdesc is __free_page, a put: the migration core may hold a speculative reference
    // (isolate_movable_ops_page's get_page_unless_zero on any pfn, refused later because the
    // page is not movable yet), and then its put_page frees the page, not this one. memdesc:
    // the pages are tails of Z with no count of their own and go straight back; what the core
    // holds is a reference on Z, whose last put frees it where the descriptor has a lifetime
    // of its own (§6.3.8, as __free_zspage releases it).
    label: 'alloc_zspage:undo',
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const memdesc = m.design === 'memdesc';
      const lifetime = memdesc && m.protocol.descriptorLifetime;
      for (const p of m.chain(s, z)) {
        s[f.zoneNrZspages[pageZone(m.pool, p)]]--;
        s[f.pZspage[p]] = -1;
        s[f.pNext[p]] = -1;
        if (!memdesc) { m.putFolio(s, p, ctx, 'alloc_zspage'); continue; }
        s[f.pRefcount[p]] = 0;
        m.freePageToBuddy(s, p, ctx, 'alloc_zspage');
        // Without a count of its own per zspage, each page's count landed on Z (alloc_page).
        if (lifetime && !m.protocol.refPerZspage) m.putFolio(s, m.N + z, ctx, 'alloc_zspage');
      }
      if (!lifetime) m.cacheFreeZspage(s, z, ctx, 'alloc_zspage');
      else if (m.protocol.refPerZspage) {
        s[f.zFirst[z]] = -1;
        // K1 sets the zspage's own reference only at publication: none to drop yet.
        if (s[f.zRefcount[z]] > 0) m.putFolio(s, m.N + z, ctx, 'alloc_zspage');
        else m.cacheFreeZspage(s, z, ctx, 'alloc_zspage');
      }
      m.goto(s, t, 'zs_malloc:enomem');
    },
  },
  {
    label: 'zs_malloc:enomem',
    run(m, s, t) {
      const h = m.get(s, m.f.tH, t);
      s[m.f.hState[h]] = 0;
      s[m.f.hObj[h]] = -1;
      m.endOp(s, t);
    },
  },
  {
    // create_page_chain (PG_private on the first page, huge) + init_zspage (first_obj_offset,
    // the free-object chain 0 -> 1 -> ... -> -1).
    label: 'alloc_zspage:init_zspage',
    run(m, s, t) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const c = m.get(s, f.tC, t);
      const chain = m.chain(s, z);
      s[f.pPrivate[chain[0]]] = 1;
      s[f.zHuge[z]] = isHuge(m.pool, c) ? 1 : 0;
      chain.forEach((p, k) => { s[f.pFirstObjOffset[p]] = firstObjOffset(m.pool, c, k); });
      const n = objsPerZspage(m.pool, c);
      if (!isHuge(m.pool, c)) {
        for (let i = 0; i < n; i++) {
          const p = chain[objChainIndex(m.pool, c, i)];
          s[f.pHdr[p][objOffset(m.pool, c, i)]] = hdrFree(i + 1 < n ? i + 1 : -1);
        }
      }
      s[f.zFreeobj[z]] = 0;
      m.goto(s, t, 'zs_malloc:lock_class_new_zspage');
    },
  },
  {
    label: 'zs_malloc:lock_class_new_zspage',
    enabled: (m, s, t) => m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) {
      m.lockClass(s, m.get(s, m.f.tC, t), t);
      m.goto(s, t, 'zs_malloc:insert_zspage');
    },
  },
  {
    label: 'zs_malloc:insert_zspage',
    run(m, s, t) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const c = m.get(s, f.tC, t);
      mallocInto(m, s, t, z);
      m.insertZspage(s, c, z, m.fg(s, z));
      s[f.pagesAllocated] += m.pool.classes[c].pagesPerZspage;
      s[f.classAllocated[c]] += objsPerZspage(m.pool, c);
      if (!m.config.compaction) {
        m.goto(s, t, 'zs_malloc:unlock_class'); // SetZsPageMovable is CONFIG_COMPACTION only
      } else if (m.design === 'memdesc') {
        m.goto(s, t, 'SetZsPageMovable:trylock_zspage');
      } else {
        m.set(s, f.tR, t, s[f.zFirst[z]]);
        m.goto(s, t, 'SetZsPageMovable:trylock_page');
      }
    },
  },
  {
    // Nobody can hold the lock yet (the pages are not movable), so the kernel WARNs on failure.
    label: 'SetZsPageMovable:trylock_page',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tR, t);
      if (!m.trylockFolio(s, p, t)) ctx.fail(V.movableUnderLock, `SetZsPageMovable: trylock of page[${p}] failed`);
      m.goto(s, t, 'SetZsPageMovable:set_movable');
    },
  },
  {
    label: 'SetZsPageMovable:set_movable',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t) {
      s[m.f.pMovable[m.get(s, m.f.tR, t)]] = 1;
      m.goto(s, t, 'SetZsPageMovable:unlock_page');
    },
  },
  {
    label: 'SetZsPageMovable:unlock_page',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tR, t);
      m.unlockFolio(s, p, t, ctx, 'SetZsPageMovable');
      const n = s[m.f.pNext[p]];
      if (n >= 0) { m.set(s, m.f.tR, t, n); m.goto(s, t, 'SetZsPageMovable:trylock_page'); }
      else { m.set(s, m.f.tR, t, -1); m.goto(s, t, 'zs_malloc:unlock_class'); }
    },
  },
  {
    // memdesc: one lock for the whole zspage (§6.3.1), one `mapping` (§6.2).
    label: 'SetZsPageMovable:trylock_zspage',
    designs: ['memdesc'],
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (!m.trylockFolio(s, m.N + z, t)) ctx.fail(V.movableUnderLock, `SetZsPageMovable: trylock of zspage[${z}] failed`);
      m.goto(s, t, 'SetZsPageMovable:set_mapping');
    },
  },
  {
    label: 'SetZsPageMovable:set_mapping',
    designs: ['memdesc'],
    run(m, s, t) {
      s[m.f.zMapping[m.get(s, m.f.tZ, t)]] = 1;
      m.goto(s, t, 'SetZsPageMovable:unlock_zspage');
    },
  },
  {
    label: 'SetZsPageMovable:unlock_zspage',
    designs: ['memdesc'],
    run(m, s, t, _c, ctx) {
      m.unlockFolio(s, m.N + m.get(s, m.f.tZ, t), t, ctx, 'SetZsPageMovable');
      m.goto(s, t, 'zs_malloc:unlock_class');
    },
  },
  {
    label: 'zs_malloc:unlock_class',
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (m.has('K1') && m.design === 'memdesc' && z >= 0 && s[m.f.zRefcount[z]] === 0) s[m.f.zRefcount[z]] = 1;
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_malloc');
      m.endOp(s, t);
    },
  },
];

/** obj_malloc + record_obj + stats[INUSE]++ and the ghost payload (the user's first write is
 *  folded in: the handle is not published yet, so no other thread can observe the gap). */
function mallocInto(m: Machine, s: Int32Array, t: number, z: number): void {
  const op = m.op(s, t);
  if (op.kind !== 'malloc') return;
  const c = m.get(s, m.f.tC, t);
  const obj = m.objMalloc(s, z, op.handle);
  writeAt(m, s, c, obj, op.payload);
  s[m.f.hPayload[op.handle]] = op.payload;
  s[m.f.classInuse[c]]++;
}
