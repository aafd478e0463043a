import type { StateInvariant, TerminalProperty } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { V } from '../../model/zsmalloc/violations.js';
import { describedBy } from './helpers.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { fieldsOf } from './reads.js';

/** Locks (§4, §5 inv. 9-13). */
export const docs: InvariantDoc[] = [
  { name: V.lockOwnerUnlock, kind: 'step', designs: allDesigns,
    description: 'Every unlock is done by the holder, on the same object it locked (no double unlock, no unlock of a recomputed folio).',
    kernelRule: 'include/linux/pagemap.h folio_unlock() VM_BUG_ON_FOLIO(!folio_test_locked); memdesc: unlock the folio that was locked (mutation M3)' },
  { name: V.handlePinExclusive, kind: 'step', designs: ['legacy'],
    description: 'HANDLE_PIN_BIT has one owner; only the thread that pinned a handle unpins it, and nobody clears it behind its back.',
    kernelRule: 'mm/zsmalloc.c pin_tag/unpin_tag, record_obj; c102f07ca0b0 (mutation A1)' },
  { name: V.freeZspageLocked, kind: 'step', designs: allDesigns,
    description: '__free_zspage runs with class->lock held, inuse 0, fullness ZS_INUSE_RATIO_0 (E2: ZS_EMPTY) and every page of the current chain locked by the caller (memdesc: the zspage lock).',
    kernelRule: 'mm/zsmalloc.c __free_zspage(): assert_spin_locked(&class->lock), VM_BUG_ON(inuse), VM_BUG_ON(fullness != ZS_INUSE_RATIO_0), VM_BUG_ON_PAGE(!PageLocked); lock_zspage 2505a981114d (mutation A5)' },
  { name: V.callbackPageLocked, kind: 'step', designs: allDesigns,
    description: 'zs_page_isolate/zs_page_migrate run with page_folio(page) locked by the calling core thread.',
    kernelRule: 'mm/migrate.c isolate_movable_ops_page/migrate_folio_unmap lock the folio first; memdesc: get, then re-check page->memdesc (mutation M1)' },
  { name: V.movableUnderLock, kind: 'step', designs: allDesigns,
    description: 'SetZsPageMovable marks a page movable under the page lock, which nobody else can hold yet.',
    kernelRule: 'mm/zsmalloc.c SetZsPageMovable() WARN_ON(!trylock_zpdesc)' },
  { name: 'zspage-lock-state', kind: 'state', designs: allDesigns,
    description: 'zspage lock: cnt is -1 (one writer, recorded) or the number of readers.',
    kernelRule: 'mm/zsmalloc.c zspage_read_lock/zspage_write_trylock (struct zspage_lock, 6.15)' },
  { name: 'nothing-locked-at-end', kind: 'terminal', designs: allDesigns,
    description: 'When every thread is done no lock of any kind is held.',
    kernelRule: 'lockdep: held locks at task exit' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  return [{
    name: 'zspage-lock-state',
    description: describedBy(docs, 'zspage-lock-state'),
    reads: fieldsOf(f.zslCnt, f.zslReaders, f.zslWriter),
    check(s) {
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        const cnt = s[f.zslCnt[z]];
        const readers = s[f.zslReaders[z]];
        let n = 0;
        for (let r = readers; r; r &= r - 1) n++;
        if (cnt === -1 && s[f.zslWriter[z]] === 0) return `zspage[${z}] lock cnt is -1 with no writer`;
        if (cnt >= 0 && s[f.zslWriter[z]] !== 0) return `zspage[${z}] has a writer but cnt ${cnt}`;
        if (cnt >= 0 && cnt !== n) return `zspage[${z}] lock cnt ${cnt} but ${n} readers hold it`;
      }
      return null;
    },
  }];
}

export function terminalProperties(m: Machine): TerminalProperty[] {
  return [{
    name: 'nothing-locked-at-end',
    description: describedBy(docs, 'nothing-locked-at-end'),
    check(s) {
      for (let t = 0; t < m.T; t++) {
        const held = m.locksHeld(s, t);
        if (held.length > 0) return `${m.threadNames[t]} finished holding ${held.join(', ')}`;
      }
      for (let p = 0; p < m.N; p++) if (s[m.f.pLocked[p]] !== 0) return `page[${p}].flags.PG_locked is still set`;
      return null;
    },
  }];
}
