import { describe, expect, it } from 'vitest';
import type { Design } from '../../model/designs.js';
import type { ThreadProgram } from '../../model/zsmalloc/program.js';
import { findInvariant, progressCatalogue, propertiesFor } from '../../invariants/zsmalloc/index.js';
import { poolState, idleThread, type PoolState } from './pool.js';

/**
 * The step properties (checked on every transition) on hand-built steps: a state, a thread, a
 * step label, and the state the step leaves, edited by hand (no exploration). Thread ids: the
 * setup thread is 0, t1 is 1 (it holds a lock when the lock word is 2), t2 is 2 (word 3).
 */

const all: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];
const zl = (d: Design, z: number) => `zspage[${z}].${d === 'legacy' ? 'lock' : 'zsl'}`;
const pool = (d: Design, threads: ThreadProgram[] = [idleThread('t1'), idleThread('t2')], mutations?: 'SL1'[]) => poolState(d, threads, { mutations });
/** The page lock generic mm code takes for page[0]: the page's own, or (memdesc) its zspage's. */
const pageLock = (d: Design) => (d === 'memdesc' ? 'zspage[0].flags.PG_locked' : 'page[0].flags.PG_locked');

describe('lock-order: a blocking acquisition never takes a lock ranked before one held (mm/zsmalloc.c "Locking order", lockdep)', () => {
  const order = 'lock-order';
  /** t1 takes the locks `got` at a blocking step `label` while holding `held`. */
  const acquire = (p: PoolState, label: string, held: string[], got: string[]) => {
    for (const l of held) p.set(l, 2);
    return p.step(order, 't1', label, (a) => { for (const l of got) a.set(l, 2); });
  };
  for (const d of all) {
    it(`a first lock, or locks in the documented order, are fine (${d})`, () => {
      expect(acquire(pool(d), 'zs_free:lock_class', [], ['class[0].lock'])).toBeNull();
      expect(acquire(pool(d), 'zs_free:lock_class', [pageLock(d)], ['class[0].lock'])).toBeNull();
      expect(acquire(pool(d), 'zs_free:lock_class', [], [])).toBeNull();
    });
    it(`folio_lock while holding class->lock inverts page_lock -> class->lock (${d})`, () => {
      expect(acquire(pool(d), 'migrate_folio_unmap:lock_src', ['class[0].lock'], [pageLock(d)]))
        .toBe(`t1 blocks on ${pageLock(d)} at migrate_folio_unmap:lock_src while holding class[0].lock, which the locking order puts after it`);
    });
    it(`a trylock (a step that never waits) is exempt, as in lockdep (${d})`, () => {
      expect(acquire(pool(d), 'migrate_folio_unmap:trylock_dst', ['class[0].lock'], [pageLock(d)])).toBeNull();
    });
    it(`locks of equal rank (two page locks, two class locks) do not order each other (${d})`, () => {
      expect(acquire(pool(d), 'zs_free:lock_class', ['class[1].lock'], ['class[0].lock'])).toBeNull();
      expect(acquire(pool(d), 'migrate_folio_unmap:lock_src', ['page[1].flags.PG_locked'], ['page[0].flags.PG_locked'])).toBeNull();
    });
    it(`locks already held before the step are not re-acquired by it (${d})`, () => {
      expect(acquire(pool(d), 'zs_free:lock_class', [pageLock(d), 'class[0].lock'], [])).toBeNull();
    });
    it(`only the stepping thread's locks count (${d})`, () => {
      const p = pool(d);
      p.set('class[0].lock', 3); // t2's
      expect(p.step(order, 't1', 'migrate_folio_unmap:lock_src', (a) => a.set(pageLock(d), 2))).toBeNull();
      const q = pool(d);
      q.set('class[0].lock', 3);
      expect(q.step(order, 't2', 'migrate_folio_unmap:lock_src', (a) => a.set(pageLock(d), 3)))
        .toBe(`t2 blocks on ${pageLock(d)} at migrate_folio_unmap:lock_src while holding class[0].lock, which the locking order puts after it`);
    });
    it(`the report names the held lock that is ranked after the new one (${d})`, () => {
      expect(acquire(pool(d), 'migrate_folio_unmap:lock_src', ['page[1].flags.PG_locked', 'class[1].lock'], ['page[0].flags.PG_locked']))
        .toBe('t1 blocks on page[0].flags.PG_locked at migrate_folio_unmap:lock_src while holding class[1].lock, which the locking order puts after it');
    });
  }
  for (const d of ['zpdesc', 'memdesc'] as const) {
    it(`pool->lock comes after the page lock and before class->lock (${d})`, () => {
      expect(acquire(pool(d), 'zs_free:read_lock_pool', [pageLock(d)], ['pool.lock.readers'])).toBeNull();
      expect(acquire(pool(d), 'zs_free:lock_class', ['pool.lock.writer'], ['class[0].lock'])).toBeNull();
      expect(acquire(pool(d), 'zs_free:read_lock_pool', ['class[0].lock'], ['pool.lock.writer']))
        .toBe('t1 blocks on pool.lock (write) at zs_free:read_lock_pool while holding class[0].lock, which the locking order puts after it');
      expect(acquire(pool(d), 'migrate_folio_unmap:lock_src', ['pool.lock.writer'], [pageLock(d)]))
        .toBe(`t1 blocks on ${pageLock(d)} at migrate_folio_unmap:lock_src while holding pool.lock (write), which the locking order puts after it`);
    });
    it(`the zspage lock comes after class->lock (6.15+: zspage_read_lock under class->lock in zs_free) (${d})`, () => {
      expect(acquire(pool(d), 'zs_obj_read_begin:zspage_read_lock', ['class[0].lock'], [`${zl(d, 0)}.readers`])).toBeNull();
      expect(acquire(pool(d), 'zs_free:lock_class', [`${zl(d, 0)}.writer`], ['class[0].lock']))
        .toBe(`t1 blocks on class[0].lock at zs_free:lock_class while holding ${zl(d, 0)} (write), which the locking order puts after it`);
      expect(acquire(pool(d), 'zs_free:read_lock_pool', [`${zl(d, 0)}.writer`], ['pool.lock.writer']))
        .toBe(`t1 blocks on pool.lock (write) at zs_free:read_lock_pool while holding ${zl(d, 0)} (write), which the locking order puts after it`);
    });
  }
  for (const d of ['zpdesc', 'memdesc'] as const) {
    it(`a read acquisition is ordered like a write: pool->lock read-taken under class->lock or the zspage lock fails (${d})`, () => {
      expect(acquire(pool(d), 'zs_free:read_lock_pool', ['class[0].lock'], ['pool.lock.readers']))
        .toBe('t1 blocks on pool.lock (read) at zs_free:read_lock_pool while holding class[0].lock, which the locking order puts after it');
      expect(acquire(pool(d), 'zs_obj_read_begin:read_lock_pool', [`${zl(d, 1)}.writer`], ['pool.lock.readers']))
        .toBe(`t1 blocks on pool.lock (read) at zs_obj_read_begin:read_lock_pool while holding ${zl(d, 1)} (write), which the locking order puts after it`);
    });
    it(`the reader bit of the stepping thread is the one that counts: t2 read-taking pool->lock under its class->lock fails, beside t1's read hold (${d})`, () => {
      const p = pool(d);
      p.set('class[1].lock', 3); // t2's
      p.set('pool.lock.readers', 2); // t1 reads already
      expect(p.step(order, 't2', 'zs_free:read_lock_pool', (a) => a.set('pool.lock.readers', 6)))
        .toBe('t2 blocks on pool.lock (read) at zs_free:read_lock_pool while holding class[1].lock, which the locking order puts after it');
      const q = pool(d);
      q.set('class[1].lock', 3);
      expect(q.step(order, 't2', 'zs_free:read_lock_pool', (a) => a.set('pool.lock.readers', 2)), 't1\'s bit set, not t2\'s').toBeNull();
    });
    it(`taking the next lock in order while holding two (page lock, pool->lock) is fine; each held lock is compared with the new one only (${d})`, () => {
      expect(acquire(pool(d), 'zs_free:lock_class', [pageLock(d), 'pool.lock.writer'], ['class[0].lock'])).toBeNull();
      expect(acquire(pool(d), 'zs_obj_read_begin:zspage_read_lock', [pageLock(d), 'pool.lock.readers', 'class[0].lock'], [`${zl(d, 0)}.readers`])).toBeNull();
    });
  }
  it('legacy (E2): migrate_read_lock (a read acquisition) under class->lock fails; in order under a page lock and a handle pin it is fine', () => {
    expect(acquire(pool('legacy'), 'zs_free:migrate_read_lock', ['class[0].lock'], ['zspage[0].lock.readers']))
      .toBe('t1 blocks on zspage[0].lock (read) at zs_free:migrate_read_lock while holding class[0].lock, which the locking order puts after it');
    expect(acquire(pool('legacy'), 'zs_free:migrate_read_lock', ['page[0].flags.PG_locked', 'handle[A].HANDLE_PIN_BIT'], ['zspage[0].lock.readers'])).toBeNull();
  });
  it('legacy (E2): handle pin, then migrate_read_lock(zspage), then class->lock', () => {
    expect(acquire(pool('legacy'), 'zs_free:migrate_read_lock', ['handle[A].HANDLE_PIN_BIT'], ['zspage[0].lock.writer'])).toBeNull();
    expect(acquire(pool('legacy'), 'zs_free:lock_class', ['zspage[0].lock.writer'], ['class[0].lock'])).toBeNull();
    expect(acquire(pool('legacy'), 'zs_free:pin_tag', ['page[0].flags.PG_locked'], ['handle[A].HANDLE_PIN_BIT'])).toBeNull();
    expect(acquire(pool('legacy'), 'zs_free:migrate_read_lock', ['class[0].lock'], ['zspage[0].lock.writer']))
      .toBe('t1 blocks on zspage[0].lock (write) at zs_free:migrate_read_lock while holding class[0].lock, which the locking order puts after it');
    expect(acquire(pool('legacy'), 'zs_free:pin_tag', ['zspage[0].lock.writer'], ['handle[A].HANDLE_PIN_BIT']))
      .toBe('t1 blocks on handle[A].HANDLE_PIN_BIT at zs_free:pin_tag while holding zspage[0].lock (write), which the locking order puts after it');
    expect(acquire(pool('legacy'), 'zs_free:pin_tag', ['class[1].lock'], ['handle[B].HANDLE_PIN_BIT']))
      .toBe('t1 blocks on handle[B].HANDLE_PIN_BIT at zs_free:pin_tag while holding class[1].lock, which the locking order puts after it');
  });
});

