import type { StateVector, StepContext } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { encodeObj } from '../machine.js';
import { objsStartingIn, pageZone } from '../shape.js';
import { V } from '../violations.js';
import { PGTY_ZSMALLOC } from '../fields.js';
import { listAdd, listDel, listHeads, migrateNode, pageNode } from '../lists.js';
import { buddyChoices } from '../picks.js';
import { unpin } from './free.js';

/**
 * The generic migration core around zsmalloc's movable_ops callbacks (§2.5, §2.6), one page:
 * isolate_movable_ops_page -> (migrate_folio_unmap -> zs_page_migrate -> migrate_folio_move |
 * putback_movable_ops_page). Labels use the E6 names in every design; legacy runs the E2
 * callbacks (zs_page_isolate/zs_page_putback under class->lock, pins in zs_page_migrate).
 *
 * memdesc: every lock/get/put of "the folio" resolves through the page's one word; the core
 * keeps the identities it locked/got in `src_folio`/`dst_folio` (the cached pointers).
 */

/** page->lru words on cc->migratepages (config lists: 'list_head'; not memdesc). */
function coreLists(m: Machine): boolean { return listHeads(m) && m.design !== 'memdesc'; }

function candidates(m: Machine, s: StateVector, t: number): readonly number[] {
  const op = m.op(s, t);
  if (op.kind !== 'migrate') throw new Error('migration core on a non-migrate op');
  return op.pages ?? m.pageFrames;
}

/** The folio the core got and locked at isolation (a page, or memdesc: the zspage). */
function srcFolio(m: Machine, s: StateVector, t: number): number {
  return m.design === 'memdesc' ? m.get(s, m.f.tSrcFolio, t) : m.get(s, m.f.tP, t);
}

/** Touching a memdesc descriptor after it was freed is a use-after-free (M2). */
function folioAlive(m: Machine, s: StateVector, fo: number, ctx: StepContext, what: string): boolean {
  if (fo >= m.N) return m.touchZ(s, fo - m.N, ctx, what);
  return m.touchPage(s, fo, ctx, what);
}

/** memdesc: whoever clears the isolated flag of a page that has already left its zspage owns
 *  the release of the physical page (§6.3.2): zsmalloc skipped it at reset because the page
 *  was isolated. Decided when the flag is cleared (under the lock the core holds), kept in
 *  `word`, acted on after the final put. */
function clearIsolated(m: Machine, s: StateVector, t: number): void {
  const p = m.get(s, m.f.tP, t);
  s[m.f.pIsolated[p]] = 0;
  if (m.design === 'memdesc') m.set(s, m.f.tW, t, s[m.f.pZspage[p]] < 0 ? 1 : 0);
}
function releaseDetachedPage(m: Machine, s: StateVector, t: number, ctx: StepContext, what: string): void {
  if (m.design !== 'memdesc' || !m.protocol.refPerZspage || m.get(s, m.f.tW, t) !== 1) return;
  m.freePageToBuddy(s, m.get(s, m.f.tP, t), ctx, what);
}

/** zs_page_migrate/zs_page_isolate run with the page locked by the core (VM_BUG_ON_PAGE). */
function checkCallbackLocked(m: Machine, s: StateVector, t: number, p: number, ctx: StepContext, fn: string): boolean {
  const fo = m.folioOf(s, p);
  if (m.folioLockOwner(s, fo) !== t + 1) {
    ctx.fail(V.callbackPageLocked, `${fn}(page[${p}]) is called while ${m.folioName(fo)} (page_folio of page[${p}]) is not locked by ${m.threadNames[t]}` +
      (m.design === 'memdesc' ? `; the core locked ${m.folioName(srcFolio(m, s, t))}` : ''));
    return false;
  }
  return true;
}

