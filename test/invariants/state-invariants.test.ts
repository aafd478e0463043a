import { describe, expect, it } from 'vitest';
import type { Design } from '../../model/designs.js';
import type { ThreadProgram } from '../../model/zsmalloc/program.js';
import { stateInvariants as layoutInvariants } from '../../invariants/zsmalloc/layout.js';
import { invariantCatalogue } from '../../invariants/zsmalloc/index.js';
import { POOL, poolState, idleThread, type PoolState } from './pool.js';

/**
 * The state invariants of the pool's life cycle, zone accounting, page types, movability,
 * isolation and exact refcounts, each branch on a hand-built state (no exploration), with the
 * exemptions the kernel rule allows and the states just outside them. The pool
 * (test/invariants/pool.ts): zspage[0] = page[0] -> page[1] (class 0), zspage[1] = page[2]
 * (huge class 1), page[3] and page[4] free, zspage[2] a free slot.
 */

const all: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];
const owner = (d: Design, p: number) => `page[${p}].${d === 'legacy' ? 'private' : d === 'memdesc' ? 'memdesc' : 'zspage'}`;
const first = (d: Design, z: number) => `zspage[${z}].${d === 'legacy' ? 'first_page' : 'first_zpdesc'}`;
const movable = (d: Design, p: number) => `page[${p}].${d === 'legacy' ? 'mapping.PAGE_MAPPING_MOVABLE' : 'flags.PG_movable_ops'}`;
const isolated = (d: Design, p: number) => `page[${p}].flags.${d === 'legacy' ? 'PG_isolated' : 'PG_movable_ops_isolated'}`;
const core = (name: string): ThreadProgram => ({ name, ops: [{ kind: 'migrate' }] });
/** Labels that exist in design d (some steps are design-specific). */
const existing = (p: PoolState, labels: readonly string[]) => labels.filter((l) => p.m.labelId.has(l));

describe('pool-use-after-destroy: nothing refers to a pool zs_destroy_pool freed (mm/zsmalloc.c zs_destroy_pool, 701d678599d0)', () => {
  /** A destroyed pool with every zspage freed: what zs_destroy_pool leaves. */
  const destroyed = (d: Design) => {
    const p = poolState(d, [idleThread('t1')]);
    p.set('pool.destroyed', 1);
    p.set('zspage[0].magic', 0);
    p.set('zspage[1].magic', 0);
    return p;
  };
  for (const d of all) {
    it(`holds on a destroyed pool with nothing left, and on a live pool whatever it holds (${d})`, () => {
      expect(destroyed(d).check('pool-use-after-destroy')).toBeNull();
      const live = poolState(d, [idleThread('t1')]);
      live.set('pool.free_work.pending', 1);
      live.set('class[0].lock', 2);
      expect(live.check('pool-use-after-destroy')).toBeNull();
    });
    it(`free_work still scheduled on the destroyed pool fails (${d})`, () => {
      const p = destroyed(d);
      p.set('pool.free_work.pending', 1);
      expect(p.check('pool-use-after-destroy')).toBe('pool->free_work is scheduled on the destroyed pool');
    });
    it(`a class lock of the destroyed pool held fails, naming the holder; the last class too (${d})`, () => {
      const p = destroyed(d);
      p.set('class[1].lock', 2);
      expect(p.check('pool-use-after-destroy')).toBe('class[1].lock of the destroyed pool is held by t1');
      p.set('class[1].lock', 0);
      p.set('class[0].lock', 1);
      expect(p.check('pool-use-after-destroy')).toBe('class[0].lock of the destroyed pool is held by setup');
    });
    it(`a zspage still allocated after the pool was freed fails; the last slot too (${d})`, () => {
      const p = destroyed(d);
      p.set('zspage[1].magic', 0x58);
      expect(p.check('pool-use-after-destroy')).toBe('zspage[1] is still allocated after its pool and class were freed');
      p.set('zspage[1].magic', 0);
      p.set('zspage[2].magic', 0x58);
      expect(p.check('pool-use-after-destroy')).toBe('zspage[2] is still allocated after its pool and class were freed');
    });
  }
  for (const d of ['zpdesc', 'memdesc'] as const) {
    it(`pool->lock write- or read-held on the destroyed pool fails (${d})`, () => {
      const p = destroyed(d);
      p.set('pool.lock.writer', 2);
      expect(p.check('pool-use-after-destroy')).toBe('pool->lock of the destroyed pool is held');
      p.set('pool.lock.writer', 0);
      p.set('pool.lock.readers', 2);
      expect(p.check('pool-use-after-destroy')).toBe('pool->lock of the destroyed pool is held');
    });
  }
  it('legacy (E2): isolated pages still counted on the destroyed pool fail (wait_for_isolated_drain)', () => {
    const p = destroyed('legacy');
    p.set('pool.isolated_pages', 1);
    expect(p.check('pool-use-after-destroy')).toBe('pool->isolated_pages of the destroyed pool is 1: the core\'s putback of those pages will use the freed pool');
  });
});

