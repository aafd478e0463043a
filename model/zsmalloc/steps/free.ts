import type { StateVector, StepContext } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { objPfn } from '../machine.js';
import { objFreeAt } from '../location.js';
import { HANDLE_FREE, HANDLE_FREEING } from '../fields.js';
import { objsPerZspage, pageZone } from '../shape.js';
import { V } from '../violations.js';

/** zs_free (§2.2). zpdesc/memdesc: pool read lock hand-over-hand to class->lock. legacy (E2):
 *  pin_tag, migrate_read_lock(Z), class->lock; an isolated zspage is not freed here (A3). */
export const freeSteps: StepDef[] = [
  {
    label: 'zs_free:pin_tag',
    designs: ['legacy'],
    enabled: (m, s, t) => s[m.f.hPin[handleOf(m, s, t)]] === 0,
    run(m, s, t) {
      s[m.f.hPin[handleOf(m, s, t)]] = t + 1;
      m.goto(s, t, 'zs_free:read_obj');
    },
  },
  {
    label: 'zs_free:read_lock_pool',
    designs: ['zpdesc', 'memdesc'],
    enabled: (m, s) => m.poolReadable(s),
    run(m, s, t) {
      m.readLockPool(s, t);
      m.goto(s, t, 'zs_free:read_obj');
    },
  },
  {
    // obj = *h; pfn_to_page; get_zspage (magic check); class.
    label: 'zs_free:read_obj',
    run(m, s, t, _c, ctx) {
      const h = handleOf(m, s, t);
      m.set(s, m.f.tH, t, h);
      const obj = s[m.f.hObj[h]];
      const p = objPfn(obj);
      if (!m.touchPage(s, p, ctx, 'zs_free')) return;
      const z = s[m.f.pZspage[p]];
      if (!m.touchZ(s, z, ctx, 'zs_free')) return;
      m.set(s, m.f.tObj, t, obj);
      m.set(s, m.f.tZ, t, z);
      m.set(s, m.f.tC, t, m.classOf(s, z));
      if (m.design === 'legacy' && m.has('B1') && s[m.f.zIsolated[z]] > 0) { m.goto(s, t, 'zs_free:defer_handle'); return; }
      // E3 (the A6 era) resolved the zspage under pool->migrate_lock and no longer took the
      // zspage lock in zs_free; the A6 mutation restores that era's locking.
      m.goto(s, t, m.design === 'legacy' && !m.has('A6') ? 'zs_free:migrate_read_lock' : 'zs_free:lock_class');
    },
  },
  {
    // B1 (nearest mechanism): the zspage is busy (isolated), so zs_free chains the handle on
    // a deferred list by storing the list head into the handle word, a whole-word store that
    // also drops HANDLE_PIN_BIT, while the object header still names the handle.
    label: 'zs_free:defer_handle',
    designs: ['legacy'],
    run(m, s, t) {
      const h = m.get(s, m.f.tH, t);
      s[m.f.hObj[h]] = 0; // the (empty) deferred list head: no object location
      s[m.f.hPin[h]] = 0;
      m.goto(s, t, 'zs_free:migrate_read_lock');
    },
  },
  {
    label: 'zs_free:migrate_read_lock',
    designs: ['legacy'],
    enabled: (m, s, t) => m.zspageLockNoop || m.zspageReadable(s, m.get(s, m.f.tZ, t)),
    run(m, s, t) {
      if (!m.zspageLockNoop) m.zspageReadLock(s, m.get(s, m.f.tZ, t), t);
      m.goto(s, t, 'zs_free:lock_class');
    },
  },
  {
    label: 'zs_free:lock_class',
    enabled: (m, s, t) => m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) {
      m.lockClass(s, m.get(s, m.f.tC, t), t);
      m.goto(s, t, m.design === 'legacy' ? 'zs_free:obj_free' : 'zs_free:read_unlock_pool');
    },
  },
  {
    label: 'zs_free:read_unlock_pool',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) {
      m.readUnlockPool(s, t, ctx, 'zs_free');
      m.goto(s, t, 'zs_free:obj_free');
    },
  },
  {
    // stats[INUSE]--, obj_free, fix_fullness_group; RATIO_0 -> free_zspage (§2.2 steps 5-6).
    label: 'zs_free:obj_free',
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const c = m.get(s, f.tC, t);
      if (!m.touchZ(s, z, ctx, 'zs_free: obj_free')) return;
      // obj_free(class->size, obj) re-derives the page and zspage from the obj zs_free read.
      const obj = m.get(s, f.tObj, t);
      if (!m.touchPage(s, objPfn(obj), ctx, 'zs_free: obj_free')) return;
      if (!m.touchZ(s, s[f.pZspage[objPfn(obj)]], ctx, 'zs_free: obj_free')) return;
      s[f.classInuse[c]]--;
      objFreeAt(m, s, c, obj);
      s[f.hState[m.get(s, f.tH, t)]] = HANDLE_FREEING;
      const fg = m.fixFullness(s, c, z);
      if (m.design === 'legacy') {
        // E2: "If zspage is isolated, zs_page_putback will free the zspage".
        const free = fg === 0 && s[f.zIsolated[z]] === 0;
        if (!m.has('A6')) {
          m.set(s, f.tW, t, free ? 1 : 0);
          m.goto(s, t, 'zs_free:migrate_read_unlock');
        } else if (free) {
          m.set(s, f.tR, t, -1);
          m.call(s, t, freeZspageEntry(m), 'zs_free:unlock_class');
        } else {
          m.goto(s, t, 'zs_free:unlock_class');
        }
      } else if (fg === 0) {
        m.set(s, f.tR, t, -1);
        m.call(s, t, freeZspageEntry(m), 'zs_free:unlock_class');
      } else {
        m.goto(s, t, 'zs_free:unlock_class');
      }
    },
  },
  {
    label: 'zs_free:migrate_read_unlock',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      if (!m.zspageLockNoop) m.zspageReadUnlock(s, m.get(s, m.f.tZ, t), t, ctx, 'zs_free');
      if (m.get(s, m.f.tW, t) === 1) {
        m.set(s, m.f.tR, t, -1);
        m.call(s, t, freeZspageEntry(m), 'zs_free:unlock_class');
      } else {
        m.goto(s, t, 'zs_free:unlock_class');
      }
    },
  },
  {
    label: 'zs_free:unlock_class',
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, 'zs_free');
      m.goto(s, t, m.design === 'legacy' ? 'zs_free:unpin_tag' : 'zs_free:cache_free_handle');
    },
  },
  {
    label: 'zs_free:unpin_tag',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      const h = m.get(s, m.f.tH, t);
      unpin(m, s, t, h, ctx, 'zs_free');
      m.goto(s, t, 'zs_free:cache_free_handle');
    },
  },
  {
    label: 'zs_free:cache_free_handle',
    run(m, s, t) {
      const h = m.get(s, m.f.tH, t);
      s[m.f.hState[h]] = HANDLE_FREE;
      s[m.f.hObj[h]] = -1;
      s[m.f.hPayload[h]] = 0;
      m.endOp(s, t);
    },
  },

  // ---- free_zspage: trylock_zspage, remove, __free_zspage or kick_deferred_free ----------
  {
    // Walks the chain trylocking each page, under class->lock (it must not sleep).
    label: 'trylock_zspage:trylock_page',
    designs: ['legacy', 'zpdesc'],
    // SL1: lock_page (which sleeps until the page is unlocked) instead of trylock_page.
    // It waits by taking no step forward while the page is locked (no guard: trylock_zspage
    // itself never blocks, which lock-order relies on).
    sleeps: (m) => m.has('SL1'),
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      if (!m.touchZ(s, z, ctx, 'trylock_zspage')) return;
      const r = m.get(s, f.tR, t);
      const p = r < 0 ? s[f.zFirst[z]] : r;
      if (m.has('SL1') && m.folioLocked(s, p)) return; // lock_page: still waiting
      if (m.trylockFolio(s, p, t) || m.has('F1')) { // F1: the failed trylock is ignored
        const n = s[f.pNext[p]];
        if (n >= 0) { m.set(s, f.tR, t, n); return; }
        m.set(s, f.tR, t, -1);
        m.goto(s, t, 'free_zspage:remove_zspage');
      } else if (p === s[f.zFirst[z]]) {
        kickDeferredFree(m, s, t);
      } else {
        m.set(s, f.tR, t, p);
        m.goto(s, t, 'trylock_zspage:unlock_taken');
      }
    },
  },
  {
    label: 'trylock_zspage:unlock_taken',
    designs: ['legacy', 'zpdesc'],
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      const stop = m.get(s, m.f.tR, t);
      for (const p of m.chain(s, z)) {
        if (p === stop || m.has('U1')) break; // U1: the pages already taken stay locked
        m.unlockFolio(s, p, t, ctx, 'trylock_zspage');
      }
      m.set(s, m.f.tR, t, -1);
      kickDeferredFree(m, s, t);
    },
  },
  {
    // memdesc: one lock operation on the zspage (§6.3.1).
    label: 'trylock_zspage:trylock_zspage',
    designs: ['memdesc'],
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (!m.touchZ(s, z, ctx, 'trylock_zspage')) return;
      if (m.trylockFolio(s, m.N + z, t) || m.has('F1')) m.goto(s, t, 'free_zspage:remove_zspage');
      else kickDeferredFree(m, s, t);
    },
  },
  {
    label: 'free_zspage:remove_zspage',
    run(m, s, t, _c, ctx) {
      m.removeZspage(s, m.get(s, m.f.tC, t), m.get(s, m.f.tZ, t));
      // R2: the descriptor goes back to the slab before reset_zpdesc unlinks the pages.
      if (m.has('R2')) m.cacheFreeZspage(s, m.get(s, m.f.tZ, t), ctx, 'free_zspage');
      m.set(s, m.f.tR, t, -1);
      m.goto(s, t, '__free_zspage:free_page');
    },
  },
  {
    // One chain page per step: reset_zpdesc, unlock, NR_ZSPAGES--, put (§2.2.1). The first
    // step checks the precondition: every page of the current chain is locked by the caller.
    label: '__free_zspage:free_page',
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      if (!m.touchZ(s, z, ctx, '__free_zspage')) return;
      let p = m.get(s, f.tR, t);
      if (p < 0) {
        checkChainLocked(m, s, t, z, ctx);
        p = s[f.zFirst[z]];
        if (p < 0) { m.goto(s, t, freeZspageTail(m)); return; }
      }
      if (!m.touchPage(s, p, ctx, '__free_zspage')) return;
      const next = s[f.pNext[p]];
      s[f.zFirst[z]] = next; // the chain shrinks from its head as pages are released
      s[f.zoneNrZspages[pageZone(m.pool, p)]]--; // dec_zone_page_state(page, NR_ZSPAGES)
      if (!m.has('P1')) s[f.pPrivate[p]] = 0; // reset_zpdesc: ClearPagePrivate (P1 drops it)
      s[f.pZspage[p]] = -1;
      s[f.pNext[p]] = -1;
      if (m.design === 'legacy') s[f.pMovable[p]] = 0; // __ClearPageMovable (E2–E5)
      if (m.design === 'memdesc') {
        if (m.protocol.refPerZspage) {
          // Explicit release of the physical page, unless the core isolated it: then the
          // core frees it once it is done with it (it sees memdesc == none).
          if (s[f.pIsolated[p]] === 0) m.freePageToBuddy(s, p, ctx, '__free_zspage');
        } else {
          // Today's per-page put lands on the shared zspage count; no page is freed.
          m.putFolio(s, m.N + z, ctx, '__free_zspage');
        }
      } else {
        m.unlockFolio(s, p, t, ctx, '__free_zspage');
        m.putFolio(s, p, ctx, '__free_zspage');
      }
      if (next >= 0) { m.set(s, f.tR, t, next); return; }
      m.set(s, f.tR, t, -1);
      m.goto(s, t, freeZspageTail(m));
    },
  },
  {
    label: '__free_zspage:unlock_zspage',
    designs: ['memdesc'],
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (s[m.f.zMagic[z]] !== 0) m.unlockFolio(s, m.N + z, t, ctx, '__free_zspage');
      else m.touchZ(s, z, ctx, '__free_zspage: unlock');
      m.goto(s, t, '__free_zspage:cache_free_zspage');
    },
  },
  {
    label: '__free_zspage:cache_free_zspage',
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const z = m.get(s, f.tZ, t);
      const c = m.get(s, f.tC, t);
      s[f.classAllocated[c]] -= objsPerZspage(m.pool, c);
      s[f.pagesAllocated] -= m.pool.classes[c].pagesPerZspage;
      if (m.design !== 'memdesc') {
        m.cacheFreeZspage(s, z, ctx, '__free_zspage');
      } else if (s[f.zMagic[z]] !== 0) {
        if (m.protocol.refPerZspage && m.protocol.descriptorLifetime) {
          m.putFolio(s, m.N + z, ctx, '__free_zspage'); // the last put frees it (§6.3.8)
        } else if (!m.protocol.descriptorLifetime) {
          m.cacheFreeZspage(s, z, ctx, '__free_zspage'); // M2: freed while the core may hold a ref
        }
      }
      m.ret(s, t);
    },
  },
];

