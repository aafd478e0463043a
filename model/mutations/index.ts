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
  readonly summary: string;
  /** Step labels whose code the mutation changes (the trace tags these steps). */
  readonly steps: readonly string[];
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
    invariant: 'fullness-list-consistent', commit: '4b5d1e47b694',
    summary: 'zs_page_isolate() updated zspage->isolated outside class->lock in the bitfield word that also holds fullness, so a concurrent zs_free() fullness change was lost.',
    steps: ['zs_free:read_obj', 'zs_free:obj_free', 'zs_page_isolate:isolate_zspage', 'zs_page_isolate:unlock_class', 'zs_page_isolate:migrate_write_lock'],
    doc: 'The locking of c4549b871102 (before the fix): zs_page_isolate increments zspage->isolated under the zspage migrate write lock only, as a load and a store of the whole bitfield word, and zs_free no longer takes the zspage lock. zs_free\'s fix_fullness_group (under class->lock) moves the zspage to another list between the load and the store, and the store writes the stale fullness back.' },
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