describe('nr-zspages-per-zone: NR_ZSPAGES counts the zsmalloc pages of each zone (mm/zsmalloc.c alloc_zspage/__free_zspage inc/dec_zone_page_state, zs_page_migrate)', () => {
  /** page[0], page[1], page[3] in zone 0; page[2], page[4] in zone 1. */
  const ZONED = { ...POOL, zones: [0, 0, 1, 0, 1] };
  const zoned = (d: Design, threads: ThreadProgram[] = [idleThread('t1')]) => poolState(d, threads, { pool: ZONED });
  /** zs_page_migrate of page[2] (zone 1) to page[3] (zone 0) after replace_sub_page: the chain
   *  names the new page, the zone counts have not moved yet (they move before reset_zpdesc). */
  const replaced = (d: Design) => {
    const p = zoned(d, [core('core')]);
    p.set(first(d, 1), 3);
    p.set('page[3].PageBuddy', 0);
    p.set(owner(d, 3), 1);
    return p;
  };
  const windowLabels = (d: Design) => (d === 'legacy'
    ? ['zs_page_migrate:get_new', 'zs_page_migrate:dec_isolated', 'zs_page_migrate:reset_old']
    : ['zs_page_migrate:write_unlock_pool', 'zs_page_migrate:unlock_class', 'zs_page_migrate:zspage_write_unlock', 'zs_page_migrate:get_new', 'zs_page_migrate:reset_old']);
  const outside = (d: Design) => ['zs_page_migrate:copy_objects', 'zs_page_migrate:replace_sub_page', 'zs_page_migrate:put_old', 'migrate_folio_move:clear_isolated', ...(d === 'legacy' ? ['zs_page_migrate:unlock_class'] : [])];
  const stale = 'zone[0].NR_ZSPAGES is 2 but 3 zsmalloc pages are in that zone';

  for (const d of all) {
    it(`the hand-counted zones hold, in one zone and in two (${d})`, () => {
      expect(poolState(d).check('nr-zspages-per-zone')).toBeNull();
      const p = zoned(d);
      expect([p.get('zone[0].NR_ZSPAGES'), p.get('zone[1].NR_ZSPAGES')]).toEqual([2, 1]);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
    });
    it(`a zone count off by one either way fails, in each zone (${d})`, () => {
      const p = zoned(d);
      p.set('zone[0].NR_ZSPAGES', 1);
      expect(p.check('nr-zspages-per-zone')).toBe('zone[0].NR_ZSPAGES is 1 but 2 zsmalloc pages are in that zone');
      p.set('zone[0].NR_ZSPAGES', 2);
      p.set('zone[1].NR_ZSPAGES', 2);
      expect(p.check('nr-zspages-per-zone')).toBe('zone[1].NR_ZSPAGES is 2 but 1 zsmalloc pages are in that zone');
    });
    it(`a page still linked to a freed zspage counts until reset_zpdesc/dec_zone_page_state; a page back in the buddy does not (${d})`, () => {
      const p = zoned(d);
      p.set('zspage[1].magic', 0);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
      p.set('page[2].PageBuddy', 1);
      expect(p.check('nr-zspages-per-zone')).toBe('zone[1].NR_ZSPAGES is 1 but 0 zsmalloc pages are in that zone');
    });
    it(`zspage[0] freed with its pages still linked counts them too (${d})`, () => {
      const p = zoned(d);
      p.set('zspage[0].magic', 0);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
      p.set('page[0].PageBuddy', 1);
      expect(p.check('nr-zspages-per-zone')).toBe('zone[0].NR_ZSPAGES is 2 but 1 zsmalloc pages are in that zone');
    });
    it(`the window applies to zspage[0] and to a new page[0] as to any other (${d})`, () => {
      // zspage[0]'s page[1] (zone 0) replaced by page[4] (zone 1).
      const p = zoned(d, [core('core')]);
      p.set(`page[0].${d === 'legacy' ? 'index' : 'next'}`, 4);
      p.set('page[4].PageBuddy', 0);
      p.set(owner(d, 4), 0);
      expect(p.check('nr-zspages-per-zone')).toBe('zone[0].NR_ZSPAGES is 2 but 1 zsmalloc pages are in that zone');
      p.at('core', 'zs_page_migrate:get_new', { zspage: 0, page: 1, newpage: 4 });
      expect(p.check('nr-zspages-per-zone')).toBeNull();
      // zspage[0] freed and its pages back in the buddy; zspage[1]'s page[2] (zone 1) replaced by page[0] (zone 0).
      const q = zoned(d, [core('core')]);
      q.set('zspage[0].magic', 0);
      for (const pg of [0, 1]) { q.set(`page[${pg}].PageBuddy`, 1); q.set(owner(d, pg), -1); }
      q.set('zone[0].NR_ZSPAGES', 0);
      expect(q.check('nr-zspages-per-zone')).toBeNull();
      q.set(first(d, 1), 0);
      q.set(`page[0].${d === 'legacy' ? 'index' : 'next'}`, -1);
      q.set('page[0].PageBuddy', 0);
      q.set(owner(d, 0), 1);
      expect(q.check('nr-zspages-per-zone')).toBe('zone[0].NR_ZSPAGES is 0 but 1 zsmalloc pages are in that zone');
      q.at('core', 'zs_page_migrate:reset_old', { zspage: 1, page: 2, newpage: 0 });
      expect(q.check('nr-zspages-per-zone')).toBeNull();
    });
    it(`an allocated page naming a live zspage but outside its chain, or naming none, is not a zsmalloc page of the count (${d})`, () => {
      const p = zoned(d);
      p.set('page[3].PageBuddy', 0);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
      p.set(owner(d, 3), 0);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
      p.set('page[3].PageBuddy', 1);
      p.set(owner(d, 3), 2);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
    });
    it(`a freed zspage slot's stale chain is not counted (${d})`, () => {
      const p = zoned(d);
      p.set(first(d, 2), 4);
      expect(p.check('nr-zspages-per-zone')).toBeNull();
    });
    it(`zs_page_migrate between replace_sub_page and the zone update counts the old frame (${d})`, () => {
      for (const l of windowLabels(d)) {
        const p = replaced(d);
        p.at('core', l, { zspage: 1, page: 2, newpage: 3 });
        expect(p.check('nr-zspages-per-zone'), l).toBeNull();
      }
    });
    it(`outside that window, or for a new page not in the chain, the stale count fails (${d})`, () => {
      const p0 = replaced(d);
      expect(p0.check('nr-zspages-per-zone'), 'no migration in progress').toBe(stale);
      for (const l of existing(p0, outside(d))) {
        const p = replaced(d);
        p.at('core', l, { zspage: 1, page: 2, newpage: 3 });
        expect(p.check('nr-zspages-per-zone'), l).toBe(stale);
      }
      const cases: Record<string, number>[] = [{ zspage: 1, page: 2, newpage: 4 }, { zspage: 0, page: 2, newpage: 3 }, { zspage: -1, page: 2, newpage: 3 }, { zspage: 1, page: 2, newpage: -1 }];
      for (const locals of cases) {
        const p = replaced(d);
        p.at('core', 'zs_page_migrate:get_new', locals);
        expect(p.check('nr-zspages-per-zone'), JSON.stringify(locals)).toBe(stale);
      }
    });
    it(`a new page that was in the chain in the state checked before, and is not any more, gets no window (${d})`, () => {
      const p = zoned(d, [core('core')]);
      const base = p.s.slice();
      // zspage[1]'s chain ran on to page[3] (zone 0) in the state checked first.
      p.set(`page[2].${d === 'legacy' ? 'index' : 'next'}`, 3);
      p.set('page[3].PageBuddy', 0);
      p.set(owner(d, 3), 1);
      p.check('nr-zspages-per-zone');
      p.s.set(base);
      p.at('core', 'zs_page_migrate:get_new', { zspage: 1, page: 2, newpage: 3 });
      expect(p.check('nr-zspages-per-zone')).toBeNull();
    });
    it(`a finished core thread with stale locals exempts nothing (${d})`, () => {
      const p = replaced(d);
      p.at('core', 'zs_page_migrate:get_new', { zspage: 1, page: 2, newpage: 3 });
      p.set('core.pc', p.m.DONE);
      expect(p.check('nr-zspages-per-zone')).toBe(stale);
    });
  }
});