/** kick_deferred_free: schedule_work(&pool->free_work); the zspage stays on RATIO_0. Folded
 *  into the failing trylock step (a plain flag store under class->lock). */
function kickDeferredFree(m: Machine, s: StateVector, t: number): void {
  if (m.config.compaction) s[m.f.freeWork] = 1; // !CONFIG_COMPACTION: an empty function

  m.ret(s, t);
}

export function freeZspageEntry(m: Machine): string {
  return m.design === 'memdesc' ? 'trylock_zspage:trylock_zspage' : 'trylock_zspage:trylock_page';
}

function freeZspageTail(m: Machine): string {
  return m.design === 'memdesc' ? '__free_zspage:unlock_zspage' : '__free_zspage:cache_free_zspage';
}

/** §5 invariant 13: __free_zspage runs only with every page of the current chain locked by the
 *  caller (memdesc: the zspage's one lock). */
function checkChainLocked(m: Machine, s: StateVector, t: number, z: number, ctx: StepContext): void {
  // assert_spin_locked(&class->lock); VM_BUG_ON(get_zspage_inuse(zspage));
  // VM_BUG_ON(zspage->fullness != ZS_INUSE_RATIO_0) (E2: ZS_EMPTY).
  const c = m.classOf(s, z);
  if (s[m.f.classLock[c]] !== t + 1) {
    ctx.fail(V.freeZspageLocked, `__free_zspage(zspage[${z}]) runs while ${m.threadNames[t]} does not hold class[${c}].lock`);
    return;
  }
  if (s[m.f.zInuse[z]] !== 0 || s[m.f.zFullness[z]] !== 0) {
    ctx.fail(V.freeZspageLocked, `__free_zspage(zspage[${z}]) runs with inuse ${s[m.f.zInuse[z]]} and fullness group ${s[m.f.zFullness[z]]}`);
    return;
  }
  if (m.design === 'memdesc') {
    if (m.folioLockOwner(s, m.N + z) !== t + 1) {
      ctx.fail(V.freeZspageLocked, `__free_zspage(zspage[${z}]) runs without holding zspage[${z}].flags.PG_locked`);
    }
    return;
  }
  for (const p of m.chain(s, z)) {
    if (m.folioLockOwner(s, p) !== t + 1) {
      ctx.fail(V.freeZspageLocked, `__free_zspage(zspage[${z}]) runs while chain page[${p}] is not locked by ${m.threadNames[t]}`);
      return;
    }
  }
}

function handleOf(m: Machine, s: StateVector, t: number): number {
  const op = m.op(s, t);
  if (op.kind !== 'free' && op.kind !== 'read' && op.kind !== 'write') throw new Error(`no handle in ${op.kind}`);
  return op.handle;
}

/** unpin_tag: clear_bit_unlock(HANDLE_PIN_BIT). Clearing a bit that is already clear is
 *  silent in the kernel; clearing the pin another thread took is the A1 bug (BUGS.md). */
export function unpin(m: Machine, s: StateVector, t: number, h: number, ctx: StepContext, what: string): void {
  const cur = s[m.f.hPin[h]];
  if (cur !== 0 && cur !== t + 1) {
    ctx.fail(V.handlePinExclusive, `${what}: ${m.threadNames[t]} unpins handle[${String.fromCharCode(65 + h)}], which ${m.threadNames[cur - 1]} has pinned`);
  }
  s[m.f.hPin[h]] = 0;
}
