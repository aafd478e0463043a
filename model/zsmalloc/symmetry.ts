import type { SymmetryGroup, SymmetryReference } from '../../explorer/system.js';
import type { Machine } from './machine.js';
import type { Op } from './program.js';
import { OBJ_IDX_SPAN, pageZone } from './shape.js';
import { listHeads, pageNode } from './lists.js';

/**
 * Threads that run the same program are interchangeable: swapping two of them, with their
 * locals and every record of which thread holds what, maps the machine's reachable states to
 * reachable states (no step looks at a thread's index other than to name itself). Records of
 * a thread are lock owners stored as `thread + 1` (pool.lock writer, class locks, zspage lock
 * writers, PG_locked, the E2 handle pin) and reader sets stored as bit `thread` (pool.lock and
 * zspage lock readers). A field added to the machine that records a thread must be listed
 * here; test/scenarios/symmetry.test.ts checks every swap against the step function.
 */
export function threadSymmetry(m: Machine): SymmetryGroup[] {
  const f = m.f;
  const byProgram = new Map<string, number[]>();
  m.programs.forEach((ops, t) => {
    const k = JSON.stringify(ops);
    byProgram.set(k, [...(byProgram.get(k) ?? []), t]);
  });
  const owners = [f.poolWriter, ...f.classLock, ...f.zslWriter, ...f.zLocked, ...f.pLocked, ...f.hPin].filter((i) => i >= 0);
  const readers = [f.poolReaders, ...f.zslReaders].filter((i) => i >= 0);
  const locals = (t: number) => [
    f.tPc[t], f.tOp[t], f.tZ[t], f.tC[t], f.tP[t], f.tQ[t], f.tR[t], f.tI[t], f.tObj[t], f.tH[t], f.tRet[t], f.tW[t],
    f.tSrcFolio[t], f.tDstFolio[t],
  ].filter((i) => i >= 0);
  return [...byProgram.values()].filter((ts) => ts.length > 1).map((ts) => ({
    name: 'threads',
    slots: ts.map(locals),
    ids: ts,
    references: owners.map((field) => ({ field, offset: 1 })),
    bitsets: readers,
  }));
}

/** Operations whose steps keep something other than a page frame in a thread's `idx` local
 *  (alloc_zspage's chain index, migrate_zspage's object index, zs_can_compact's ZS_OBJS_INUSE). */
const IDX_NOT_A_FRAME: ReadonlySet<Op['kind']> = new Set(['malloc', 'compact', 'shrinker_count']);

/**
 * Page frames are interchangeable where nothing tells one from another but its contents: under
 * `picks: 'any'` alloc_pages (alloc_zspage, compaction_alloc) may hand out every free frame
 * (picks.ts buddyChoices; with `'lowest'` the lowest pfn is taken, so the pfn order decides
 * the future and no frame permutation is a symmetry), a migrate op without `pages` may
 * isolate every frame, and a frame's zone is fixed by its pfn (shape.ts pageZone). So the
 * frames of one zone that no thread's migrate op names form a group. Renaming a frame moves
 * its `struct page` fields and rewrites every field that holds its pfn: zspage first-page
 * links, page chain links, the threads' page locals (page, newpage, cursor; memdesc folio ids,
 * whose zspage ids N.. name no frame), objects `pfn * OBJ_IDX_SPAN + idx` (handle and thread
 * obj) with their index kept, and page->lru list words (node pageNode(p) + 1). A thread's
 * `idx` holds the page lock_zspage waits on (steps/async-free.ts, legacy and zpdesc) when it
 * runs async_free, and other numbers in the operations of IDX_NOT_A_FRAME: a thread that mixes
 * both leaves the model without a frame group. Nothing compares pfns otherwise (the invariants
 * scan every frame; which frame a message names may differ within an orbit, not the verdict).
 * Declared only where some thread allocates (malloc, or migrate with CONFIG_COMPACTION, whose
 * compaction_alloc takes a free frame): elsewhere no step chooses a frame, so no two reachable
 * states differ by a frame permutation and the group would only cost time. test/scenarios/frame-symmetry.test.ts checks every swap against the
 * step function on small pools.
 */
export function frameSymmetry(m: Machine): SymmetryGroup[] {
  if (m.config.picks !== 'any') return [];
  const f = m.f;
  const kinds = new Set(m.programs.flatMap((ops) => ops.map((op) => op.kind)));
  // Without CONFIG_COMPACTION no page is movable, so the migration core allocates nothing.
  if (!kinds.has('malloc') && !(kinds.has('migrate') && m.config.compaction)) return [];
  // A frame is pinned by name where a migrate op lists it.
  const named = new Set(m.programs.flatMap((ops) => ops.flatMap((op) => (op.kind === 'migrate' ? op.pages ?? [] : []))));
  const idxIsFrame: number[] = [];
  for (let t = 0; t < m.T; t++) {
    const ops = m.programs[t];
    if (m.design === 'memdesc' || !ops.some((op) => op.kind === 'async_free')) continue;
    if (ops.some((op) => IDX_NOT_A_FRAME.has(op.kind))) return [];
    idxIsFrame.push(f.tI[t]);
  }
  if (OBJ_IDX_SPAN & (OBJ_IDX_SPAN - 1)) throw new Error('frame symmetry needs OBJ_IDX_SPAN to be a power of two');
  const objShift = Math.log2(OBJ_IDX_SPAN);
  const slot = (p: number): number[] => [
    f.pBuddy[p], f.pRefcount[p], f.pLocked[p], f.pPrivate[p], f.pMovable[p], f.pIsolated[p], f.pZspage[p], f.pNext[p],
    f.pFirstObjOffset[p], f.pPageType[p], f.pHandle[p], ...f.pHdr[p], ...f.pData[p],
    // Constant 0 unless the list words are modelled (fields.ts listWords).
    ...(listHeads(m) ? [f.pLruNext[p], f.pLruPrev[p]] : []),
  ].filter((i) => i >= 0);
  const plain = [...f.zFirst, ...f.pNext, ...f.tP, ...f.tQ, ...f.tR, ...idxIsFrame, ...f.tSrcFolio, ...f.tDstFolio].filter((i) => i >= 0);
  const objs = [...f.hObj, ...f.tObj];
  const listWords = listHeads(m)
    ? [...f.zListNext, ...f.zListPrev, ...f.headNext.flat(), ...f.headPrev.flat(), ...f.tListNext, ...f.tListPrev,
      ...f.pLruNext, ...f.pLruPrev, ...f.tMigNext, ...f.tMigPrev]
    : [];
  const references: SymmetryReference[] = [
    ...plain.map((field) => ({ field, offset: 0 })),
    ...objs.map((field) => ({ field, offset: 0, shift: objShift })),
    ...listWords.map((field) => ({ field, offset: pageNode(m, 0) + 1 })),
  ];
  const byZone = new Map<number, number[]>();
  for (let p = 0; p < m.N; p++) {
    if (named.has(p)) continue;
    const zone = pageZone(m.pool, p);
    byZone.set(zone, [...(byZone.get(zone) ?? []), p]);
  }
  return [...byZone.values()].filter((ps) => ps.length > 1).map((ps) => ({
    name: 'page frames',
    slots: ps.map(slot),
    ids: ps,
    references,
  }));
}
