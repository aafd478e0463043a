import { allDesigns, spanningPool, type Expectation, type Scenario } from '../types.js';
import type { Design } from '../../../model/zsmalloc/designs.js';
import type { MutationId } from '../../../model/zsmalloc/mutations/index.js';
import { A, B, asyncFree, free, malloc, migrate } from '../ops.js';
import { asyncFreeThreads } from './async-free-vs-migrate.js';

/**
 * One scenario per kernel protection of the allocator's own bookkeeping (page flags, the
 * freelist, references, locks, stats): each removes it with a mutation, and without the
 * mutation the same threads hold (the suite runs both).
 */
function protection(
  id: string, mutation: MutationId, violates: string, title: string, description: string,
  body: Pick<Scenario, 'shape' | 'setup' | 'threads'>, designs: readonly Design[] = allDesigns,
): Scenario {
  const e: Partial<Record<Design, Expectation>> = {};
  for (const d of designs) e[d] = { violates };
  return { id, title, description, designs, mutation, bounds: { maxStates: 400_000 }, expect: e, ...body };
}

/** A huge class: one object per one-page zspage (the shortest free and lock_zspage paths). */
const onePagePool = { pageUnits: 3, classes: [{ size: 3, pagesPerZspage: 1 }], pageFrames: 2, zspageSlots: 1, handles: 1 };
const freeVsHeldPage = { shape: spanningPool(3, 1), setup: [malloc(A, 1)], threads: [{ name: 'free', ops: [free(A)] }, { name: 'migrate', ops: [migrate([1], true)] }] };
const freeThenMalloc = { shape: spanningPool(3), setup: [malloc(A, 1)], threads: [{ name: 'free', ops: [free(A)] }, { name: 'malloc', ops: [malloc(B, 2)] }] };
const migrateFirstPage = { shape: spanningPool(3, 1), setup: [malloc(A, 1)], threads: [{ name: 'core', ops: [migrate([0], false)] }] };