const isolate: StepDef[] = [
  {
    label: 'isolate_movable_ops_page:get_page_unless_zero',
    designs: ['legacy', 'zpdesc'],
    choices: (m, s, t) => candidates(m, s, t).length,
    run(m, s, t, choice) {
      const p = candidates(m, s, t)[choice];
      if (m.has('G1')) m.getFolio(s, p, true); // G1: get_page instead of get_page_unless_zero
      else if (!m.tryGetFolio(s, p, true)) { m.endOp(s, t); return; }
      m.set(s, m.f.tP, t, p);
      m.goto(s, t, 'isolate_movable_ops_page:page_has_movable_ops');
    },
  },
  {
    // memdesc get protocol (§6.1, Willy Jan 2023): read page->memdesc, then try-get it.
    label: 'isolate_movable_ops_page:read_memdesc',
    designs: ['memdesc'],
    choices: (m, s, t) => candidates(m, s, t).length,
    run(m, s, t, choice) {
      const p = candidates(m, s, t)[choice];
      const z = s[m.f.pZspage[p]];
      if (z < 0) { m.endOp(s, t); return; } // not a zsmalloc page: not ours to model
      m.set(s, m.f.tP, t, p);
      m.set(s, m.f.tSrcFolio, t, m.N + z);
      m.goto(s, t, 'isolate_movable_ops_page:folio_try_get');
    },
  },
  {
    // SLAB_TYPESAFE_BY_RCU: the descriptor may have been freed (count 0) or reused meanwhile.
    label: 'isolate_movable_ops_page:folio_try_get',
    designs: ['memdesc'],
    run(m, s, t) {
      if (!m.tryGetFolio(s, srcFolio(m, s, t), true)) { m.endOp(s, t); return; }
      m.goto(s, t, m.protocol.recheckMemdesc && !m.has('M1') ? 'isolate_movable_ops_page:recheck_memdesc' : 'isolate_movable_ops_page:page_has_movable_ops');
    },
  },
  {
    label: 'isolate_movable_ops_page:recheck_memdesc',
    designs: ['memdesc'],
    run(m, s, t) {
      const p = m.get(s, m.f.tP, t);
      const same = m.folioOf(s, p) === srcFolio(m, s, t);
      m.goto(s, t, same ? 'isolate_movable_ops_page:page_has_movable_ops' : 'isolate_movable_ops_page:put_fail');
    },
  },
  {
    label: 'isolate_movable_ops_page:page_has_movable_ops',
    run(m, s, t) {
      const fo = srcFolio(m, s, t);
      // E6 page_has_movable_ops: PageMovableOps && PageZsmalloc (the page's own type byte).
      const typed = fo >= m.N || m.f.pPageType[fo] < 0 || s[m.f.pPageType[fo]] === PGTY_ZSMALLOC;
      const movable = typed && (fo < m.N ? s[m.f.pMovable[fo]] === 1 : s[m.f.zMapping[fo - m.N]] === 1);
      m.goto(s, t, movable ? 'isolate_movable_ops_page:trylock' : 'isolate_movable_ops_page:put_fail');
    },
  },
  {
    label: 'isolate_movable_ops_page:trylock',
    run(m, s, t) {
      m.goto(s, t, m.trylockFolio(s, srcFolio(m, s, t), t, true) ? 'isolate_movable_ops_page:test_isolated' : 'isolate_movable_ops_page:put_fail');
    },
  },
  {
    label: 'isolate_movable_ops_page:test_isolated',
    run(m, s, t) {
      const p = m.get(s, m.f.tP, t);
      // E2–E5 re-test PageMovable under the lock: the owner may have released the page.
      const released = m.design === 'legacy' && s[m.f.pMovable[p]] === 0;
      // I2 drops the PageMovableOpsIsolated test: a second core thread isolates the page again.
      if (released || (s[m.f.pIsolated[p]] === 1 && !m.has('I2'))) { m.goto(s, t, 'isolate_movable_ops_page:unlock_fail'); return; }
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_isolate:lock_class' : 'zs_page_isolate:check_zspage');
    },
  },
  {
    // E6: `return zpdesc->zspage != NULL` (false: already destroyed by reset_zpdesc).
    label: 'zs_page_isolate:check_zspage',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      if (m.design === 'memdesc' && m.protocol.recheckMemdesc && !m.has('M1')) {
        // The reference pins the descriptor, not the page's membership: re-validate under
        // the lock that page->memdesc still names the zspage the core locked.
        const same = m.folioOf(s, p) === srcFolio(m, s, t);
        m.goto(s, t, same ? 'isolate_movable_ops_page:set_isolated' : 'isolate_movable_ops_page:unlock_fail');
        return;
      }
      if (!checkCallbackLocked(m, s, t, p, ctx, 'zs_page_isolate')) return;
      m.goto(s, t, s[m.f.pZspage[p]] >= 0 ? 'isolate_movable_ops_page:set_isolated' : 'isolate_movable_ops_page:unlock_fail');
    },
  },
  {
    label: 'zs_page_isolate:lock_class',
    designs: ['legacy'],
    enabled: (m, s, t) => {
      const z = s[m.f.pZspage[m.get(s, m.f.tP, t)]];
      return z < 0 || m.classLockFree(s, m.classOf(s, z));
    },
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      const z = s[m.f.pZspage[p]];
      if (!m.touchZ(s, z, ctx, 'zs_page_isolate')) return;
      m.set(s, m.f.tZ, t, z);
      m.set(s, m.f.tC, t, m.classOf(s, z));
      m.lockClass(s, m.classOf(s, z), t);
      m.goto(s, t, 'zs_page_isolate:isolate_zspage');
    },
  },
  {
    // E2: refuse an empty zspage, or one compaction took off-list; the first isolation takes
    // the zspage off its fullness list; inc_zspage_isolation under class->lock (the A6 fix).
    label: 'zs_page_isolate:isolate_zspage',
    designs: ['legacy'],
    run(m, s, t) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const c = m.get(s, f.tC, t);
      const onList = s[f.zList[z]] >= 0;
      if (s[f.zInuse[z]] === 0 || (!onList && s[f.zIsolated[z]] === 0)) {
        m.set(s, f.tW, t, -1);
        m.goto(s, t, 'zs_page_isolate:unlock_class');
        return;
      }
      if (onList && s[f.zIsolated[z]] === 0) {
        s[f.poolIsolatedPages]++; // atomic_long_inc(&pool->isolated_pages), 701d678599d0
        m.removeZspage(s, c, z);
      }
      if (!m.has('A6')) s[f.zIsolated[z]]++;
      m.set(s, f.tW, t, 1);
      m.goto(s, t, 'zs_page_isolate:unlock_class');
    },
  },
  {
    label: 'zs_page_isolate:unlock_class',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_page_isolate');
      const ok = m.get(s, m.f.tW, t) === 1;
      m.set(s, m.f.tW, t, -1);
      if (!ok) m.goto(s, t, 'isolate_movable_ops_page:unlock_fail');
      else m.goto(s, t, m.has('A6') ? 'zs_page_isolate:migrate_write_lock' : 'isolate_movable_ops_page:set_isolated');
    },
  },
  // A6 (c4549b871102 era): inc_zspage_isolation under the zspage's migrate write lock, a
  // non-atomic read-modify-write of the bitfield word that also holds `fullness`.
  {
    label: 'zs_page_isolate:migrate_write_lock',
    designs: ['legacy'],
    enabled: (m, s, t) => s[m.f.zslCnt[m.get(s, m.f.tZ, t)]] === 0,
    run(m, s, t) {
      const z = m.get(s, m.f.tZ, t);
      s[m.f.zslCnt[z]] = -1;
      s[m.f.zslWriter[z]] = t + 1;
      m.goto(s, t, 'zs_page_isolate:load_word');
    },
  },
  {
    label: 'zs_page_isolate:load_word',
    designs: ['legacy'],
    run(m, s, t) {
      const z = m.get(s, m.f.tZ, t);
      m.set(s, m.f.tW, t, s[m.f.zFullness[z]] * 4 + s[m.f.zIsolated[z]]);
      m.goto(s, t, 'zs_page_isolate:store_word');
    },
  },
  {
    // The store, then migrate_write_unlock (one step: nothing else can touch the word while
    // the zspage write lock is held except class->lock holders, whose race is load-to-store).
    label: 'zs_page_isolate:store_word',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      const w = m.get(s, m.f.tW, t);
      s[m.f.zFullness[z]] = w >> 2;
      s[m.f.zIsolated[z]] = (w & 3) + 1;
      m.set(s, m.f.tW, t, -1);
      m.zspageWriteUnlock(s, z, t, ctx, 'zs_page_isolate');
      m.goto(s, t, 'isolate_movable_ops_page:set_isolated');
    },
  },
  {
    label: 'isolate_movable_ops_page:set_isolated',
    run(m, s, t) {
      s[m.f.pIsolated[m.get(s, m.f.tP, t)]] = 1;
      m.goto(s, t, 'isolate_movable_ops_page:unlock');
    },
  },
  {
    // The unlock ends isolation; its choice is what migrate_pages will do with the page:
    // move it (0) or give up and put it back (1).
    label: 'isolate_movable_ops_page:unlock',
    choices: (m, s, t) => {
      const op = m.op(s, t);
      return op.kind === 'migrate' && op.putback !== undefined ? 1 : 2;
    },
    run(m, s, t, choice, ctx) {
      m.unlockFolio(s, srcFolio(m, s, t), t, ctx, 'isolate_movable_ops_page', true);
      m.set(s, m.f.tZ, t, -1);
      m.set(s, m.f.tC, t, -1);
      const op = m.op(s, t);
      const putback = op.kind === 'migrate' && op.putback !== undefined ? op.putback : choice === 1;
      if (m.design === 'memdesc' && m.protocol.isolationIdentity === 'folio') {
        // The list entry is page_folio(page) = the zspage; `&folio->page` names its first page.
        const fo = srcFolio(m, s, t);
        const first = fo >= m.N ? s[m.f.zFirst[fo - m.N]] : fo;
        if (first >= 0) m.set(s, m.f.tP, t, first);
      }
      // isolate_migratepages_block: list_add(&folio->lru, &cc->migratepages).
      if (coreLists(m)) listAdd(m, s, pageNode(m, m.get(s, m.f.tP, t)), migrateNode(m, t));
      m.goto(s, t, putback ? 'putback_movable_ops_page:lock' : 'migrate_folio_unmap:alloc_dst');
    },
  },
  {
    label: 'isolate_movable_ops_page:unlock_fail',
    run(m, s, t, _c, ctx) {
      m.unlockFolio(s, srcFolio(m, s, t), t, ctx, 'isolate_movable_ops_page', true);
      m.goto(s, t, 'isolate_movable_ops_page:put_fail');
    },
  },
  {
    label: 'isolate_movable_ops_page:put_fail',
    run(m, s, t, _c, ctx) {
      const fo = srcFolio(m, s, t);
      if (folioAlive(m, s, fo, ctx, 'isolate_movable_ops_page: put')) m.putFolio(s, fo, ctx, 'isolate_movable_ops_page', true);
      m.endOp(s, t);
    },
  },
];

