import type { Field } from '../../explorer/system.js';
import type { Design } from '../designs.js';
import { fullnessGroups, OBJ_IDX_SPAN, zoneCount, type PoolShape } from './shape.js';

/** Handle slots are named like the kernel's examples: A, B, C, ... */
export function handleName(h: number): string {
  return String.fromCharCode(65 + h);
}

/** Sentinel for "the RATIO_0 list was spliced onto async_free_zspage's local list" (§2.2.2). */
export const LIST_SPLICED = -2;
/** handle[X].state values (ghost): free, live, being freed by zs_free (obj_free already ran). */
export const HANDLE_FREE = 0;
export const HANDLE_LIVE = 1;
export const HANDLE_FREEING = 2;
export const ZSPAGE_MAGIC = 0x58;
/** The page type byte of a zsmalloc page (top byte of page_type, E5+). */
export const PGTY_ZSMALLOC = 0xf6;

/**
 * The state vector's fields, one int32 each, named as the kernel names them so traces read like
 * the code. Lists (fullness lists, the core's isolated list) are modelled as membership:
 * `zspage[Z].list` says which fullness list Z is on, and picks are deterministic (lowest index)
 * instead of list order. A page's `zspage`/`memdesc` link is the zspage index or -1.
 */
export class Fields {
  readonly fields: Field[] = [];
  private add(name: string, min: number, max: number): number {
    this.fields.push({ name, min, max });
    return this.fields.length - 1;
  }

  readonly poolWriter: number;
  readonly poolReaders: number;
  readonly pagesAllocated: number;
  readonly freeWork: number;
  readonly compactionInProgress: number;
  /** E2 (5.3+, 701d678599d0): `pool->destroying` and `pool->isolated_pages`. */
  readonly poolDestroying: number;
  readonly poolIsolatedPages: number;
  /** Ghost: zs_destroy_pool has kfree'd the pool and its classes. */
  readonly poolDestroyed: number;

  /** NR_ZSPAGES of each zone (zone_page_state). */
  readonly zoneNrZspages: number[] = [];
  readonly classLock: number[] = [];
  readonly classStat: number[][] = [];
  readonly classAllocated: number[] = [];
  readonly classInuse: number[] = [];

  readonly zMagic: number[] = [];
  readonly zHuge: number[] = [];
  readonly zFullness: number[] = [];
  readonly zClass: number[] = [];
  readonly zIsolated: number[] = [];
  readonly zInuse: number[] = [];
  readonly zFreeobj: number[] = [];
  readonly zFirst: number[] = [];
  readonly zList: number[] = [];
  readonly zslCnt: number[] = [];
  readonly zslWriter: number[] = [];
  readonly zslReaders: number[] = [];
  /** memdesc: the page-flags word's PG_locked, `_refcount`, `mapping` (movable) on the zspage. */
  readonly zLocked: number[] = [];
  readonly zRefcount: number[] = [];
  readonly zMapping: number[] = [];

  readonly pBuddy: number[] = [];
  readonly pRefcount: number[] = [];
  readonly pLocked: number[] = [];
  readonly pPrivate: number[] = [];
  readonly pMovable: number[] = [];
  readonly pIsolated: number[] = [];
  readonly pZspage: number[] = [];
  readonly pNext: number[] = [];
  readonly pFirstObjOffset: number[] = [];
  /** zpdesc: the type byte of page_type (PGTY_zsmalloc), which first_obj_offset shares. */
  readonly pPageType: number[] = [];
  readonly pHandle: number[] = [];
  readonly pHdr: number[][] = [];
  readonly pData: number[][] = [];

  readonly hState: number[] = [];
  readonly hObj: number[] = [];
  readonly hPayload: number[] = [];
  readonly hPin: number[] = [];

  readonly tPc: number[] = [];
  readonly tOp: number[] = [];
  readonly tZ: number[] = [];
  readonly tC: number[] = [];
  readonly tP: number[] = [];
  readonly tQ: number[] = [];
  readonly tR: number[] = [];
  readonly tI: number[] = [];
  readonly tObj: number[] = [];
  readonly tH: number[] = [];
  readonly tRet: number[] = [];
  readonly tW: number[] = [];
  readonly tSrcFolio: number[] = [];
  /** list_head words (config `lists: 'list_head'`; constant otherwise). Node ids: zspage z is
   *  z, class c's fullness_list[g] head is K + c*G + g, thread t's local free_pages head is
   *  K + C*G + t. Stored as id + 1; 0 is NULL (for a head: "points to itself", so a zeroed
   *  state is every list empty), -1/-2 are LIST_POISON1/2. */
  readonly zListNext: number[] = [];
  readonly zListPrev: number[] = [];
  readonly headNext: number[][] = [];
  readonly headPrev: number[][] = [];
  readonly tListNext: number[] = [];
  readonly tListPrev: number[] = [];
  /** page->lru on the migration core's cc->migratepages (per core thread). */
  readonly pLruNext: number[] = [];
  readonly pLruPrev: number[] = [];
  readonly tMigNext: number[] = [];
  readonly tMigPrev: number[] = [];
  /** Ghost: the first CONFIG_DEBUG_LIST report (0 none; see lists.ts for the codes). */
  readonly listCorrupt: number;
  readonly tDstFolio: number[] = [];