export const protectionScenarios: readonly Scenario[] = [
  protection('bug-f1-free-ignores-trylock', 'F1', 'free-zspage-holds-chain-locks', 'F1: free_zspage ignores a failed trylock_zspage',
    'zs_free empties the zspage while the core holds page 1 locked for isolation or putback; with the trylock result ignored, __free_zspage runs without that page lock.', freeVsHeldPage),
  protection('bug-s1-movable-early', 'S1', 'movable-when-ready', 'S1: pages movable before SetZsPageMovable',
    'zs_malloc builds a new zspage whose pages are movable from allocation; the core isolates page 0 and holds its lock when SetZsPageMovable trylocks it.',
    { shape: spanningPool(3, 1), setup: [], threads: [{ name: 'malloc', ops: [malloc(A, 1)] }, { name: 'core', ops: [migrate(undefined, true)] }] }),
  protection('bug-s4-set-movable-again', 'S4', 'movable-set-under-lock', 'S4: SetZsPageMovable on a published zspage',
    'A second allocation lands in the existing zspage and re-marks its pages movable while the core may hold one of their locks.',
    { shape: spanningPool(3, 2), setup: [malloc(A, 1)], threads: [{ name: 'malloc', ops: [malloc(B, 2)] }, { name: 'core', ops: [migrate(undefined, true)] }] }),
  protection('bug-t1-page-type-lost', 'T1', 'page-type-preserved', 'T1: migration loses the PGTY_zsmalloc byte',
    'The core migrates page 0; replace_sub_page stores first_obj_offset over the new page\'s whole page_type.', migrateFirstPage, ['zpdesc']),
  protection('bug-p1-private-left', 'P1', 'page-freed-clean', 'P1: reset_zpdesc leaves PG_private set',
    'zs_free frees the last object and __free_zspage returns the first page to the buddy allocator with PG_private set.', freeThenMalloc),
  protection('bug-o2-free-link-missing', 'O2', 'zspage-objects', 'O2: obj_free does not write the free link',
    'zs_free of A leaves A\'s header tagged allocated while freeobj names the slot.', freeThenMalloc),
  protection('bug-c1-first-page-unmarked', 'C1', 'chain-integrity', 'C1: migration of the first page loses PG_private',
    'The core migrates page 0 of the zspage; the new first page is linked without PG_private.', migrateFirstPage),
  protection('bug-r2-descriptor-freed-first', 'R2', 'no-dangling-descriptor', 'R2: __free_zspage frees the descriptor before the pages',
    'zs_free empties the zspage and cache_free_zspage runs while the chain pages still name it.', freeThenMalloc),
  protection('bug-g1-get-free-page', 'G1', 'get-from-zero', 'G1: isolation takes a reference on a free page',
    'After an allocation into the existing zspage, the core scans the page frames with a plain get_page and reaches one that is free in the buddy allocator.',
    { shape: spanningPool(3, 2), setup: [malloc(A, 1)], threads: [{ name: 'core', ops: [malloc(B, 2), migrate()] }] }, ['legacy', 'zpdesc']),
  protection('bug-u1-trylock-undo-leaks-lock', 'U1', 'nothing-locked-at-end', 'U1: trylock_zspage does not undo its page locks',
    'zs_free trylocks page 0, fails on page 1 held by the core, and leaves page 0 locked.', freeVsHeldPage, ['legacy', 'zpdesc']),
  protection('bug-i1-putback-keeps-isolated', 'I1', 'nothing-isolated-at-end', 'I1: putback leaves the page isolated',
    'The core isolates page 0 and puts it back without clearing the isolated flag (memdesc: the flag outlives the core\'s run).',
    { shape: spanningPool(3, 1), setup: [malloc(A, 1)], threads: [{ name: 'core', ops: [migrate([0], true)] }] }, ['memdesc']),
  protection('bug-i1-putback-keeps-isolated-held', 'I1', 'isolated-page-held', 'I1: putback leaves the page isolated, held by nobody',
    'The core isolates page 0 and puts it back without clearing the isolated flag: the flag stays set with no core thread holding the page.',
    { shape: spanningPool(3, 1), setup: [malloc(A, 1)], threads: [{ name: 'core', ops: [migrate([0], true)] }] }, ['legacy', 'zpdesc']),
  protection('bug-i2-isolated-twice', 'I2', 'isolated-page-held', 'I2: a page isolated by two scanners',
    'Two core threads isolate page 0 without testing the isolated flag.',
    { shape: spanningPool(3, 1), setup: [malloc(A, 1)], threads: [{ name: 'core0', ops: [migrate([0], true)] }, { name: 'core1', ops: [migrate([0], true)] }] }, ['legacy', 'zpdesc']),
  protection('bug-w1-wait-ref-leaked', 'W1', 'refcount-exact', 'W1: lock_zspage leaks its wait reference',
    'The deferred-free worker waits on a page the core holds locked and keeps the reference it took, so the page never returns to the buddy allocator.',
    { shape: onePagePool, setup: [malloc(A, 1)], threads: [{ name: 'free', ops: [free(A)] }, { name: 'migrate', ops: [migrate([0], true)] }, { name: 'free_work', ops: [asyncFree()] }] }, ['legacy', 'zpdesc']),
  protection('bug-s2-ratio0-stat', 'S2', 'class-stats', 'S2: async_free_zspage leaves ZS_INUSE_RATIO_0 counted',
    'A deferred free splices the empty zspage and frees it without decrementing the RATIO_0 count.',
    { shape: spanningPool(3, 1), setup: [malloc(A, 1)], threads: asyncFreeThreads }),
  protection('bug-k1-descriptor-no-ref', 'K1', 'owner-reference', 'K1: memdesc descriptor published before its _refcount is set',
    'zs_malloc publishes a new zspage before giving its descriptor zsmalloc\'s reference, while the core scans the page frames.',
    { shape: spanningPool(3, 1), setup: [], threads: [{ name: 'malloc', ops: [malloc(A, 1)] }, { name: 'core', ops: [migrate(undefined, true)] }] }, ['memdesc']),
  protection('bug-k3-put-tail-page', 'K3', 'refcount-non-negative', 'K3: memdesc core puts the tail page',
    'The core migrates page 0 and drops its isolation reference on the page rather than on the zspage descriptor.', migrateFirstPage, ['memdesc']),
  protection('bug-s3-async-free-unlocked', 'S3', 'guarded-by', 'S3: async_free_zspage frees without class->lock',
    'A deferred free runs __free_zspage on the spliced zspage without the class lock.',
    { shape: onePagePool, setup: [malloc(A, 1)], threads: [{ name: 'free', ops: [free(A)] }, { name: 'migrate', ops: [migrate([0], true)] }, { name: 'free_work', ops: [asyncFree()] }] }),
  protection('bug-o1-class-before-pool', 'O1', 'lock-order', 'O1: zs_page_migrate inverts pool->lock and class->lock',
    'The core migrates page 0 and zs_page_migrate locks the class before blocking on pool->lock: the order inversion is reported at that step although no second thread could deadlock with it here.',
    migrateFirstPage, ['zpdesc', 'memdesc']),
  protection('bug-sl1-free-sleeps', 'SL1', 'no-sleep-under-spinlock', 'SL1: free_zspage sleeps on a page lock under class->lock',
    'zs_free empties the zspage and lock_pages its pages while holding the class spinlock.', freeVsHeldPage, ['legacy', 'zpdesc']),
];