describe('page-type-preserved (zpdesc): chain pages keep PGTY_zsmalloc and a first_obj_offset under PAGE_SIZE (mm/zsmalloc.c set_first_obj_offset, FIRST_OBJ_PAGE_TYPE_MASK)', () => {
  it('holds on the pool; first_obj_offset up to the last unit of the page is fine', () => {
    const p = poolState('zpdesc');
    expect(p.check('page-type-preserved')).toBeNull();
    p.set('page[1].first_obj_offset', 2);
    expect(p.check('page-type-preserved')).toBeNull();
  });
  it('a chain page that lost its type byte fails; the last page of a chain and a huge page too', () => {
    for (const pg of [0, 1, 2]) {
      const p = poolState('zpdesc');
      p.set(`page[${pg}].page_type.PGTY`, 0);
      expect(p.check('page-type-preserved')).toBe(`page[${pg}] of zspage[${pg < 2 ? 0 : 1}] has page type 0, not PGTY_zsmalloc (0xf6)`);
    }
    const p = poolState('zpdesc');
    p.set('page[0].page_type.PGTY', 0xf7);
    expect(p.check('page-type-preserved')).toBe('page[0] of zspage[0] has page type 247, not PGTY_zsmalloc (0xf6)');
  });
  it('a first_obj_offset that does not fit in the page (it spilled into the type byte) fails', () => {
    const p = poolState('zpdesc');
    p.set('page[1].first_obj_offset', 3);
    expect(p.check('page-type-preserved')).toBe('page[1] first_obj_offset 3 does not fit in the page');
  });
  it('pages outside live zspages are not judged (free pages have no type; a freed slot\'s stale chain)', () => {
    const p = poolState('zpdesc');
    p.set(first('zpdesc', 2), 3);
    p.set('page[3].first_obj_offset', 3);
    expect(p.check('page-type-preserved')).toBeNull();
  });
  it('is a zpdesc property: legacy and memdesc keep no page type field and have no such invariant', () => {
    for (const d of ['legacy', 'memdesc'] as const) expect(() => poolState(d).check('page-type-preserved')).toThrow(`no property page-type-preserved for design ${d}`);
  });
  it('its check judges nothing on a design without a page type, even called directly', () => {
    for (const d of ['legacy', 'memdesc'] as const) {
      const p = poolState(d);
      expect(layoutInvariants(p.m).find((i) => i.name === 'page-type-preserved')!.check(p.s), d).toBeNull();
    }
  });
});