describe('no-sleep-under-spinlock: a step that may sleep runs with no spinning lock held (might_sleep(); mm/zsmalloc.c free_zspage)', () => {
  const rule = 'no-sleep-under-spinlock';
  /** t1 holding `held` takes step `label`. */
  const sleeping = (p: PoolState, label: string, held: string[]) => {
    for (const l of held) p.set(l, 2);
    return p.step(rule, 't1', label, () => undefined);
  };
  const sleeps = 'migrate_folio_unmap:lock_src';
  for (const d of all) {
    it(`folio_lock under class->lock fails; under a page lock, or with nothing held, it may sleep (${d})`, () => {
      expect(sleeping(pool(d), sleeps, ['class[1].lock'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock class[1].lock`);
      expect(sleeping(pool(d), sleeps, ['page[1].flags.PG_locked'])).toBeNull();
      expect(sleeping(pool(d), sleeps, [])).toBeNull();
    });
    it(`a step that does not sleep may run under a spinlock (${d})`, () => {
      expect(sleeping(pool(d), 'zs_free:lock_class', ['class[0].lock'])).toBeNull();
    });
    it(`only the stepping thread's locks count; the report names its first spinning lock (${d})`, () => {
      const p = pool(d);
      p.set('class[0].lock', 3);
      expect(p.step(rule, 't1', sleeps, () => undefined)).toBeNull();
      expect(sleeping(pool(d), sleeps, ['page[1].flags.PG_locked', 'class[1].lock'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock class[1].lock`);
    });
    it(`flush_work and wait_event steps sleep too (${d})`, () => {
      expect(sleeping(pool(d), 'zs_destroy_pool:flush_work', ['class[0].lock'])).toBe('t1 may sleep at zs_destroy_pool:flush_work while holding the spinning lock class[0].lock');
    });
  }
  for (const d of ['zpdesc', 'memdesc'] as const) {
    it(`pool->lock spins either side; the 6.15 zspage lock spins only for the writer (${d})`, () => {
      expect(sleeping(pool(d), sleeps, ['pool.lock.writer'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock pool.lock (write)`);
      expect(sleeping(pool(d), sleeps, ['pool.lock.readers'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock pool.lock (read)`);
      expect(sleeping(pool(d), sleeps, [`${zl(d, 0)}.writer`])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock ${zl(d, 0)} (write)`);
      expect(sleeping(pool(d), sleeps, [`${zl(d, 0)}.readers`])).toBeNull();
    });
  }
  it('memdesc: the zspage\'s PG_locked is a page lock, held across sleeps', () => {
    expect(sleeping(pool('memdesc'), sleeps, ['zspage[1].flags.PG_locked'])).toBeNull();
  });
  it('legacy (E2): the zspage rwlock spins on both sides, and so does HANDLE_PIN_BIT', () => {
    expect(sleeping(pool('legacy'), sleeps, ['zspage[0].lock.readers'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock zspage[0].lock (read)`);
    expect(sleeping(pool('legacy'), sleeps, ['zspage[0].lock.writer'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock zspage[0].lock (write)`);
    expect(sleeping(pool('legacy'), sleeps, ['handle[C].HANDLE_PIN_BIT'])).toBe(`t1 may sleep at ${sleeps} while holding the spinning lock handle[C].HANDLE_PIN_BIT`);
  });
  for (const d of ['legacy', 'zpdesc'] as const) {
    it(`trylock_zspage sleeps only where SL1 turns its trylock_page into lock_page (${d})`, () => {
      expect(sleeping(pool(d), 'trylock_zspage:trylock_page', ['class[0].lock'])).toBeNull();
      expect(sleeping(pool(d, undefined, ['SL1']), 'trylock_zspage:trylock_page', ['class[0].lock']))
        .toBe('t1 may sleep at trylock_zspage:trylock_page while holding the spinning lock class[0].lock');
    });
  }
});

describe('get-from-zero: no step raises a _refcount from 0 but the allocation (include/linux/page_ref.h get_page_unless_zero, folio_get)', () => {
  const rule = 'get-from-zero';
  for (const d of all) {
    it(`alloc_pages hands out a buddy page with its first reference (${d})`, () => {
      const p = pool(d);
      expect(p.step(rule, 't1', 'alloc_zspage:alloc_page', (a) => { a.set('page[3].PageBuddy', 0); a.set('page[3]._refcount', 1); })).toBeNull();
    });
    it(`a get on a free page that stays in the buddy fails; on the last page frame too (${d})`, () => {
      for (const pg of [3, 4]) {
        const p = pool(d);
        expect(p.step(rule, 't1', 'migrate_folio_unmap:alloc_dst', (a) => a.set(`page[${pg}]._refcount`, 1)))
          .toBe(`t1 takes a reference on page[${pg}] at migrate_folio_unmap:alloc_dst while its _refcount is 0`);
      }
    });
    it(`a get on an allocated page whose count dropped to 0 (being freed) fails (${d})`, () => {
      const p = pool(d);
      p.set('page[0]._refcount', 0);
      expect(p.step(rule, 't2', 'isolate_movable_ops_page:put_fail', (a) => a.set('page[0]._refcount', 2)))
        .toBe('t2 takes a reference on page[0] at isolate_movable_ops_page:put_fail while its _refcount is 0');
    });
    it(`a page leaving the buddy is the only exemption: a page entering it gets none (${d})`, () => {
      const p = pool(d);
      p.set('page[0]._refcount', 0);
      p.set('page[0].PageBuddy', 0);
      expect(p.step(rule, 't1', 'alloc_zspage:alloc_page', (a) => { a.set('page[0].PageBuddy', 1); a.set('page[0]._refcount', 1); }))
        .toBe('t1 takes a reference on page[0] at alloc_zspage:alloc_page while its _refcount is 0');
    });
    it(`gets on counted pages, puts to 0 and untouched zeros are fine (${d})`, () => {
      const p = pool(d);
      p.set('page[2]._refcount', 1);
      expect(p.step(rule, 't1', 'migrate_folio_done:put_src', (a) => { a.set('page[2]._refcount', 0); a.set('page[3].data[0]', 1); })).toBeNull();
      if (d !== 'memdesc') expect(p.step(rule, 't1', 'isolate_movable_ops_page:get_page_unless_zero', (a) => a.set('page[2]._refcount', 2))).toBeNull();
    });
  }
  it('memdesc: a get on a tail page (no count of its own, E7) fails', () => {
    const p = pool('memdesc');
    expect(p.get('page[1]._refcount')).toBe(0);
    expect(p.step(rule, 't1', 'isolate_movable_ops_page:folio_try_get', (a) => a.set('page[1]._refcount', 1)))
      .toBe('t1 takes a reference on page[1] at isolate_movable_ops_page:folio_try_get while its _refcount is 0');
  });
  it('memdesc: a get on a live zspage whose count is 0 fails; cache_alloc_zspage\'s first reference on a new one does not', () => {
    const p = pool('memdesc');
    p.set('zspage[1]._refcount', 0);
    expect(p.step(rule, 't1', 'isolate_movable_ops_page:folio_try_get', (a) => a.set('zspage[1]._refcount', 1)))
      .toBe('t1 takes a reference on zspage[1] at isolate_movable_ops_page:folio_try_get while its _refcount is 0');
    expect(p.step(rule, 't1', 'alloc_zspage:cache_alloc_zspage', (a) => { a.set('zspage[2].magic', 0x58); a.set('zspage[2]._refcount', 1); })).toBeNull();
    expect(p.step(rule, 't1', 'isolate_movable_ops_page:folio_try_get', (a) => a.set('zspage[0]._refcount', 2))).toBeNull();
    expect(p.step(rule, 't1', 'isolate_movable_ops_page:folio_try_get', () => undefined), 'a count of 0 left at 0').toBeNull();
  });
});

describe('guarded-by: class stats and zspage bookkeeping are written under class->lock (mm/zsmalloc.c struct size_class "lock", 4b5d1e47b694)', () => {
  const rule = 'guarded-by';
  const zspageFields = (d: Design) => ['inuse', 'freeobj', 'fullness', 'class', 'list', ...(d === 'legacy' ? ['isolated'] : [])];
  const statFields = (p: PoolState, c: number) => p.m.f.fields.map((f) => f.name).filter((n) => n.startsWith(`class[${c}].stats[`));
  /** t1 writes `field` (value + 1) at `label`; the class lock words before and after. */
  const write = (p: PoolState, field: string, label = 'zs_free:obj_free', after: (a: PoolState) => void = () => undefined) =>
    p.step(rule, 't1', label, (a) => { a.set(field, p.get(field) + 1); after(a); });
  for (const d of all) {
    it(`every guarded zspage field written without class->lock fails (${d})`, () => {
      for (const fld of zspageFields(d)) {
        expect(write(pool(d), `zspage[0].${fld}`), fld).toBe(`t1 writes zspage[0].${fld} at zs_free:obj_free without class[0].lock`);
        const p = pool(d);
        p.set('class[0].lock', 2);
        expect(write(p, `zspage[0].${fld}`), `${fld} under the lock`).toBeNull();
      }
    });
    it(`every class stat written without its class lock fails, for each class (${d})`, () => {
      for (const c of [0, 1]) {
        for (const fld of statFields(pool(d), c)) {
          expect(write(pool(d), fld), fld).toBe(`t1 writes ${fld} at zs_free:obj_free without class[${c}].lock`);
          const p = pool(d);
          p.set(`class[${c}].lock`, 2);
          expect(write(p, fld), `${fld} under the lock`).toBeNull();
        }
      }
    });
    it(`the lock taken by the same step (spin_lock then the write) counts (${d})`, () => {
      expect(write(pool(d), 'zspage[0].inuse', 'zs_free:lock_class', (a) => a.set('class[0].lock', 2))).toBeNull();
      const p = pool(d);
      p.set('class[0].lock', 2);
      expect(write(p, 'zspage[0].inuse', 'zs_free:unlock_class', (a) => a.set('class[0].lock', 0))).toBeNull();
    });
    it(`the lock of another class, or held by another thread, does not guard it (${d})`, () => {
      const p = pool(d);
      p.set('class[1].lock', 2);
      expect(write(p, 'zspage[0].inuse')).toBe('t1 writes zspage[0].inuse at zs_free:obj_free without class[0].lock');
      const q = pool(d);
      q.set('class[0].lock', 3);
      expect(write(q, 'zspage[0].inuse')).toBe('t1 writes zspage[0].inuse at zs_free:obj_free without class[0].lock');
      expect(q.step(rule, 't2', 'zs_free:obj_free', (a) => a.set('zspage[0].inuse', 1))).toBeNull();
    });
    it(`a zspage's guard is its class's lock, read before the write (a class change needs the old class's lock) (${d})`, () => {
      const p = pool(d);
      p.set('class[0].lock', 2);
      expect(write(p, 'zspage[1].inuse')).toBe('t1 writes zspage[1].inuse at zs_free:obj_free without class[1].lock');
      const q = pool(d);
      q.set('class[1].lock', 2);
      expect(q.step(rule, 't1', 'zs_free:obj_free', (a) => a.set('zspage[0].class', 1))).toBe('t1 writes zspage[0].class at zs_free:obj_free without class[0].lock');
    });
    it(`alloc_zspage's private zspage, and a zspage whose magic this step sets or clears, are exempt (${d})`, () => {
      for (const l of ['alloc_zspage:cache_alloc_zspage', 'alloc_zspage:alloc_page', 'alloc_zspage:init_zspage', 'alloc_zspage:undo']) {
        expect(write(pool(d), 'zspage[0].inuse', l), l).toBeNull();
        expect(write(pool(d), 'class[0].stats[ZS_OBJS_ALLOCATED]', l), l).toBeNull();
      }
      expect(write(pool(d), 'zspage[2].inuse', 'zs_malloc:insert_zspage', (a) => a.set('zspage[2].magic', 0x58))).toBeNull();
      expect(write(pool(d), 'zspage[0].inuse', '__free_zspage:cache_free_zspage', (a) => a.set('zspage[0].magic', 0))).toBeNull();
    });
    it(`zs_malloc past alloc_zspage, and a live zspage slot, are not exempt (${d})`, () => {
      expect(write(pool(d), 'zspage[0].list', 'zs_malloc:insert_zspage')).toBe('t1 writes zspage[0].list at zs_malloc:insert_zspage without class[0].lock');
      const p = pool(d);
      p.set('zspage[2].magic', 0x58);
      expect(write(p, 'zspage[2].freeobj', 'zs_malloc:insert_zspage')).toBe('t1 writes zspage[2].freeobj at zs_malloc:insert_zspage without class[0].lock');
    });
    it(`writes to fields that are not declared (handles, refcounts, the chain) are not judged (${d})`, () => {
      expect(write(pool(d), 'page[0]._refcount')).toBeNull();
      expect(write(pool(d), 'handle[A].obj')).toBeNull();
      expect(write(pool(d), 'pool.pages_allocated')).toBeNull();
    });
  }
});

describe('the step properties of a design', () => {
  for (const d of all) {
    it(`propertiesFor checks every transition against get-from-zero, lock-order, no-sleep-under-spinlock and guarded-by, as catalogued (${d})`, () => {
      const p = pool(d);
      const props = propertiesFor(p.m).actionProperties ?? [];
      expect(props.map((p) => p.name).sort()).toEqual(['get-from-zero', 'guarded-by', 'lock-order', 'no-sleep-under-spinlock']);
      for (const p of props) expect(p.description, p.name).toBe(findInvariant(p.name)!.description);
      // The very properties the tests above judge: a get from 0 through propertiesFor's list.
      const got = props.find((x) => x.name === 'get-from-zero')!.check(p.s, { thread: 1, label: p.m.id('migrate_folio_unmap:alloc_dst'), choice: 0 }, (() => { const a = p.s.slice(); a[p.m.f.pRefcount[3]] = 1; return a; })());
      expect(got).toBe('t1 takes a reference on page[3] at migrate_folio_unmap:alloc_dst while its _refcount is 0');
    });
  }
});

describe('progress properties: the states a fair run must keep returning to (mm/zsmalloc.c zs_free, zs_page_migrate, free_zspage)', () => {
  const free: ThreadProgram = { name: 'f', ops: [{ kind: 'free', handle: 0 }] };
  const mig: ThreadProgram = { name: 'c', ops: [{ kind: 'migrate' }] };
  for (const d of all) {
    it(`zs_free-returns: holds unless a thread is inside a zs_free it has not finished (${d})`, () => {
      const p = poolState(d, [idleThread('t1'), mig, free]);
      expect(p.holds('zs_free-returns')).toBe(false);
      p.set('f.pc', p.m.DONE);
      expect(p.holds('zs_free-returns')).toBe(true);
      expect(poolState(d, [idleThread('t1'), mig]).holds('zs_free-returns')).toBe(true);
    });
    it(`migration-returns: holds unless a core thread is inside a migration (${d})`, () => {
      const p = poolState(d, [free, idleThread('t1'), mig]);
      expect(p.holds('migration-returns')).toBe(false);
      p.set('c.pc', p.m.DONE);
      expect(p.holds('migration-returns')).toBe(true);
      expect(poolState(d, [free]).holds('migration-returns')).toBe(true);
    });
    it(`each progress property is the catalogue's, with its description, checked on every fair loop (${d})`, () => {
      const props = propertiesFor(poolState(d).m).progressProperties ?? [];
      expect(props.map((p) => p.name)).toEqual(progressCatalogue.map((e) => e.name));
      for (const p of props) {
        const doc = progressCatalogue.find((e) => e.name === p.name)!;
        expect(p.description, p.name).toBe(doc.description);
        expect(p.kind, p.name).toBe('always-eventually');
        expect(doc.kind, p.name).toBe('progress');
        expect(doc.kernelRule, p.name).toMatch(/^mm\/[a-z]+\.c /);
        expect(doc.description.length, p.name).toBeGreaterThan(40);
        expect(doc.designs, p.name).toEqual(all);
      }
    });
    it(`empty-zspage-freed: a live empty zspage is a state to leave, unless free_work is pending; a freed slot is not (${d})`, () => {
      const p = poolState(d);
      expect(p.holds('empty-zspage-freed')).toBe(true);
      p.set('zspage[1].inuse', 0);
      expect(p.holds('empty-zspage-freed')).toBe(false);
      p.set('pool.free_work.pending', 1);
      expect(p.holds('empty-zspage-freed')).toBe(true);
      const q = poolState(d);
      q.set('zspage[2].inuse', 0);
      expect(q.get('zspage[2].magic')).toBe(0);
      expect(q.holds('empty-zspage-freed')).toBe(true);
    });
  }
});
