import type { StateVector } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { LIST_SPLICED, ZSPAGE_MAGIC } from '../fields.js';
import { headNode, listDel, listFirst, listHeads, listSpliceInit, localNode } from '../lists.js';

/**
 * async_free_zspage, the free_work worker (§2.2.2), and lock_zspage (§2.2.3).
 * zpdesc/legacy run the post-A5 lock_zspage (chain walked under the zspage read lock, waits
 * with a page ref and the read lock dropped); the A5 mutation restores the pre-2505a981114d
 * loop (lock_page; page = next) with no zspage lock. memdesc: one sleeping lock on the zspage.
 */
export const asyncFreeSteps: StepDef[] = [
  {
    label: 'async_free_zspage:start',
    enabled: (m, s) => s[m.f.freeWork] === 1,
    run(m, s, t) {
      s[m.f.freeWork] = 0;
      m.set(s, m.f.tC, t, 0);
      m.goto(s, t, 'async_free_zspage:lock_class');
    },
  },
  {
    label: 'async_free_zspage:lock_class',
    enabled: (m, s, t) => m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) { m.lockClass(s, m.get(s, m.f.tC, t), t); m.goto(s, t, 'async_free_zspage:splice'); },
  },
  {
    // list_splice_init(&class->fullness_list[ZS_INUSE_RATIO_0], &free_pages); the per-group
    // stat is decremented per zspage when it is freed (A8 fix).
    label: 'async_free_zspage:splice',
    run(m, s, t) {
      const c = m.get(s, m.f.tC, t);
      for (let z = 0; z < m.K; z++) {
        if (s[m.f.zMagic[z]] === ZSPAGE_MAGIC && s[m.f.zClass[z]] === c && s[m.f.zList[z]] === 0) s[m.f.zList[z]] = LIST_SPLICED;
      }
      if (listHeads(m)) listSpliceInit(m, s, headNode(m, c, 0), localNode(m, t));
      m.goto(s, t, 'async_free_zspage:unlock_class');
    },
  },
  {
    label: 'async_free_zspage:unlock_class',
    run(m, s, t, _c, ctx) {
      const c = m.get(s, m.f.tC, t);
      m.unlockClass(s, c, t, ctx, 'async_free_zspage');
      if (c + 1 < m.pool.classes.length) { m.set(s, m.f.tC, t, c + 1); m.goto(s, t, 'async_free_zspage:lock_class'); }
      else nextZspage(m, s, t);
    },
  },
  // ---- post-A5 lock_zspage ----
  {
    label: 'lock_zspage:zspage_read_lock',
    designs: ['legacy', 'zpdesc'],
    enabled: (m, s, t) => m.zspageReadable(s, m.get(s, m.f.tZ, t)),
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (!m.touchZ(s, z, ctx, 'lock_zspage')) return;
      m.zspageReadLock(s, z, t);
      m.goto(s, t, m.get(s, m.f.tW, t) === 0 ? 'lock_zspage:trylock_first' : 'lock_zspage:trylock_next');
    },
  },
  {
    label: 'lock_zspage:trylock_first',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t) {
      const p = s[m.f.zFirst[m.get(s, m.f.tZ, t)]];
      if (m.trylockFolio(s, p, t)) {
        m.set(s, m.f.tR, t, p);
        m.set(s, m.f.tW, t, 1);
        m.goto(s, t, 'lock_zspage:trylock_next');
      } else {
        m.getFolio(s, p);
        m.set(s, m.f.tI, t, p);
        m.goto(s, t, 'lock_zspage:read_unlock_wait');
      }
    },
  },
  {
    label: 'lock_zspage:trylock_next',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t) {
      const n = s[m.f.pNext[m.get(s, m.f.tR, t)]];
      if (n < 0) { m.goto(s, t, 'lock_zspage:zspage_read_unlock'); return; }
      if (m.trylockFolio(s, n, t)) { m.set(s, m.f.tR, t, n); return; }
      m.getFolio(s, n);
      m.set(s, m.f.tI, t, n);
      m.goto(s, t, 'lock_zspage:read_unlock_wait');
    },
  },
  {
    label: 'lock_zspage:read_unlock_wait',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t, _c, ctx) { m.zspageReadUnlock(s, m.get(s, m.f.tZ, t), t, ctx, 'lock_zspage'); m.goto(s, t, 'lock_zspage:wait_locked'); },
  },
  {
    label: 'lock_zspage:wait_locked',
    sleeps: true,
    designs: ['legacy', 'zpdesc'],
    enabled: (m, s, t) => !m.folioLocked(s, m.get(s, m.f.tI, t)),
    run(m, s, t) { m.goto(s, t, 'lock_zspage:put'); },
  },
  {
    label: 'lock_zspage:put',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t, _c, ctx) {
      if (!m.has('W1')) m.putFolio(s, m.get(s, m.f.tI, t), ctx, 'lock_zspage'); // W1: the wait reference is kept
      m.set(s, m.f.tI, t, -1);
      m.goto(s, t, 'lock_zspage:zspage_read_lock');
    },
  },
  {
    label: 'lock_zspage:zspage_read_unlock',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t, _c, ctx) {
      m.zspageReadUnlock(s, m.get(s, m.f.tZ, t), t, ctx, 'lock_zspage');
      m.set(s, m.f.tR, t, -1);
      m.set(s, m.f.tW, t, -1);
      m.goto(s, t, 'async_free_zspage:lock_class_free');
    },
  },
  // ---- pre-A5 lock_zspage (mutation A5) ----
  {
    label: 'lock_zspage:read_first',
    designs: ['zpdesc'],
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (!m.touchZ(s, z, ctx, 'lock_zspage')) return;
      m.set(s, m.f.tR, t, s[m.f.zFirst[z]]);
      m.goto(s, t, 'lock_zspage:lock_page');
    },
  },
  {
    label: 'lock_zspage:lock_page',
    sleeps: true,
    designs: ['zpdesc'],
    enabled: (m, s, t) => !m.folioLocked(s, m.get(s, m.f.tR, t)),
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.f.tR, t);
      if (!m.touchPage(s, p, ctx, 'lock_zspage: lock_page')) return;
      m.trylockFolio(s, p, t);
      m.goto(s, t, 'lock_zspage:read_next');
    },
  },
  {
    label: 'lock_zspage:read_next',
    designs: ['zpdesc'],
    run(m, s, t) {
      const n = s[m.f.pNext[m.get(s, m.f.tR, t)]];
      if (n < 0) { m.set(s, m.f.tR, t, -1); m.set(s, m.f.tW, t, -1); m.goto(s, t, 'async_free_zspage:lock_class_free'); return; }
      m.set(s, m.f.tR, t, n);
      m.goto(s, t, 'lock_zspage:lock_page');
    },
  },
  // ---- memdesc ----
  {
    label: 'lock_zspage:lock',
    sleeps: true,
    designs: ['memdesc'],
    enabled: (m, s, t) => {
      const z = m.get(s, m.f.tZ, t);
      return s[m.f.zMagic[z]] !== ZSPAGE_MAGIC || !m.folioLocked(s, m.N + z);
    },
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (!m.touchZ(s, z, ctx, 'lock_zspage')) return;
      m.trylockFolio(s, m.N + z, t);
      m.set(s, m.f.tW, t, -1);
      m.goto(s, t, 'async_free_zspage:lock_class_free');
    },
  },
  {
    label: 'async_free_zspage:lock_class_free',
    enabled: (m, s, t) => m.has('S3') || m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) {
      if (!m.has('S3')) m.lockClass(s, m.get(s, m.f.tC, t), t); // S3: the lock is not taken
      m.goto(s, t, 'async_free_zspage:free');
    },
  },
  {
    label: 'async_free_zspage:free',
    run(m, s, t) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const c = m.get(s, f.tC, t);
      if (!m.has('S2')) s[f.classStat[c][0]]--; // class_stat_sub(class, ZS_INUSE_RATIO_0, 1)
      s[f.zList[z]] = -1;
      m.set(s, f.tR, t, -1);
      m.call(s, t, '__free_zspage:free_page', 'async_free_zspage:unlock_class_free');
    },
  },
  {
    label: 'async_free_zspage:unlock_class_free',
    run(m, s, t, _c, ctx) {
      if (!m.has('S3')) m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'async_free_zspage');
      m.set(s, m.f.tZ, t, -1);
      nextZspage(m, s, t);
    },
  },
];