describe('movable-when-ready: a page is movable only once its zspage is built and listed (mm/zsmalloc.c zs_malloc: SetZsPageMovable after insert_zspage)', () => {
  const building = ['alloc_zspage:cache_alloc_zspage', 'alloc_zspage:alloc_page', 'alloc_zspage:init_zspage', 'zs_malloc:lock_class_new_zspage', 'zs_malloc:insert_zspage'];
  const after = ['zs_malloc:unlock_class', 'SetZsPageMovable:trylock_page', 'alloc_zspage:undo', 'zs_malloc:find_get_zspage'];
  const malloc: ThreadProgram = { name: 't1', ops: [{ kind: 'malloc', handle: 3, cls: 0, payload: 4 }] };
  for (const d of all) {
    it(`the setup's movable pages of built zspages hold (${d})`, () => {
      expect(poolState(d, [malloc]).check('movable-when-ready')).toBeNull();
    });
    it(`a zspage zs_malloc is still building must not be movable yet, at every building step (${d})`, () => {
      for (const l of building) {
        const p = poolState(d, [malloc]);
        p.at('t1', l, { zspage: 0 });
        expect(p.check('movable-when-ready'), l).toBe(d === 'memdesc' ? 'zspage[0] is movable while zs_malloc is still building it' : 'page[0] is movable while zs_malloc is still building zspage[0]');
      }
    });
    it(`zs_malloc past insert_zspage, or building another zspage, exempts nothing to report (${d})`, () => {
      for (const l of existing(poolState(d), after)) {
        const p = poolState(d, [malloc]);
        p.at('t1', l, { zspage: 0 });
        expect(p.check('movable-when-ready'), l).toBeNull();
      }
      const p = poolState(d, [malloc]);
      p.at('t1', 'alloc_zspage:init_zspage', { zspage: 2 });
      expect(p.check('movable-when-ready')).toBeNull();
    });
    it(`the building thread is found whichever thread it is (${d})`, () => {
      const p = poolState(d, [idleThread('t0'), malloc]);
      p.at('t1', 'zs_malloc:insert_zspage', { zspage: 1 });
      expect(p.check('movable-when-ready')).toBe(d === 'memdesc' ? 'zspage[1] is movable while zs_malloc is still building it' : 'page[2] is movable while zs_malloc is still building zspage[1]');
    });
  }
  it('memdesc: a zspage being built that is not yet movable holds; a freed slot with a stale mapping is not judged', () => {
    const p = poolState('memdesc', [malloc]);
    p.set('zspage[0].mapping', 0);
    p.at('t1', 'alloc_zspage:init_zspage', { zspage: 0 });
    expect(p.check('movable-when-ready')).toBeNull();
    const q = poolState('memdesc', [malloc]);
    q.set('zspage[2].mapping', 1);
    q.at('t1', 'alloc_zspage:init_zspage', { zspage: 2 });
    expect(q.check('movable-when-ready')).toBeNull();
  });
  for (const d of ['legacy', 'zpdesc'] as const) {
    it(`a non-movable page of a zspage being built holds; the second page of the chain is checked too (${d})`, () => {
      const p = poolState(d, [malloc]);
      p.set(movable(d, 0), 0);
      p.at('t1', 'alloc_zspage:init_zspage', { zspage: 0 });
      expect(p.check('movable-when-ready')).toBe('page[1] is movable while zs_malloc is still building zspage[0]');
      p.set(movable(d, 1), 0);
      expect(p.check('movable-when-ready')).toBeNull();
    });
    it(`a free page with a stale movable flag is the buddy's business, not this invariant's (${d})`, () => {
      const p = poolState(d, [malloc]);
      p.set(movable(d, 3), 1);
      p.set(owner(d, 3), 0);
      p.at('t1', 'alloc_zspage:init_zspage', { zspage: 0 });
      p.set(movable(d, 0), 0);
      p.set(movable(d, 1), 0);
      expect(p.check('movable-when-ready')).toBeNull();
    });
  }
  it('legacy (E2-E5): a page still PAGE_MAPPING_MOVABLE after zsmalloc released it fails (reset_page/__ClearPageMovable)', () => {
    const p = poolState('legacy');
    p.set('page[3].PageBuddy', 0);
    p.set('page[3].mapping.PAGE_MAPPING_MOVABLE', 1);
    expect(p.check('movable-when-ready')).toBe('page[3] is still PAGE_MAPPING_MOVABLE after zsmalloc released it');
    const q = poolState('legacy');
    q.set('zspage[1].magic', 0);
    expect(q.check('movable-when-ready')).toBe('page[2] is still PAGE_MAPPING_MOVABLE after zsmalloc released it');
  });
  it('zpdesc (6.18): PG_movable_ops is sticky until the buddy allocator frees the page', () => {
    const p = poolState('zpdesc', [malloc]);
    p.set('page[3].PageBuddy', 0);
    p.set('page[3].flags.PG_movable_ops', 1);
    expect(p.check('movable-when-ready')).toBeNull();
    // A zs_malloc that has not picked its zspage slot yet builds no zspage of page[3]'s.
    p.at('t1', 'alloc_zspage:cache_alloc_zspage', { zspage: -1 });
    expect(p.check('movable-when-ready')).toBeNull();
    p.set('zspage[1].magic', 0);
    expect(p.check('movable-when-ready')).toBeNull();
  });
});