const unmapAndMove: StepDef[] = [
  {
    // compaction_alloc: a free page, refcount 1 (the core's). (E2's "refcount == 1: released
    // by its owner" shortcut never fires here: E2 zs_free leaves isolated zspages alone.)
    label: 'migrate_folio_unmap:alloc_dst',
    choices: (m, s) => buddyChoices(m, s),
    run(m, s, t, choice) {
      const q = m.allocPage(s, choice); // compaction_alloc
      if (q < 0) { m.goto(s, t, 'putback_movable_ops_page:lock'); return; }
      m.set(s, m.f.tQ, t, q);
      if (m.design === 'memdesc') m.set(s, m.f.tDstFolio, t, q);
      m.goto(s, t, 'migrate_folio_unmap:lock_src');
    },
  },
  {
    // MIGRATE_SYNC: folio_lock sleeps until the lock is free.
    label: 'migrate_folio_unmap:lock_src',
    sleeps: true,
    enabled: (m, s, t) => {
      const fo = srcFolio(m, s, t);
      return (fo >= m.N && s[m.f.zMagic[fo - m.N]] === 0) || !m.folioLocked(s, fo);
    },
    run(m, s, t, _c, ctx) {
      const fo = srcFolio(m, s, t);
      if (!folioAlive(m, s, fo, ctx, 'migrate_folio_unmap: lock src')) return;
      m.trylockFolio(s, fo, t, true);
      m.goto(s, t, 'migrate_folio_unmap:trylock_dst');
    },
  },
  {
    label: 'migrate_folio_unmap:trylock_dst',
    run(m, s, t, _c, ctx) {
      const q = m.get(s, m.f.tQ, t);
      if (!m.trylockFolio(s, q, t)) ctx.fail(V.lockOwnerUnlock, `migrate_folio_unmap: fresh dst page[${q}] is locked by another thread`);
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_migrate:migrate_write_lock' : 'zs_page_migrate:read_zspage');
    },
  },
  {
    label: 'zs_page_migrate:read_zspage',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      if (s[m.f.pIsolated[p]] !== 1) {
        ctx.fail(V.isolationIdentity, `migrate_page(page[${p}]) but page[${p}] was never isolated; the core's list entry was ${m.folioName(srcFolio(m, s, t))}`);
        return;
      }
      const z = s[m.f.pZspage[p]];
      if (z < 0) { m.goto(s, t, 'migrate_folio_move:clear_isolated'); return; } // freed while isolated: "success"
      if (!checkCallbackLocked(m, s, t, p, ctx, 'zs_page_migrate')) return;
      if (!m.touchZ(s, z, ctx, 'zs_page_migrate')) return;
      m.set(s, m.f.tZ, t, z);
      m.set(s, m.f.tC, t, m.classOf(s, z));
      m.goto(s, t, m.has('O1') ? 'zs_page_migrate:lock_class' : 'zs_page_migrate:write_lock_pool');
    },
  },
  {
    label: 'zs_page_migrate:write_lock_pool',
    designs: ['zpdesc', 'memdesc'],
    enabled: (m, s) => m.poolWritable(s),
    run(m, s, t) { m.writeLockPool(s, t); m.goto(s, t, m.has('O1') ? 'zs_page_migrate:zspage_write_trylock' : 'zs_page_migrate:lock_class'); },
  },
  {
    label: 'zs_page_migrate:migrate_write_lock',
    designs: ['legacy'],
    enabled: (m, s, t) => {
      const z = s[m.f.pZspage[m.get(s, m.f.tP, t)]];
      return z < 0 || s[m.f.zslCnt[z]] === 0;
    },
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      const z = s[m.f.pZspage[p]];
      if (!m.touchZ(s, z, ctx, 'zs_page_migrate')) return;
      s[m.f.zslCnt[z]] = -1;
      s[m.f.zslWriter[z]] = t + 1;
      m.set(s, m.f.tZ, t, z);
      m.set(s, m.f.tC, t, m.classOf(s, z));
      m.goto(s, t, 'zs_page_migrate:lock_class');
    },
  },
  {
    label: 'zs_page_migrate:lock_class',
    enabled: (m, s, t) => m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) {
      m.lockClass(s, m.get(s, m.f.tC, t), t);
      if (m.design === 'legacy') m.goto(s, t, 'zs_page_migrate:trypin_handles');
      else m.goto(s, t, m.has('O1') ? 'zs_page_migrate:write_lock_pool' : 'zs_page_migrate:zspage_write_trylock');
    },
  },
  {
    label: 'zs_page_migrate:zspage_write_trylock',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t) {
      const ok = m.zspageWriteTrylock(s, m.get(s, m.f.tZ, t), t);
      m.goto(s, t, ok ? 'zs_page_migrate:copy_objects' : 'zs_page_migrate:unlock_class_busy');
    },
  },
  {
    // E2: trypin every live handle of the page (skipped on an empty zspage, 77ff465799c6).
    label: 'zs_page_migrate:trypin_handles',
    designs: ['legacy'],
    run(m, s, t) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const hs = handlesStartingIn(m, s, z, m.get(s, f.tP, t));
      if (hs.some((h) => s[f.hPin[h]] !== 0)) { m.goto(s, t, 'zs_page_migrate:unlock_class_busy'); return; }
      for (const h of hs) s[f.hPin[h]] = t + 1;
      m.goto(s, t, 'zs_page_migrate:copy_objects');
    },
  },
  {
    label: 'zs_page_migrate:unlock_class_busy',
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_page_migrate');
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_migrate:migrate_write_unlock_busy' : 'zs_page_migrate:write_unlock_pool_busy');
    },
  },
  {
    label: 'zs_page_migrate:write_unlock_pool_busy',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { m.writeUnlockPool(s, t, ctx, 'zs_page_migrate'); m.goto(s, t, 'migrate_folios_undo:unlock_dst'); },
  },
  {
    label: 'zs_page_migrate:migrate_write_unlock_busy',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) { m.zspageWriteUnlock(s, m.get(s, m.f.tZ, t), t, ctx, 'zs_page_migrate'); m.goto(s, t, 'migrate_folios_undo:unlock_dst'); },
  },
  {
    // copy_page + record_obj for every object that starts in this page (§2.5 step 4).
    label: 'zs_page_migrate:copy_objects',
    run(m, s, t) {
      const f = m.f;
      const p = m.get(s, f.tP, t);
      const q = m.get(s, f.tQ, t);
      const z = m.get(s, f.tZ, t);
      if (f.pPageType[q] >= 0) s[f.pPageType[q]] = PGTY_ZSMALLOC; // __SetPageZsmalloc(newpage)
      for (let u = 0; u < m.pool.pageUnits; u++) {
        s[f.pHdr[q][u]] = s[f.pHdr[p][u]];
        s[f.pData[q][u]] = s[f.pData[p][u]];
      }
      s[f.pHandle[q]] = s[f.pHandle[p]];
      const c = m.classOf(s, z);
      const k = m.chain(s, z).indexOf(p);
      for (const idx of objsStartingIn(m.pool, c, k)) {
        const h = m.objHandle(s, z, idx);
        if (h >= 0) m.recordObj(s, h, encodeObj(q, idx));
      }
      m.goto(s, t, 'zs_page_migrate:replace_sub_page');
    },
  },
  {
    // replace_sub_page + create_page_chain: rewrites the chain with newpage in page's place.
    label: 'zs_page_migrate:replace_sub_page',
    run(m, s, t) {
      const f = m.f;
      const p = m.get(s, f.tP, t);
      const q = m.get(s, f.tQ, t);
      const z = m.get(s, f.tZ, t);
      const chain = m.chain(s, z);
      const k = chain.indexOf(p);
      chain[k] = q;
      s[f.zFirst[z]] = chain[0];
      chain.forEach((pg, i) => {
        s[f.pZspage[pg]] = z;
        s[f.pNext[pg]] = i + 1 < chain.length ? chain[i + 1] : -1;
      });
      if (!m.has('C1')) s[f.pPrivate[chain[0]]] = 1; // create_page_chain: SetPagePrivate(first)
      // set_first_obj_offset masks FIRST_OBJ_PAGE_TYPE_MASK so the type byte stays; T1 stores
      // the offset as the whole page_type word.
      s[f.pFirstObjOffset[q]] = s[f.pFirstObjOffset[p]];
      if (m.has('T1') && f.pPageType[q] >= 0) s[f.pPageType[q]] = 0;
      if (m.design !== 'memdesc') s[f.pMovable[q]] = 1;
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_migrate:get_new' : 'zs_page_migrate:write_unlock_pool');
    },
  },
  {
    label: 'zs_page_migrate:write_unlock_pool',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { m.writeUnlockPool(s, t, ctx, 'zs_page_migrate'); m.goto(s, t, 'zs_page_migrate:unlock_class'); },
  },
  {
    label: 'zs_page_migrate:unlock_class',
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_page_migrate');
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_migrate:migrate_write_unlock' : 'zs_page_migrate:zspage_write_unlock');
    },
  },
  {
    label: 'zs_page_migrate:zspage_write_unlock',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { m.zspageWriteUnlock(s, m.get(s, m.f.tZ, t), t, ctx, 'zs_page_migrate'); m.goto(s, t, 'zs_page_migrate:get_new'); },
  },
  {
    // zsmalloc's owner ref moves to newpage. memdesc with one ref per zspage: nothing moves.
    label: 'zs_page_migrate:get_new',
    run(m, s, t) {
      if (m.design !== 'memdesc') m.getFolio(s, m.get(s, m.f.tQ, t));
      else if (!m.protocol.refPerZspage) m.getFolio(s, m.folioOf(s, m.get(s, m.f.tQ, t)));
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_migrate:dec_isolated' : 'zs_page_migrate:reset_old');
    },
  },
  {
    // E2: dec_zspage_isolation; the last isolated page re-lists the zspage and, when it is
    // empty, schedules free_work (the A3 fix 1a87aa03597e; the A3 mutation drops it).
    label: 'zs_page_migrate:dec_isolated',
    designs: ['legacy'],
    run(m, s, t) {
      decIsolated(m, s, t, !m.has('A3'));
      m.goto(s, t, 'zs_page_migrate:reset_old');
    },
  },
  {
    label: 'zs_page_migrate:reset_old',
    run(m, s, t) {
      const f = m.f;
      const p = m.get(s, f.tP, t);
      // The statement before reset_zpdesc in every era: "if (zpdesc_zone(newzpdesc) !=
      // zpdesc_zone(zpdesc)) { dec(old); inc(new) }" (E2: page_zone). Mutation Z1 drops it.
      const q = m.get(s, f.tQ, t);
      // memdesc derives the zone from the pfn; Z2 reads it through page_folio(), i.e. the
      // zone bits of the zspage descriptor's flags word (its first page's zone).
      const zoneOf = (pg: number) => (m.has('Z2') && m.design === 'memdesc' && s[f.pZspage[pg]] >= 0
        ? pageZone(m.pool, s[f.zFirst[s[f.pZspage[pg]]]]) : pageZone(m.pool, pg));
      if (zoneOf(q) !== zoneOf(p) && !m.has('Z1')) {
        s[f.zoneNrZspages[pageZone(m.pool, p)]]--;
        s[f.zoneNrZspages[pageZone(m.pool, q)]]++;
      }
      s[f.pPrivate[p]] = 0;
      s[f.pZspage[p]] = -1;
      s[f.pNext[p]] = -1;
      if (m.design === 'legacy') s[f.pMovable[p]] = 0;
      m.goto(s, t, 'zs_page_migrate:put_old');
    },
  },
  {
    label: 'zs_page_migrate:put_old',
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      if (m.design !== 'memdesc') m.putFolio(s, p, ctx, 'zs_page_migrate');
      else if (!m.protocol.refPerZspage) m.putFolio(s, m.folioOf(s, p), ctx, 'zs_page_migrate: put(old)');
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_migrate:unpin_handles' : 'migrate_folio_move:clear_isolated');
    },
  },
  {
    label: 'zs_page_migrate:unpin_handles',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      for (const h of handlesStartingIn(m, s, z, m.get(s, f.tQ, t))) unpin(m, s, t, h, ctx, 'zs_page_migrate');
      m.goto(s, t, 'zs_page_migrate:unlock_class');
    },
  },
  {
    label: 'zs_page_migrate:migrate_write_unlock',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) { m.zspageWriteUnlock(s, m.get(s, m.f.tZ, t), t, ctx, 'zs_page_migrate'); m.goto(s, t, 'migrate_folio_move:clear_isolated'); },
  },
  {
    label: 'migrate_folio_move:clear_isolated',
    run(m, s, t) {
      clearIsolated(m, s, t);
      m.goto(s, t, 'migrate_folio_move:unlock_dst');
    },
  },
  {
    label: 'migrate_folio_move:unlock_dst',
    run(m, s, t, _c, ctx) {
      m.unlockFolio(s, dstFolio(m, s, t), t, ctx, 'migrate_folio_move: folio_unlock(dst)', true);
      m.goto(s, t, 'migrate_folio_move:put_dst');
    },
  },
  {
    label: 'migrate_folio_move:put_dst',
    run(m, s, t, _c, ctx) {
      const fo = dstFolio(m, s, t);
      if (folioAlive(m, s, fo, ctx, 'migrate_folio_move: folio_put(dst)')) m.putFolio(s, fo, ctx, 'migrate_folio_move: folio_put(dst)', true);
      m.goto(s, t, 'migrate_folio_move:unlock_src');
    },
  },
  {
    label: 'migrate_folio_move:unlock_src',
    run(m, s, t, _c, ctx) {
      const fo = movedSrcFolio(m, s, t);
      if (!folioAlive(m, s, fo, ctx, 'migrate_folio_move: folio_unlock(src)')) return;
      // list_del(&src->lru) before folio_unlock(src) (L2 drops it).
      if (coreLists(m) && !m.has('L2')) listDel(m, s, pageNode(m, m.get(s, m.f.tP, t)), false);
      m.unlockFolio(s, fo, t, ctx, 'migrate_folio_move: folio_unlock(src)', true);
      m.goto(s, t, 'migrate_folio_done:put_src');
    },
  },
  {
    label: 'migrate_folio_done:put_src',
    run(m, s, t, _c, ctx) {
      // K3: put_page on the isolated page itself, whose own count a memdesc tail page lacks.
      const fo = m.has('K3') ? m.get(s, m.f.tP, t) : movedSrcFolio(m, s, t);
      if (!folioAlive(m, s, fo, ctx, 'migrate_folio_done: folio_put(src)')) return;
      m.putFolio(s, fo, ctx, 'migrate_folio_done', true);
      releaseDetachedPage(m, s, t, ctx, 'migrate_folio_done');
      m.endOp(s, t);
    },
  },
  {
    label: 'migrate_folios_undo:unlock_dst',
    run(m, s, t, _c, ctx) { m.unlockFolio(s, m.get(s, m.f.tQ, t), t, ctx, 'migrate_folios_undo', true); m.goto(s, t, 'migrate_folios_undo:put_dst'); },
  },
  {
    label: 'migrate_folios_undo:put_dst',
    run(m, s, t, _c, ctx) {
      m.putFolio(s, m.get(s, m.f.tQ, t), ctx, 'migrate_folios_undo', true);
      m.set(s, m.f.tQ, t, -1);
      m.goto(s, t, 'migrate_folios_undo:unlock_src');
    },
  },
  {
    label: 'migrate_folios_undo:unlock_src',
    run(m, s, t, _c, ctx) {
      m.unlockFolio(s, srcFolio(m, s, t), t, ctx, 'migrate_folios_undo', true);
      m.set(s, m.f.tZ, t, -1);
      m.set(s, m.f.tC, t, -1);
      m.goto(s, t, 'putback_movable_ops_page:lock');
    },
  },
];

