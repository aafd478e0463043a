import type { Design } from '../designs.js';
import type { ProtocolOptions } from '../memdesc/options.js';
import type { MutationId } from './ids.js';

export type { MutationId } from './ids.js';
export { mutationIds, isMutationId } from './ids.js';

/** A re-introduced bug: the mechanism of a historical kernel bug (its fixing commit is named) or
 *  a hazard of the memdesc conversion (no kernel commit yet: the rule the conversion must keep),
 *  applied to the design where its mechanism lives. */
export interface MutationDoc {
  readonly id: MutationId;
  readonly title: string;
  readonly designs: readonly Design[];
  /** The kernel commit that fixed it (12-digit id, subject, release), or where the hazard comes
   *  from when no kernel commit exists. */
  readonly bug: string;
  /** The fixing commit's 12-digit id, when the bug was in a kernel release. */
  readonly commit?: string;
  /** What the bug was, in one sentence. */
  readonly summary?: string;
  /** Step labels whose code the mutation changes (the trace tags these steps). */
  readonly steps?: readonly string[];
  /** The invariant the bug breaks (a name from the invariant catalogue). */
  readonly invariant: string;
  readonly doc: string;
}

export const mutations: readonly MutationDoc[] = [
  { id: 'A1', title: 'record_obj clears HANDLE_PIN_BIT during compaction', designs: ['legacy'],
    bug: 'c102f07ca0b0 "zsmalloc: fix migrate_zspage-zs_free race condition" (v4.5)',
    invariant: 'handle-pin-exclusive', commit: 'c102f07ca0b0',
    summary: 'record_obj() rewrote the whole handle word during compaction, dropping the HANDLE_PIN_BIT that zs_free or the compactor held.',
    steps: ['migrate_zspage:move_object'],
    doc: 'record_obj() stores the new location as a whole word, clearing the pin bit the compactor holds; zs_free pins the handle, and the compactor\'s unpin_tag then clears zs_free\'s pin.' },
  { id: 'A3', title: 'zs_page_migrate re-lists an empty zspage without scheduling free_work', designs: ['legacy'],
    bug: '1a87aa03597e "mm/zsmalloc.c: migration can leave pages in ZS_EMPTY indefinitely" (v5.3)',
    invariant: 'no-empty-zspage-left', commit: '1a87aa03597e',
    summary: 'zs_page_migrate() put an emptied zspage back on ZS_EMPTY without scheduling free_work, so it was never freed.',
    steps: ['zs_page_migrate:dec_isolated'],
    doc: 'zs_free leaves an isolated zspage to the migration path; the last isolated page\'s migration puts it back on ZS_EMPTY and ignores the result, so nobody frees it.' },
  { id: 'A5', title: 'lock_zspage walks the chain without the zspage lock', designs: ['zpdesc'],
    bug: '2505a981114d "zsmalloc: fix races between asynchronous zspage free and page migration" (v5.18)',
    invariant: 'no-page-use-after-free', commit: '2505a981114d',
    summary: 'async_free_zspage()\'s lock_zspage() walked the page chain without the zspage migrate lock, so it could lock a page that migration had already freed.',
    steps: ['lock_zspage:read_first', 'lock_zspage:lock_page', 'lock_zspage:read_next'],
    doc: 'async_free_zspage\'s lock_zspage does lock_page(page); page = next(page) with no zspage read lock and no reference on the page it sleeps on; migration replaces and frees that page meanwhile, so the worker locks a page that is back in the buddy allocator (or __free_zspage frees a chain page it never locked: free-zspage-holds-chain-locks).' },
  { id: 'A6', title: 'isolated counter updated outside class->lock, in the word that holds fullness', designs: ['legacy'],
    bug: '4b5d1e47b694 "zsmalloc: fix races between modifications of fullness and isolated" (v6.5)',
    invariant: 'guarded-by', commit: '4b5d1e47b694',
    summary: 'zs_page_isolate() updated zspage->isolated outside class->lock in the bitfield word that also holds fullness, so a concurrent zs_free() fullness change was lost.',
    steps: ['zs_free:read_obj', 'zs_free:obj_free', 'zs_page_isolate:isolate_zspage', 'zs_page_isolate:unlock_class', 'zs_page_isolate:migrate_write_lock'],
    doc: 'Caught at the racy store (guarded-by: `isolated` shares the word with `fullness`, which class->lock guards); left running, the lost update puts the zspage on a list its fullness field does not name (fullness-list-consistent). The locking of c4549b871102 (before the fix): zs_page_isolate increments zspage->isolated under the zspage migrate write lock only, as a load and a store of the whole bitfield word, and zs_free no longer takes the zspage lock. zs_free\'s fix_fullness_group (under class->lock) moves the zspage to another list between the load and the store, and the store writes the stale fullness back.' },
  { id: 'M1', title: 'memdesc: descriptor get without re-check', designs: ['memdesc'],
    bug: 'not in a kernel release: the memdesc rule "get, then re-check page->memdesc" (M. Wilcox, linux-mm, Jan 2023, isolate_movable_page folio review)',
    invariant: 'callback-page-locked',
    summary: 'isolate_movable_ops_page() took a reference on the zspage named by page->memdesc and used it without checking that the page still belonged to it.',
    steps: ['isolate_movable_ops_page:folio_try_get', 'zs_page_isolate:check_zspage'],
    doc: 'The core reads page->memdesc, try-gets that zspage and locks it without re-checking; the page meanwhile left it (zspage freed, page reused by another zspage whose descriptor slot is unrelated), so zs_page_isolate runs on a page whose zspage the core does not hold.' },
  { id: 'M2', title: 'memdesc: zsmalloc frees the zspage descriptor while the core holds a reference', designs: ['memdesc'],
    bug: 'not in a kernel release: memdesc descriptor lifetime (free the zspage only when no page->memdesc names it and no reference is held)',
    invariant: 'no-zspage-use-after-free',
    summary: '__free_zspage() kmem_cache_free()d the zspage descriptor while the migration core still held a reference to it.',
    steps: ['__free_zspage:cache_free_zspage'],
    doc: 'zs_free frees the last object of an isolated zspage and kmem_cache_frees the descriptor at once; the core later locks/puts the cached zspage pointer.' },
  { id: 'M3', title: 'memdesc: unlock/put via a recomputed page_folio() after replace_sub_page', designs: ['memdesc'],
    bug: 'not in a kernel release: memdesc lock/reference identity (unlock and put the folio that was locked, not a recomputed page_folio())',
    invariant: 'lock-owner-unlock',
    summary: 'The migration core unlocked and put page_folio(page) recomputed after replace_sub_page(), which by then names the zspage rather than the page it locked.',
    steps: ['migrate_folio_move:unlock_dst', 'migrate_folio_move:put_dst', 'migrate_folio_move:unlock_src', 'migrate_folio_done:put_src', 'putback_movable_ops_page:put'],
    doc: 'After zs_page_migrate links newpage into the zspage, folio_unlock(page_folio(dst)) unlocks the zspage, and src\'s unlock then hits it a second time.' },
  { id: 'M4', title: 'memdesc: the core isolated list holds the folio, not the page', designs: ['memdesc'],
    bug: 'not in a kernel release: memdesc isolation identity (the core\'s isolated list holds the page, never page_folio(page))',
    invariant: 'isolation-identity',
    summary: 'The migration core listed page_folio(page), the zspage, as isolated and later migrated its first page instead of the page zs_page_isolate() isolated.',
    steps: ['isolate_movable_ops_page:unlock'],
    doc: 'The core links page_folio(page) (the zspage) on its list and later calls migrate_page(dst, &folio->page), which names the zspage\'s first page rather than the isolated one.' },
  { id: 'B1', title: 'zs_free reuses a live handle word as deferred-list linkage', designs: ['legacy'],
    bug: '85b325815b56 "zsmalloc: fix a race with deferred_handles storing" (v6.2)',
    invariant: 'handle-consistency', commit: '85b325815b56',
    summary: 'zs_free() stored deferred-free list linkage in a handle word that zs_page_migrate() could still read as the handle of a live object.',
    steps: ['zs_free:read_obj', 'zs_free:defer_handle'],
    doc: 'Nearest mechanism in this model (no writeback/under_reclaim): zs_free of an object in an isolated zspage defers its release and stores list linkage into the handle word while the migration of that page may still read it through the object header; the handle no longer decodes to its object.' },
  { id: 'R1', title: 'zs_obj_read_begin/zs_obj_write resolve the handle without pool->lock', designs: ['zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c zs_obj_read_begin: read_lock(&pool->lock) "Guarantee we can get zspage from handle safely" (the pool lock taken over from migrate_lock, 5.17 rework)',
    invariant: 'content-conservation',
    doc: 'The reader loads obj = *h and takes the zspage read lock with no pool read lock around the lookup, so compaction (which holds pool->lock for write) moves the object and releases the source zspage\'s write lock between the load and the reader\'s zspage lock: the reader then reads the old location, a slot obj_free has already emptied.' },
  { id: 'A2', title: 'zs_can_compact subtracts the two racy stat loads without the guard', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: '"zsmalloc: fix zs_can_compact() integer overflow" (Sergey Senozhatsky, May 2016, Message-Id 20160509140052.3389-1-sergey.senozhatsky@gmail.com)',
    invariant: 'shrinker-count-bounded',
    doc: 'zs_shrinker_count calls zs_can_compact without class->lock; it loads ZS_OBJS_ALLOCATED, zs_malloc then allocates a new zspage (ALLOCATED and INUSE both grow), and the later INUSE load exceeds the ALLOCATED it already has: obj_allocated - obj_used wraps as unsigned long and the shrinker is told of ~2^64 freeable pages.' },
  { id: 'A4', title: 'zs_destroy_pool does not wait for isolated pages to drain', designs: ['legacy'],
    bug: '701d678599d0 "mm/zsmalloc.c: fix race condition in zs_destroy_pool" (v5.3)',
    invariant: 'pool-use-after-destroy',
    doc: 'zs_unregister_migration flushes free_work while the migration core still holds an isolated page of an emptied zspage; the core\'s putback re-lists the zspage as ZS_EMPTY and schedules free_work on the pool that zs_destroy_pool has freed.' },
  { id: 'D1', title: 'zs_destroy_pool does not flush free_work', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c zs_destroy_pool -> zs_flush_migration: flush_work(&pool->free_work) (protection removed)',
    invariant: 'pool-use-after-destroy',
    doc: 'zs_free could not trylock every page of an emptied zspage (the migration core held one), so it deferred the free to free_work; teardown frees the pool while that work is still pending.' },
  { id: 'D2', title: 'memdesc: zs_destroy_pool does not wait for the core to drop its descriptor references', designs: ['memdesc'],
    bug: 'E7 descriptor lifetime: the last folio_put of a zspage descriptor frees it into zsmalloc\'s zspage cache',
    invariant: 'pool-use-after-destroy',
    doc: 'The core still holds a reference on the zspage descriptor of a page it isolated; zsmalloc has released the zspage, and teardown frees the pool before the core\'s final put frees the descriptor.' },
  { id: 'Z1', title: 'zs_page_migrate does not move NR_ZSPAGES to the new page\'s zone', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c zs_page_migrate: "if (zpdesc_zone(newzpdesc) != zpdesc_zone(zpdesc))" dec/inc_zone_page_state (protection removed)',
    invariant: 'nr-zspages-per-zone',
    doc: 'Migration moves a zsmalloc page into a page frame of another zone and leaves the NR_ZSPAGES count with the old zone: the old zone reports a page it no longer has, and __free_zspage later decrements the new zone for a page it never counted.' },
  { id: 'A7', title: 'zspage lock compiled out with !CONFIG_COMPACTION while compaction relies on it', designs: ['zpdesc', 'memdesc'],
    bug: 'E3 (5.17 rework): migrate_read_lock/migrate_write_lock were no-ops without CONFIG_COMPACTION while __zs_compact used migrate_write_lock(src) against zs_map_object',
    invariant: 'content-conservation',
    doc: 'Built without CONFIG_COMPACTION, zspage_read_lock and zspage_write_trylock do nothing, so compaction moves and frees an object that a reader has resolved and is reading.' },
  { id: 'F1', title: 'free_zspage ignores a failed trylock_zspage', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c free_zspage: "if (!trylock_zspage(zspage)) { kick_deferred_free(pool); return; }" (protection removed)',
    invariant: 'free-zspage-holds-chain-locks',
    doc: 'zs_free frees an emptied zspage although the migration core holds one of its page locks, so __free_zspage resets a page it has not locked.' },
  { id: 'S1', title: 'pages are movable from allocation, before SetZsPageMovable', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c zs_malloc: SetZsPageMovable only after insert_zspage, under class->lock (protection removed)',
    invariant: 'movable-when-ready',
    doc: 'alloc_zspage marks each page movable as it allocates it; the core isolates (and locks) a page of the half-built zspage, and SetZsPageMovable\'s trylock, which nobody should be able to fail, fails.' },
  { id: 'P1', title: 'reset_zpdesc leaves PG_private set', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c reset_zpdesc: ClearPagePrivate before the page goes back to the buddy allocator (PAGE_FLAGS_CHECK_AT_FREE)',
    invariant: 'page-freed-clean',
    doc: '__free_zspage puts the first page of the zspage with PG_private still set: the buddy allocator\'s free-time flag check ("bad page state") fires.' },
  { id: 'O2', title: 'obj_free does not write the free link into the object header', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c obj_free: "link->next = get_freeobj(zspage) << OBJ_TAG_BITS" (removed)',
    invariant: 'zspage-objects',
    doc: 'The freed slot keeps its OBJ_ALLOCATED_TAG header while freeobj names it: inuse no longer equals the allocated headers and the freelist runs through an allocated object.' },
  { id: 'C1', title: 'replace_sub_page does not mark the new first page PG_private', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c create_page_chain: SetPagePrivate on the first page (zpdesc_set_first), rerun by replace_sub_page',
    invariant: 'chain-integrity',
    doc: 'Migrating a zspage\'s first page leaves the new first page without PG_private (get_first_obj_offset / is_first_zpdesc callers then treat it as a tail page).' },
  { id: 'R2', title: '__free_zspage frees the zspage descriptor before resetting its pages', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c __free_zspage: reset_zpdesc on every page, then cache_free_zspage (order reversed)',
    invariant: 'no-dangling-descriptor',
    doc: 'cache_free_zspage runs first, so the still-allocated chain pages name a freed struct zspage that isolation (zpdesc->zspage != NULL) would dereference.' },
  { id: 'G1', title: 'isolation takes a plain get_page instead of get_page_unless_zero', designs: ['legacy', 'zpdesc'],
    bug: 'mm/migrate.c isolate_movable_ops_page: folio_get_nontail_page / get_page_unless_zero (protection removed)',
    invariant: 'get-from-zero',
    doc: 'The compaction scanner reaches a page frame that is free in the buddy allocator and raises its _refcount from 0 (get-from-zero at the get; the free page then carries a reference: buddy-page-clean).' },
  { id: 'U1', title: 'trylock_zspage does not unlock the pages it took when a later trylock fails', designs: ['legacy', 'zpdesc'],
    bug: 'mm/zsmalloc.c trylock_zspage: "unlock_zpdesc" of the pages locked so far on failure (removed)',
    invariant: 'nothing-locked-at-end',
    doc: 'zs_free trylocks page 0, fails on page 1 (the core holds it) and defers the free, leaving page 0 locked for ever.' },
  { id: 'I1', title: 'putback_movable_ops_page does not clear the isolated flag', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/migrate.c putback_movable_ops_page: ClearPageMovableOpsIsolated (removed)',
    invariant: 'nothing-isolated-at-end',
    doc: 'A page the core gives back stays PG_movable_ops_isolated, so it can never be isolated again.' },
  { id: 'W1', title: 'lock_zspage keeps the reference it took to wait on a page', designs: ['legacy', 'zpdesc'],
    bug: 'mm/zsmalloc.c lock_zspage: zpdesc_get before zpdesc_wait_locked, zpdesc_put after (2505a981114d); the put removed',
    invariant: 'refcount-exact',
    doc: 'The deferred-free worker waits for a page the core holds locked and never drops its temporary reference (refcount-exact as it moves on); __free_zspage\'s put then leaves the page at _refcount 1, leaked outside the buddy allocator (refcount-balance at the end).' },
  { id: 'S2', title: 'async_free_zspage does not decrement ZS_INUSE_RATIO_0 for a spliced zspage', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c async_free_zspage: class_stat_sub(class, ZS_INUSE_RATIO_0, 1) before __free_zspage (removed)',
    invariant: 'class-stats',
    doc: 'The worker frees a zspage it spliced off the RATIO_0 list without decrementing that list\'s count: the class reports an empty zspage that no list holds.' },
  { id: 'K1', title: 'memdesc: zsmalloc sets the new descriptor\'s reference only after publishing it', designs: ['memdesc'],
    bug: 'E7 descriptor lifetime: a descriptor from a zeroing slab (kmem_cache_zalloc) needs its _refcount set to 1 before it is published (insert_zspage, SetZsPageMovable)',
    invariant: 'owner-reference',
    doc: 'zs_malloc lists and marks movable a zspage whose _refcount is still 0 and sets it at the end: meanwhile the core\'s folio_try_get fails on a live zspage, and a put by anyone would free it.' },
  { id: 'K3', title: 'memdesc: the core drops its isolation reference with put_page on the page', designs: ['memdesc'],
    bug: 'E7: a zsmalloc page is a tail of its zspage and has no _refcount of its own (get_page_unless_zero/put_page on it must go through the descriptor)',
    invariant: 'refcount-non-negative',
    doc: 'After a successful migration, migrate_folio_done puts the isolated page itself instead of the descriptor the core got: the put lands on a count of 0.' },
  { id: 'S3', title: 'async_free_zspage frees a spliced zspage without class->lock', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c async_free_zspage: spin_lock(&class->lock) around class_stat_sub and __free_zspage (removed); __free_zspage asserts it',
    invariant: 'guarded-by',
    doc: 'The worker locks the spliced zspage\'s pages and calls __free_zspage without the class lock, so its stat and pages_allocated updates race zs_malloc and zs_free.' },
  { id: 'O1', title: 'zs_page_migrate takes class->lock before pool->lock', designs: ['zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c locking order comment: page_lock -> pool->lock -> class->lock -> zspage->lock (inverted)',
    invariant: 'lock-order',
    doc: 'zs_page_migrate locks the class and then blocks on pool->lock for write, the reverse of __zs_compact, zs_free and the documented order: an ABBA deadlock with a compactor waiting for the class lock while holding the pool lock.' },
  { id: 'SL1', title: 'free_zspage sleeps in lock_page under class->lock', designs: ['legacy', 'zpdesc'],
    bug: 'mm/zsmalloc.c free_zspage: "Since zs_free couldn\'t be sleepable, this function cannot call lock_page" (trylock_zspage replaced by lock_page)',
    invariant: 'no-sleep-under-spinlock',
    doc: 'zs_free, holding the class spinlock, waits for a page lock the migration core holds (a sleeping lock) instead of trylocking and deferring to free_work.' },
  { id: 'I2', title: 'isolation does not test PageMovableOpsIsolated', designs: ['legacy', 'zpdesc'],
    bug: 'mm/migrate.c isolate_movable_ops_page: "if (PageMovableOpsIsolated(page)) goto out_no_isolated" (E2-E5: PageIsolated test) (removed)',
    invariant: 'isolated-page-held',
    doc: 'Two compaction scanners isolate the same page: both hold it on their lists with a reference each, and the first to finish clears the flag under the other.' },
  { id: 'L1', title: 'async_free_zspage unlinks a spliced zspage twice', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c async_free_zspage: list_del(&zspage->list) once per spliced zspage (a second remove_zspage/list_del_init added)',
    invariant: 'list-linkage',
    doc: 'The worker list_dels the zspage from its local free_pages list and then unlinks it again as remove_zspage would: the entry\'s next is LIST_POISON1 and CONFIG_DEBUG_LIST reports list_del corruption.' },
  { id: 'L2', title: 'migrate_folio_move frees the source page without list_del(&src->lru)', designs: ['legacy', 'zpdesc'],
    bug: 'mm/migrate.c migrate_folio_move: list_del(&src->lru) before migrate_folio_done (removed)',
    invariant: 'list-linkage',
    doc: 'The migrated source page goes back to the buddy allocator while still linked on the core\'s cc->migratepages list.' },
  { id: 'S4', title: 'zs_malloc re-runs SetZsPageMovable on a published zspage', designs: ['legacy', 'zpdesc', 'memdesc'],
    bug: 'mm/zsmalloc.c zs_malloc: SetZsPageMovable only for a new zspage, whose pages nobody else can lock yet (WARN_ON(!trylock))',
    invariant: 'movable-set-under-lock',
    doc: 'The fast path marks the pages of an existing zspage movable again; the migration core may hold one of those page locks, and the trylock that must not fail fails.' },
  { id: 'T1', title: 'set_first_obj_offset stores the offset over the whole page_type word', designs: ['zpdesc'],
    bug: 'mm/zsmalloc.c set_first_obj_offset: page_type & ~FIRST_OBJ_PAGE_TYPE_MASK kept ("zsmalloc: use a proper page type", 2024) (mask removed)',
    invariant: 'page-type-preserved',
    doc: 'replace_sub_page copies first_obj_offset to the new page with an unmasked store: the PGTY_zsmalloc byte is lost, so the page is no longer PageZsmalloc (page_has_movable_ops fails, and the buddy allocator\'s type checks see a foreign type).' },
  { id: 'Z2', title: 'memdesc: page_zone() through page_folio() instead of the pfn', designs: ['memdesc'],
    bug: 'E7: a one-word page has no flags of its own, so zone/node must come from the pfn (section/zone span); page_zone(page) via the descriptor reads the zspage\'s flags',
    invariant: 'nr-zspages-per-zone',
    doc: 'zs_page_migrate compares the zones of the old and new page through their descriptor, which is the same zspage for both: the zone counts are never moved when a page migrates to another zone.' },
  { id: 'N1', title: 'the legacy compactor keeps class->lock across source zspages', designs: ['legacy'],
    bug: 'a modelled variant, not a kernel release: the newest __zs_compact loop (dst and class->lock kept across source zspages while dst has room, 6.2+, where zs_free waits on pool->lock, which compaction drops when contended) on the E2 handle pin protocol, where zs_free pins the handle before it takes class->lock; every E2-era __zs_compact, from 312fcae22703 "zsmalloc: support compaction" (v4.1) on, drops class->lock after each source zspage',
    invariant: 'non-progress',
    summary: '__zs_compact kept class->lock across source zspages, so a source whose only object zs_free had pinned was skipped, put back and isolated again for ever while zs_free waited for class->lock.',
    steps: ['__zs_compact:isolate_zspages', '__zs_compact:check_dst'],
    doc: 'zs_free pins handle A (pin_tag) and then waits for class->lock; the compactor, holding class->lock, isolates A\'s zspage as the source, find_alloced_obj\'s trypin of A fails so nothing moves, the source goes back on its list and the loop isolates it again without dropping the lock. zs_can_compact stays true every round (a skipped object is still in use), so no run leaves the cycle: a non-progress loop. E2 drops class->lock after every source zspage, and zs_free gets in.' },
];

export function findMutation(id: string): MutationDoc | undefined {
  return mutations.find((x) => x.id === id);
}

/** The memdesc protocol switch a memdesc mutation turns off. */
export function protocolOverride(ids: readonly MutationId[]): Partial<ProtocolOptions> {
  const o: { -readonly [K in keyof ProtocolOptions]?: ProtocolOptions[K] } = {};
  for (const id of ids) {
    if (id === 'M1') o.recheckMemdesc = false;
    if (id === 'M2') o.descriptorLifetime = false;
    if (id === 'M3') o.cachedFolioPointers = false;
    if (id === 'M4') o.isolationIdentity = 'folio';
  }
  return o;
}