describe('isolated-page-held: a page is isolated exactly while one migration-core thread holds it (mm/migrate.c isolate_movable_ops_page, putback_movable_ops_page)', () => {
  /** Core steps after set_isolated and before clear_isolated has run. */
  const holding = [
    'isolate_movable_ops_page:unlock', 'migrate_folio_unmap:alloc_dst', 'migrate_folio_unmap:lock_src', 'migrate_folio_unmap:trylock_dst',
    'migrate_folio_move:clear_isolated', 'migrate_folios_undo:unlock_dst', 'migrate_folios_undo:put_dst', 'migrate_folios_undo:unlock_src',
    'putback_movable_ops_page:lock', 'zs_page_putback:lock_class', 'zs_page_putback:dec_isolated', 'zs_page_putback:unlock_class',
    'putback_movable_ops_page:clear_isolated', 'zs_page_migrate:copy_objects', 'zs_page_migrate:get_new', 'zs_page_migrate:put_old',
  ];
  /** Core steps before set_isolated, or after clear_isolated. */
  const notHolding = ['isolate_movable_ops_page:trylock', 'isolate_movable_ops_page:page_has_movable_ops', 'isolate_movable_ops_page:set_isolated',
    'isolate_movable_ops_page:test_isolated', 'zs_page_isolate:check_zspage', 'migrate_folio_move:unlock_src', 'migrate_folio_done:put_src', 'putback_movable_ops_page:unlock', 'putback_movable_ops_page:put'];
  for (const d of ['legacy', 'zpdesc'] as const) {
    it(`a core thread at each holding step with the page isolated holds; with the flag clear it fails (${d})`, () => {
      for (const l of existing(poolState(d), holding)) {
        const p = poolState(d, [core('core')]);
        p.at('core', l, { page: 1 });
        expect(p.check('isolated-page-held'), l).toBe('a core thread holds page[1] isolated but its isolated flag is clear');
        p.set(isolated(d, 1), 1);
        expect(p.check('isolated-page-held'), l).toBeNull();
      }
    });
    it(`a core thread before set_isolated or after clear_isolated does not hold the page (${d})`, () => {
      for (const l of existing(poolState(d), notHolding)) {
        const p = poolState(d, [core('core')]);
        p.at('core', l, { page: 1 });
        expect(p.check('isolated-page-held'), l).toBeNull();
        p.set(isolated(d, 1), 1);
        expect(p.check('isolated-page-held'), l).toBe('page[1] is marked isolated but no core thread holds it');
      }
    });
    it(`an isolated flag nobody holds fails, on the first and the last page frame (${d})`, () => {
      for (const pg of [0, 4]) {
        const p = poolState(d, [idleThread('t1')]);
        p.set(isolated(d, pg), 1);
        expect(p.check('isolated-page-held')).toBe(`page[${pg}] is marked isolated but no core thread holds it`);
      }
    });
    it(`two core threads holding one page isolated fails (isolate_movable_ops_page tests PageMovableOpsIsolated first) (${d})`, () => {
      const p = poolState(d, [core('c1'), core('c2')]);
      p.set(isolated(d, 2), 1);
      p.at('c1', 'migrate_folio_unmap:alloc_dst', { page: 2 });
      expect(p.check('isolated-page-held')).toBeNull();
      p.at('c2', 'zs_page_migrate:copy_objects', { page: 2 });
      expect(p.check('isolated-page-held')).toBe('page[2] is isolated by 2 core threads at once');
      p.at('c2', 'zs_page_migrate:copy_objects', { page: 0 });
      expect(p.check('isolated-page-held')).toBe('a core thread holds page[0] isolated but its isolated flag is clear');
    });
    it(`a core thread at a holding step with no page yet holds nothing; a finished one holds nothing (${d})`, () => {
      const p = poolState(d, [core('core')]);
      p.at('core', 'migrate_folio_unmap:alloc_dst', { page: -1 });
      expect(p.check('isolated-page-held')).toBeNull();
      p.set('core.pc', p.m.DONE);
      p.set('core.page', 1);
      expect(p.check('isolated-page-held')).toBeNull();
    });
  }
});