const putback: StepDef[] = [
  {
    // putback_movable_ops_page: folio_lock(page_folio(page)) (may sleep).
    label: 'putback_movable_ops_page:lock',
    sleeps: true,
    enabled: (m, s, t) => !m.folioLocked(s, m.folioOf(s, m.get(s, m.f.tP, t))),
    run(m, s, t) {
      const p = m.get(s, m.f.tP, t);
      const fo = m.folioOf(s, p);
      // putback_movable_pages: list_del(&folio->lru), then putback_movable_ops_page.
      if (coreLists(m)) listDel(m, s, pageNode(m, p), false);
      m.trylockFolio(s, fo, t, true);
      if (m.design === 'memdesc') m.set(s, m.f.tDstFolio, t, fo);
      m.goto(s, t, m.design === 'legacy' ? 'zs_page_putback:lock_class' : 'putback_movable_ops_page:clear_isolated');
    },
  },
  {
    label: 'zs_page_putback:lock_class',
    designs: ['legacy'],
    enabled: (m, s, t) => {
      const z = s[m.f.pZspage[m.get(s, m.f.tP, t)]];
      return z < 0 || m.classLockFree(s, m.classOf(s, z));
    },
    run(m, s, t, _c, ctx) {
      const z = s[m.f.pZspage[m.get(s, m.f.tP, t)]];
      if (!m.touchZ(s, z, ctx, 'zs_page_putback')) return;
      m.set(s, m.f.tZ, t, z);
      m.set(s, m.f.tC, t, m.classOf(s, z));
      m.lockClass(s, m.classOf(s, z), t);
      m.goto(s, t, 'zs_page_putback:dec_isolated');
    },
  },
  {
    label: 'zs_page_putback:dec_isolated',
    designs: ['legacy'],
    run(m, s, t) { decIsolated(m, s, t, true); m.goto(s, t, 'zs_page_putback:unlock_class'); },
  },
  {
    label: 'zs_page_putback:unlock_class',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) { m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_page_putback'); m.goto(s, t, 'putback_movable_ops_page:clear_isolated'); },
  },
  {
    label: 'putback_movable_ops_page:clear_isolated',
    run(m, s, t) {
      if (!m.has('I1')) clearIsolated(m, s, t); // I1: ClearPageMovableOpsIsolated dropped
      m.goto(s, t, 'putback_movable_ops_page:unlock');
    },
  },
  {
    label: 'putback_movable_ops_page:unlock',
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      const fo = m.design === 'memdesc' ? m.get(s, m.f.tDstFolio, t) : p;
      m.unlockFolio(s, fo, t, ctx, 'putback_movable_ops_page', true);
      m.goto(s, t, 'putback_movable_ops_page:put');
    },
  },
  {
    label: 'putback_movable_ops_page:put',
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tP, t);
      const fo = m.design === 'memdesc' && !(m.protocol.cachedFolioPointers && !m.has('M3')) ? m.folioOf(s, p) : srcFolio(m, s, t);
      if (!folioAlive(m, s, fo, ctx, 'putback_movable_ops_page: folio_put')) return;
      m.putFolio(s, fo, ctx, 'putback_movable_ops_page', true);
      releaseDetachedPage(m, s, t, ctx, 'putback_movable_ops_page');
      m.endOp(s, t);
    },
  },
];