/** Takes the next zspage off the worker's local free_pages list (private to the worker, so it
 *  is part of the step that released the class lock) and starts locking it. */
function nextZspage(m: Machine, s: StateVector, t: number): void {
  const f = m.f;
  let z = -1;
  if (listHeads(m)) {
    // list_for_each_entry_safe(zspage, tmp, &free_pages, list) { list_del(&zspage->list); ...
    z = listFirst(m, s, localNode(m, t));
    if (z >= 0) {
      listDel(m, s, z, false);
      if (m.has('L1')) listDel(m, s, z, true); // L1: remove_zspage's list_del_init as well
    }
  } else {
    for (let i = 0; i < m.K; i++) if (s[f.zMagic[i]] === ZSPAGE_MAGIC && s[f.zList[i]] === LIST_SPLICED) { z = i; break; }
  }
  if (z < 0) { m.endOp(s, t); return; }
  m.set(s, f.tZ, t, z);
  m.set(s, f.tC, t, s[f.zClass[z]]);
  m.set(s, f.tR, t, -1);
  m.set(s, f.tW, t, 0);
  m.goto(s, t, m.design === 'memdesc' ? 'lock_zspage:lock' : m.has('A5') && m.design === 'zpdesc' ? 'lock_zspage:read_first' : 'lock_zspage:zspage_read_lock');
}