describe('refcount-exact: each chain page has _refcount 1 + one per core holder + one per lock_zspage waiter (mm/zsmalloc.c, mm/migrate.c get_page_unless_zero ... folio_put)', () => {
  /** Migration labels at which the core holds its reference on the source page (tP). */
  const srcRef = ['isolate_movable_ops_page:trylock', 'isolate_movable_ops_page:unlock', 'zs_page_isolate:check_zspage', 'migrate_folio_unmap:alloc_dst',
    'zs_page_migrate:copy_objects', 'migrate_folio_move:unlock_src', 'migrate_folio_done:put_src', 'migrate_folios_undo:unlock_src',
    'putback_movable_ops_page:put', 'zs_page_putback:lock_class'];
  /** ... and on the destination (tQ), from compaction_alloc to put_dst. */
  const dstRef = ['migrate_folio_unmap:lock_src', 'migrate_folio_unmap:trylock_dst', 'zs_page_migrate:copy_objects', 'migrate_folio_move:clear_isolated',
    'migrate_folio_move:unlock_dst', 'migrate_folio_move:put_dst', 'migrate_folios_undo:unlock_dst', 'migrate_folios_undo:put_dst'];
  /** The one migration label at which the core holds no reference yet (the put steps still
   *  hold it: the put is what they do). */
  const noRef = ['isolate_movable_ops_page:get_page_unless_zero'];
  const waiter = ['lock_zspage:read_unlock_wait', 'lock_zspage:wait_locked', 'lock_zspage:put'];
  for (const d of ['legacy', 'zpdesc'] as const) {
    it(`the pool holds; a chain page with a reference too many or too few fails (${d})`, () => {
      const p = poolState(d, [idleThread('t1')]);
      expect(p.check('refcount-exact')).toBeNull();
      p.set('page[1]._refcount', 2);
      expect(p.check('refcount-exact')).toBe('page[1] of zspage[0] has _refcount 2, expected 1 (zsmalloc + holders)');
      p.set('page[1]._refcount', 1);
      p.set('page[2]._refcount', 0);
      expect(p.check('refcount-exact')).toBe('page[2] of zspage[1] has _refcount 0, expected 1 (zsmalloc + holders)');
    });
    it(`a core thread holding the source page adds exactly one, at every step from the get to the put (${d})`, () => {
      for (const l of existing(poolState(d), [...srcRef, 'isolate_movable_ops_page:put_fail'])) {
        const p = poolState(d, [core('core')]);
        p.at('core', l, { page: 1 });
        expect(p.check('refcount-exact'), l).toBe('page[1] of zspage[0] has _refcount 1, expected 2 (zsmalloc + holders)');
        p.set('page[1]._refcount', 2);
        expect(p.check('refcount-exact'), l).toBeNull();
      }
    });
    it(`page[0] as the source, the destination or the page waited for is counted like any other (${d})`, () => {
      const p = poolState(d, [core('core')]);
      p.at('core', 'zs_page_migrate:copy_objects', { page: 0, newpage: 3 });
      expect(p.check('refcount-exact')).toBe('page[0] of zspage[0] has _refcount 1, expected 2 (zsmalloc + holders)');
      p.at('core', 'zs_page_migrate:get_new', { page: 3, newpage: 0 });
      p.set('page[0]._refcount', 7);
      expect(p.check('refcount-exact'), 'replace-to-get window on page[0]').toBeNull();
      const q = poolState(d, [{ name: 'free_work', ops: [{ kind: 'async_free' }] }]);
      q.at('free_work', 'lock_zspage:wait_locked', { zspage: 0, idx: 0 });
      expect(q.check('refcount-exact')).toBe('page[0] of zspage[0] has _refcount 1, expected 2 (zsmalloc + holders)');
    });
    it(`at every step of the design, a migration thread holds its source reference exactly from get_page_unless_zero to its put, and its destination reference from compaction_alloc to put_dst (${d})`, () => {
      const labels = poolState(d).m.labels;
      /** The migration core's functions: it holds the source page from its get (the first step
       *  of isolate_movable_ops_page) on, through the steps that put it. */
      const coreFunctions = ['isolate_movable_ops_page', 'zs_page_isolate', 'migrate_folio_unmap', 'zs_page_migrate', 'migrate_folio_move', 'migrate_folio_done',
        'migrate_folios_undo', 'putback_movable_ops_page', 'zs_page_putback'];
      const src = new Set(labels.filter((l) => coreFunctions.includes(l.split(':')[0]) && l !== 'isolate_movable_ops_page:get_page_unless_zero'));
      const dst = new Set([...dstRef, ...labels.filter((l) => l.startsWith('zs_page_migrate:'))]);
      // replace_sub_page put the new page in the chain; its get comes at get_new (not judged in between).
      const replacing = new Set(labels.slice(labels.indexOf('zs_page_migrate:replace_sub_page') + 1, labels.indexOf('zs_page_migrate:get_new') + 1));
      const extra = 'page[1] of zspage[0] has _refcount 1, expected 2 (zsmalloc + holders)';
      for (const l of labels) {
        const p = poolState(d, [idleThread('t0'), core('core')]);
        p.at('core', l, { page: 1, newpage: -1, zspage: -1, idx: -1 });
        expect(p.check('refcount-exact'), `source at ${l}`).toBe(src.has(l) ? extra : null);
        const q = poolState(d, [idleThread('t0'), core('core')]);
        q.at('core', l, { page: -1, newpage: 1, zspage: -1, idx: -1 });
        expect(q.check('refcount-exact'), `destination at ${l}`).toBe(dst.has(l) && !replacing.has(l) ? extra : null);
      }
    });
    it(`before get_page_unless_zero the source page holds no core reference (${d})`, () => {
      for (const l of existing(poolState(d), noRef)) {
        const p = poolState(d, [core('core')]);
        p.at('core', l, { page: 1 });
        p.set('page[1]._refcount', 2);
        expect(p.check('refcount-exact'), l).toBe('page[1] of zspage[0] has _refcount 2, expected 1 (zsmalloc + holders)');
      }
    });
    it(`the destination page's compaction_alloc reference counts from alloc to put_dst (${d})`, () => {
      // The destination is a chain page here so that its count is judged: page[0] of zspage[0].
      for (const l of existing(poolState(d), dstRef)) {
        const p = poolState(d, [core('core')]);
        p.at('core', l, { page: 2, newpage: 0 });
        p.set('page[2]._refcount', 2);
        expect(p.check('refcount-exact'), l).toBe('page[0] of zspage[0] has _refcount 1, expected 2 (zsmalloc + holders)');
        p.set('page[0]._refcount', 2);
        expect(p.check('refcount-exact'), l).toBeNull();
      }
      const p = poolState(d, [core('core')]);
      p.at('core', 'migrate_folio_unmap:alloc_dst', { page: 2, newpage: 0 });
      p.set('page[2]._refcount', 2);
      p.set('page[0]._refcount', 2);
      expect(p.check('refcount-exact'), 'alloc_dst: no destination yet').toBe('page[0] of zspage[0] has _refcount 2, expected 1 (zsmalloc + holders)');
    });
    it(`zs_page_migrate between replace_sub_page and the get on the new page is not judged for that page only (${d})`, () => {
      const window = d === 'legacy' ? ['zs_page_migrate:get_new'] : ['zs_page_migrate:write_unlock_pool', 'zs_page_migrate:unlock_class', 'zs_page_migrate:zspage_write_unlock', 'zs_page_migrate:get_new'];
      for (const l of window) {
        const p = poolState(d, [core('core')]);
        p.at('core', l, { page: 3, newpage: 1 });
        p.set('page[1]._refcount', 5);
        expect(p.check('refcount-exact'), l).toBeNull();
        p.set('page[0]._refcount', 5);
        expect(p.check('refcount-exact'), l).toBe('page[0] of zspage[0] has _refcount 5, expected 1 (zsmalloc + holders)');
      }
      const p = poolState(d, [core('core')]);
      p.at('core', 'zs_page_migrate:put_old', { page: 3, newpage: 1 });
      p.set('page[1]._refcount', 5);
      expect(p.check('refcount-exact'), 'put_old').toBe('page[1] of zspage[0] has _refcount 5, expected 2 (zsmalloc + holders)');
    });
    it(`only a migration thread's locals count: a thread of another operation at the same labels adds nothing (${d})`, () => {
      const p = poolState(d, [idleThread('t1')]);
      p.at('t1', 'zs_page_migrate:copy_objects', { page: 1, newpage: 0 });
      expect(p.check('refcount-exact')).toBeNull();
    });
    it(`a lock_zspage waiter holds one reference on the page it waits for, from the get to the put (${d})`, () => {
      for (const l of waiter) {
        const p = poolState(d, [{ name: 'free_work', ops: [{ kind: 'async_free' }] }]);
        p.at('free_work', l, { zspage: 0, idx: 1 });
        expect(p.check('refcount-exact'), l).toBe('page[1] of zspage[0] has _refcount 1, expected 2 (zsmalloc + holders)');
        p.set('page[1]._refcount', 2);
        expect(p.check('refcount-exact'), l).toBeNull();
      }
      const p = poolState(d, [{ name: 'free_work', ops: [{ kind: 'async_free' }] }]);
      p.at('free_work', 'lock_zspage:trylock_first', { zspage: 0, idx: 1 });
      p.set('page[1]._refcount', 2);
      expect(p.check('refcount-exact'), 'trylock_first: no waiter reference').toBe('page[1] of zspage[0] has _refcount 2, expected 1 (zsmalloc + holders)');
      p.at('free_work', 'lock_zspage:put', { zspage: 0, idx: -1 });
      expect(p.check('refcount-exact'), 'put with no page').toBe('page[1] of zspage[0] has _refcount 2, expected 1 (zsmalloc + holders)');
    });
    it(`the chain of a zspage alloc_zspage is building is not judged, nor after zs_malloc's -ENOMEM; other zspages are (${d})`, () => {
      for (const l of ['alloc_zspage:cache_alloc_zspage', 'alloc_zspage:alloc_page', 'alloc_zspage:init_zspage', 'alloc_zspage:undo', 'zs_malloc:enomem']) {
        const p = poolState(d, [idleThread('t1')]);
        p.at('t1', l, { zspage: 0 });
        p.set('page[1]._refcount', 3);
        expect(p.check('refcount-exact'), l).toBeNull();
        p.set('page[2]._refcount', 3);
        expect(p.check('refcount-exact'), l).toBe('page[2] of zspage[1] has _refcount 3, expected 1 (zsmalloc + holders)');
      }
      const p = poolState(d, [idleThread('t1')]);
      p.at('t1', 'zs_malloc:insert_zspage', { zspage: 0 });
      p.set('page[1]._refcount', 3);
      expect(p.check('refcount-exact'), 'insert_zspage').toBe('page[1] of zspage[0] has _refcount 3, expected 1 (zsmalloc + holders)');
      p.at('t1', 'alloc_zspage:init_zspage', { zspage: -1 });
      expect(p.check('refcount-exact'), 'no zspage yet').toBe('page[1] of zspage[0] has _refcount 3, expected 1 (zsmalloc + holders)');
    });
    it(`a zspage alloc_zspage is building exempts its own chain pages only, whatever was checked before (${d})`, () => {
      const p = poolState(d, [idleThread('t1')]);
      p.set(first(d, 2), 3);
      p.at('t1', 'alloc_zspage:init_zspage', { zspage: 2 });
      p.set('page[0]._refcount', 3);
      expect(p.check('refcount-exact')).toBe('page[0] of zspage[0] has _refcount 3, expected 1 (zsmalloc + holders)');
      p.set('page[0]._refcount', 1);
      expect(p.check('refcount-exact')).toBeNull();
      p.set('page[1]._refcount', 3);
      expect(p.check('refcount-exact')).toBe('page[1] of zspage[0] has _refcount 3, expected 1 (zsmalloc + holders)');
    });
    it(`a zspage being torn down by __free_zspage, or a freed slot, is not judged (${d})`, () => {
      const p = poolState(d, [idleThread('t1')]);
      p.set('page[1]._refcount', 0);
      p.at('t1', '__free_zspage:free_page', { zspage: 0 });
      expect(p.check('refcount-exact')).toBeNull();
      const q = poolState(d, [idleThread('t1')]);
      q.set(first(d, 2), 3);
      expect(q.check('refcount-exact')).toBeNull();
    });
  }
  it('is not a memdesc property (tail pages have no count of their own)', () => {
    expect(() => poolState('memdesc').check('refcount-exact')).toThrow('no property refcount-exact for design memdesc');
  });
});

