import type { SymmetryGroup, SymmetryReference } from '../../explorer/system.js';
import type { Machine } from './machine.js';
import type { Op } from './program.js';
import { OBJ_IDX_SPAN, pageZone } from './shape.js';
import { listHeads, pageNode } from './lists.js';

/** A program with its handles renamed 0, 1, ... in order of first use, and that order. */
function programShape(ops: readonly Op[]): { readonly key: string; readonly handles: readonly number[] } {
  const handles: number[] = [];
  const shaped = ops.map((op) => {
    if (!('handle' in op)) return op;
    if (!handles.includes(op.handle)) handles.push(op.handle);
    return { ...op, handle: handles.indexOf(op.handle) };
  });
  return { key: JSON.stringify(shaped), handles };
}

/**
 * Threads that run the same program are interchangeable: swapping two of them, with their
 * locals and every record of which thread holds what, maps the successors of each reachable
 * state to its swap's (no step looks at a thread's index other than to name itself). Records
 * of a thread are lock owners stored as `thread + 1` (pool.lock writer, class locks, zspage
 * lock writers, PG_locked, the E2 handle pin) and reader sets stored as bit `thread` (pool.lock
 * and zspage lock readers). A field added to the machine that records a thread must be listed
 * here; test/scenarios/symmetry.test.ts checks every swap against the step function.
 *
 * Threads whose programs are the same up to the handles they name (`malloc(A, 1), free(A)`
 * and `malloc(B, 1), free(B)`) are interchangeable together with those handles: a program
 * names its handles (ops' `handle`), so a swap of the threads alone would change what each
 * thread's next op acts on, and a swap of the handles alone would too. Both together map
 * each program onto the other's. The member then owns its handles' fields too (state, obj,
 * payload, the E2 pin), and every field that holds a handle number is renamed by position in
 * the members' handle lists: the threads' `handle` locals, a huge page's `page->handle`
 * (`handle + 1`) and object headers (`handle << 1 | OBJ_ALLOCATED_TAG`; a free header is an
 * even word, left alone). Nothing else tells handles apart: zs_malloc takes the slot its op
 * names, compaction and migration find a handle through the header or page->handle, and the
 * invariants scan every handle. Declared only where each member's handles are its own (no
 * other thread names them) and all free when the threads start (the setup allocated none):
 * then the initial state is itself symmetric and interleavings of the members meet; handles
 * the setup placed apart in the pool would make every swapped state unreachable, and the
 * group would only cost time. test/scenarios/handle-symmetry.test.ts checks every swap.
 */
export function threadSymmetry(m: Machine): SymmetryGroup[] {
  const f = m.f;
  const owners = [f.poolWriter, ...f.classLock, ...f.zslWriter, ...f.zLocked, ...f.pLocked, ...f.hPin].filter((i) => i >= 0);
  const readers = [f.poolReaders, ...f.zslReaders].filter((i) => i >= 0);
  const locals = (t: number) => [
    f.tPc[t], f.tOp[t], f.tZ[t], f.tC[t], f.tP[t], f.tQ[t], f.tR[t], f.tI[t], f.tObj[t], f.tH[t], f.tRet[t], f.tW[t],
    f.tSrcFolio[t], f.tDstFolio[t],
  ].filter((i) => i >= 0);
  const threadRefs: SymmetryReference[] = owners.map((field) => ({ field, offset: 1 }));
  const byShape = new Map<string, number[]>();
  const shapes = m.programs.map(programShape);
  shapes.forEach((sh, t) => byShape.set(sh.key, [...(byShape.get(sh.key) ?? []), t]));
  const setupHandles = new Set(m.spec.setup.flatMap((op) => ('handle' in op ? [op.handle] : [])));
  const groups: SymmetryGroup[] = [];
  const identical = (ts: readonly number[]) => {
    const byProgram = new Map<string, number[]>();
    for (const t of ts) {
      const k = JSON.stringify(m.programs[t]);
      byProgram.set(k, [...(byProgram.get(k) ?? []), t]);
    }
    for (const same of byProgram.values()) {
      if (same.length > 1) groups.push({ name: 'threads', slots: same.map(locals), ids: same, references: threadRefs, bitsets: readers });
    }
  };
  for (const ts of byShape.values()) {
    if (ts.length < 2) continue;
    const handles = ts.map((t) => shapes[t].handles);
    const mine = handles.flat();
    const others = new Set(shapes.flatMap((sh, t) => (ts.includes(t) ? [] : sh.handles)));
    const own = handles[0].length > 0 && new Set(mine).size === mine.length && !mine.some((h) => others.has(h) || setupHandles.has(h));
    if (!own) { identical(ts); continue; }
    const handleFields = (h: number) => [f.hState[h], f.hObj[h], f.hPayload[h], f.hPin[h]].filter((i) => i >= 0);
    groups.push({
      name: 'threads with their handles',
      slots: ts.map((t, i) => [...locals(t), ...handles[i].flatMap(handleFields)]),
      ids: ts,
      references: [
        ...threadRefs,
        ...f.tH.map((field) => ({ field, offset: 0, names: handles })),
        ...f.pHandle.map((field) => ({ field, offset: 1, names: handles })),
        ...f.pHdr.flat().map((field) => ({ field, offset: 0, shift: 1, tag: 1, names: handles })),
      ],
      bitsets: readers,
    });
  }
  return groups;
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