  constructor(
    readonly design: Design,
    readonly pool: PoolShape,
    readonly threadNames: readonly string[],
    readonly labelCount: number,
    readonly maxOps: number,
  ) {
    const T = threadNames.length;
    const N = pool.pageFrames;
    const K = pool.zspageSlots;
    const H = pool.handles;
    const U = pool.pageUnits;
    const groups = fullnessGroups(design);
    const legacy = design === 'legacy';
    const memdesc = design === 'memdesc';
    const readerMask = (1 << T) - 1;
    const maxObj = N * OBJ_IDX_SPAN - 1;
    const hdrMax = Math.max(2 * H, 2 * (OBJ_IDX_SPAN + 1));
    const maxPayload = 7;
    const pages = pool.classes.reduce((a, c) => Math.max(a, c.pagesPerZspage), 1);

    // E2 has no pool lock (§1.4); E3+ rwlock, E6 `pool->lock`.
    this.poolWriter = legacy ? -1 : this.add('pool.lock.writer', 0, T);
    this.poolReaders = legacy ? -1 : this.add('pool.lock.readers', 0, readerMask);
    this.pagesAllocated = this.add('pool.pages_allocated', 0, N);
    this.freeWork = this.add('pool.free_work.pending', 0, 1);
    this.compactionInProgress = this.add('pool.compaction_in_progress', 0, 1);
    this.poolDestroying = legacy ? this.add('pool.destroying', 0, 1) : -1;
    this.poolIsolatedPages = legacy ? this.add('pool.isolated_pages', 0, K) : -1;
    this.poolDestroyed = this.add('pool.destroyed', 0, 1);

    for (let zn = 0; zn < zoneCount(pool); zn++) this.zoneNrZspages.push(this.add(`zone[${zn}].NR_ZSPAGES`, 0, N));

    for (let c = 0; c < pool.classes.length; c++) {
      this.classLock.push(this.add(`class[${c}].lock`, 0, T));
      this.classStat.push(groups.map((g) => this.add(`class[${c}].stats[${g}]`, 0, K)));
      this.classAllocated.push(this.add(`class[${c}].stats[ZS_OBJS_ALLOCATED]`, 0, K * OBJ_IDX_SPAN));
      this.classInuse.push(this.add(`class[${c}].stats[ZS_OBJS_INUSE]`, 0, K * OBJ_IDX_SPAN));
    }

    const zl = legacy ? 'lock' : 'zsl';
    for (let z = 0; z < K; z++) {
      const n = `zspage[${z}]`;
      this.zMagic.push(this.add(`${n}.magic`, 0, ZSPAGE_MAGIC));
      this.zHuge.push(this.add(`${n}.huge`, 0, 1));
      this.zFullness.push(this.add(`${n}.fullness`, 0, groups.length - 1));
      this.zClass.push(this.add(`${n}.class`, 0, Math.max(0, pool.classes.length - 1)));
      // E2–6.8 kept `isolated` in the bitfield word (A6); memdesc keeps PG_movable_ops_isolated on Z.
      this.zIsolated.push(legacy ? this.add(`${n}.isolated`, 0, pages) : -1);
      this.zInuse.push(this.add(`${n}.inuse`, 0, OBJ_IDX_SPAN));
      this.zFreeobj.push(this.add(`${n}.freeobj`, -1, OBJ_IDX_SPAN - 1));
      this.zFirst.push(this.add(legacy ? `${n}.first_page` : `${n}.first_zpdesc`, -1, N - 1));
      this.zList.push(this.add(`${n}.list`, LIST_SPLICED, groups.length - 1));
      this.zslCnt.push(this.add(`${n}.${zl}.cnt`, -1, T));
      this.zslWriter.push(this.add(`${n}.${zl}.writer`, 0, T));
      this.zslReaders.push(this.add(`${n}.${zl}.readers`, 0, readerMask));
      this.zLocked.push(memdesc ? this.add(`${n}.flags.PG_locked`, 0, T) : -1);
      this.zRefcount.push(memdesc ? this.add(`${n}._refcount`, 0, pages + 2 * T + 1) : -1);
      this.zMapping.push(memdesc ? this.add(`${n}.mapping`, 0, 1) : -1);
    }

    for (let p = 0; p < N; p++) {
      const n = `page[${p}]`;
      this.pBuddy.push(this.add(`${n}.PageBuddy`, 0, 1));
      this.pRefcount.push(this.add(`${n}._refcount`, 0, 2 * T + 2));
      this.pLocked.push(this.add(`${n}.flags.PG_locked`, 0, T));
      this.pPrivate.push(this.add(`${n}.flags.PG_private`, 0, 1));
      this.pMovable.push(this.add(legacy ? `${n}.mapping.PAGE_MAPPING_MOVABLE` : `${n}.flags.PG_movable_ops`, 0, 1));
      this.pIsolated.push(this.add(legacy ? `${n}.flags.PG_isolated` : `${n}.flags.PG_movable_ops_isolated`, 0, 1));
      this.pZspage.push(this.add(memdesc ? `${n}.memdesc` : legacy ? `${n}.private` : `${n}.zspage`, -1, K - 1));
      this.pNext.push(this.add(legacy ? `${n}.index` : `${n}.next`, -1, N - 1));
      this.pFirstObjOffset.push(this.add(`${n}.first_obj_offset`, 0, U));
      this.pPageType.push(design === 'zpdesc' ? this.add(`${n}.page_type.PGTY`, 0, PGTY_ZSMALLOC) : -1);
      this.pHandle.push(this.add(`${n}.handle`, 0, H));
      const hdr: number[] = [];
      const data: number[] = [];
      for (let u = 0; u < U; u++) {
        hdr.push(this.add(`${n}.obj_header[${u}]`, 0, hdrMax));
        data.push(this.add(`${n}.data[${u}]`, 0, maxPayload));
      }
      this.pHdr.push(hdr);
      this.pData.push(data);
    }

    for (let h = 0; h < H; h++) {
      const n = `handle[${handleName(h)}]`;
      this.hState.push(this.add(`${n}.state`, 0, 2));
      this.hObj.push(this.add(`${n}.obj`, -1, maxObj));
      this.hPayload.push(this.add(`${n}.payload`, 0, maxPayload));
      // E1–E2 HANDLE_PIN_BIT; the model keeps the owner (thread+1) so exclusivity is checkable.
      this.hPin.push(legacy ? this.add(`${n}.HANDLE_PIN_BIT`, 0, T) : -1);
    }

    const maxNode = K + pool.classes.length * groups.length + T + N + T - 1;
    for (let z = 0; z < K; z++) {
      this.zListNext.push(this.add(`zspage[${z}].list.next`, -2, maxNode + 1));
      this.zListPrev.push(this.add(`zspage[${z}].list.prev`, -2, maxNode + 1));
    }
    for (let c = 0; c < pool.classes.length; c++) {
      this.headNext.push(groups.map((g) => this.add(`class[${c}].fullness_list[${g}].next`, 0, maxNode + 1)));
      this.headPrev.push(groups.map((g) => this.add(`class[${c}].fullness_list[${g}].prev`, 0, maxNode + 1)));
    }
    for (let p = 0; p < N; p++) {
      this.pLruNext.push(this.add(`page[${p}].lru.next`, -2, maxNode + 1));
      this.pLruPrev.push(this.add(`page[${p}].lru.prev`, -2, maxNode + 1));
    }
    this.listCorrupt = this.add('CONFIG_DEBUG_LIST.report', 0, 6);

    const maxLocal = Math.max(N + K, maxObj, 16);
    for (let t = 0; t < T; t++) {
      const n = threadNames[t];
      this.tPc.push(this.add(`${n}.pc`, 0, labelCount));
      this.tOp.push(this.add(`${n}.op`, 0, maxOps));
      this.tZ.push(this.add(`${n}.zspage`, -1, K - 1));
      this.tC.push(this.add(`${n}.class`, -1, pool.classes.length - 1));
      this.tP.push(this.add(`${n}.page`, -1, N - 1));
      this.tQ.push(this.add(`${n}.newpage`, -1, N - 1));
      this.tR.push(this.add(`${n}.cursor`, -1, N - 1));
      this.tI.push(this.add(`${n}.idx`, -1, maxLocal));
      this.tObj.push(this.add(`${n}.obj`, -1, maxObj));
      this.tH.push(this.add(`${n}.handle`, -1, H - 1));
      this.tRet.push(this.add(`${n}.ret`, -1, labelCount));
      this.tW.push(this.add(`${n}.word`, -1, maxLocal));
      this.tSrcFolio.push(memdesc ? this.add(`${n}.src_folio`, -1, N + K - 1) : -1);
      this.tListNext.push(this.add(`${n}.free_pages.next`, 0, maxNode + 1));
      this.tListPrev.push(this.add(`${n}.free_pages.prev`, 0, maxNode + 1));
      this.tMigNext.push(this.add(`${n}.migratepages.next`, 0, maxNode + 1));
      this.tMigPrev.push(this.add(`${n}.migratepages.prev`, 0, maxNode + 1));
      this.tDstFolio.push(memdesc ? this.add(`${n}.dst_folio`, -1, N + K - 1) : -1);
    }
  }
}