/** dst as the core unlocks/puts it: the cached pointer, or page_folio(dst) recomputed (M3). */
function dstFolio(m: Machine, s: StateVector, t: number): number {
  const q = m.get(s, m.f.tQ, t);
  if (m.design !== 'memdesc' || (m.protocol.cachedFolioPointers && !m.has('M3'))) return q;
  return m.folioOf(s, q);
}
function movedSrcFolio(m: Machine, s: StateVector, t: number): number {
  if (m.design !== 'memdesc' || (m.protocol.cachedFolioPointers && !m.has('M3'))) return srcFolio(m, s, t);
  return m.folioOf(s, m.get(s, m.f.tP, t));
}

function handlesStartingIn(m: Machine, s: StateVector, z: number, page: number): number[] {
  if (s[m.f.zInuse[z]] === 0) return [];
  const c = m.classOf(s, z);
  const chain = m.chain(s, z);
  const k = chain.indexOf(page);
  if (k < 0) return [];
  return objsStartingIn(m.pool, c, k).map((idx) => m.objHandle(s, z, idx)).filter((h) => h >= 0);
}

/** E2 dec_zspage_isolation + putback_zspage_deferred, under class->lock. */
function decIsolated(m: Machine, s: StateVector, t: number, kickWhenEmpty: boolean): void {
  const f = m.f;
  const z = m.get(s, f.tZ, t);
  const c = m.get(s, f.tC, t);
  s[f.zIsolated[z]] = Math.max(0, s[f.zIsolated[z]] - 1);
  if (s[f.zIsolated[z]] === 0) {
    const fg = m.putbackZspage(s, c, z);
    if (fg === 0 && kickWhenEmpty) s[f.freeWork] = 1;
    // zs_pool_dec_isolated (701d678599d0): the destroyer's wait_event re-tests the count.
    s[f.poolIsolatedPages] = Math.max(0, s[f.poolIsolatedPages] - 1);
  }
}

export const migrateSteps: StepDef[] = [...isolate, ...unmapAndMove, ...putback];