describe('each state invariant and terminal property is a function of the state alone', () => {
  const next = (d: Design, p: number) => `page[${p}].${d === 'legacy' ? 'index' : 'next'}`;
  /** States whose chains run on through the free page[3] and page[4]: checked first, they leave
   *  longer chains behind in whatever a check keeps between states. */
  const longer: Record<string, (p: PoolState, d: Design) => void> = {
    'zspage[0] runs on to page[3] and page[4]': (p, d) => { p.set(next(d, 1), 3); p.set(next(d, 3), 4); },
    'the huge zspage[1] runs on to page[3] and page[4]': (p, d) => { p.set(next(d, 2), 3); p.set(next(d, 3), 4); },
    'both': (p, d) => { p.set(next(d, 1), 3); p.set(next(d, 2), 4); },
  };
  for (const d of all) {
    it(`the unmodified pool holds every property checked right after a state with longer chains (${d})`, () => {
      const names = invariantCatalogue.filter((e) => e.kind !== 'step' && e.designs.includes(d)).map((e) => e.name);
      for (const [what, edit] of Object.entries(longer)) {
        const p = poolState(d, [idleThread('t1')]);
        const base = p.s.slice();
        edit(p, d);
        for (const name of names) p.check(name);
        p.s.set(base);
        for (const name of names) expect(p.check(name), `${name} after ${what}`).toBeNull();
      }
    });
  }
});
