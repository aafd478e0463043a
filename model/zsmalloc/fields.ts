import type { Field } from '../../explorer/system.js';
import type { FieldKind } from '../../explorer/field-kind.js';
import type { Design } from './designs.js';
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
  private add(name: string, min: number, max: number, kind?: FieldKind): number {
    this.fields.push(kind ? { name, min, max, kind } : { name, min, max });
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
    /** memdesc: the zspage members generic mm code writes through struct page offsets (see
     *  model/zsmalloc/memdesc/zspage-layout.ts); their ranges widen to hold what those writes can store. */
    readonly alias: { readonly lockBit?: string; readonly refcount?: string } = {},
    /** Config `lists: 'list_head'`. Otherwise the list_head words (and CONFIG_DEBUG_LIST's
     *  report) are never written: declared constant 0, so the search packs none of their bits
     *  (a write would be a model error, out of range, not a silent loss). */
    readonly listWords = true,
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

    // How each value reads in a trace (decoded by the renderers; trace files keep raw values).
    const owner: FieldKind = { kind: 'owner' };
    const readers: FieldKind = { kind: 'threadSet' };
    const flag: FieldKind = { kind: 'flag' };
    const count: FieldKind = { kind: 'int' };
    const none = { [-1]: 'none' };
    // list_head words hold node numbers (lists.ts); list_del leaves the poison values.
    const listNode: FieldKind = { kind: 'int', sentinels: { [-2]: 'LIST_POISON1', [-3]: 'LIST_POISON2' } };
    const groupNames = Object.fromEntries(groups.map((g, i) => [i, g]));
    const handleNames = Array.from({ length: H }, (_, h) => handleName(h));
    const zspageRef: FieldKind = { kind: 'ref', of: 'zspage', sentinels: { [-1]: 'no zspage' } };
    const pageRef = (nil: string): FieldKind => ({ kind: 'ref', of: 'page', sentinels: { [-1]: nil } });
    const classRef: FieldKind = { kind: 'ref', of: 'class', sentinels: none };
    // obj = location_to_obj(pfn, obj_idx) (OBJ_INDEX_BITS: here a span of OBJ_IDX_SPAN).
    const objRef: FieldKind = { kind: 'ref', of: 'page', span: OBJ_IDX_SPAN, slot: 'obj', sentinels: none };
    const handleRef: FieldKind = { kind: 'ref', of: 'handle', names: handleNames, sentinels: none };
    // Folio ids: a page is its own folio; ids N.. are memdesc zspages (Machine.folioOf).
    const folioNames: Record<number, string> = { [-1]: 'none' };
    for (let p = 0; p < N; p++) folioNames[p] = `page[${p}]`;
    for (let z = 0; z < K; z++) folioNames[N + z] = `zspage[${z}]`;
    // The object header word: OBJ_ALLOCATED_TAG | handle << 1, or the next free index.
    const hdrNames: Record<number, string> = { 0: 'never written' };
    for (let v = 1; v <= hdrMax; v++) {
      hdrNames[v] = v % 2 === 1 ? `allocated: handle ${handleName((v - 1) >> 1)}` : (v >> 1) - 2 < 0 ? 'free: last' : `free: next obj ${(v >> 1) - 2}`;
    }

    // E2 has no pool lock (§1.4); E3+ rwlock, E6 `pool->lock`.
    this.poolWriter = legacy ? -1 : this.add('pool.lock.writer', 0, T, owner);
    this.poolReaders = legacy ? -1 : this.add('pool.lock.readers', 0, readerMask, readers);
    this.pagesAllocated = this.add('pool.pages_allocated', 0, N, count);
    this.freeWork = this.add('pool.free_work.pending', 0, 1, flag);
    this.compactionInProgress = this.add('pool.compaction_in_progress', 0, 1, flag);
    this.poolDestroying = legacy ? this.add('pool.destroying', 0, 1, flag) : -1;
    this.poolIsolatedPages = legacy ? this.add('pool.isolated_pages', 0, K, count) : -1;
    this.poolDestroyed = this.add('pool.destroyed', 0, 1, flag);

    for (let zn = 0; zn < zoneCount(pool); zn++) this.zoneNrZspages.push(this.add(`zone[${zn}].NR_ZSPAGES`, 0, N, count));

    for (let c = 0; c < pool.classes.length; c++) {
      this.classLock.push(this.add(`class[${c}].lock`, 0, T, owner));
      this.classStat.push(groups.map((g) => this.add(`class[${c}].stats[${g}]`, 0, K, count)));
      this.classAllocated.push(this.add(`class[${c}].stats[ZS_OBJS_ALLOCATED]`, 0, K * OBJ_IDX_SPAN, count));
      this.classInuse.push(this.add(`class[${c}].stats[ZS_OBJS_INUSE]`, 0, K * OBJ_IDX_SPAN, count));
    }

    const zl = legacy ? 'lock' : 'zsl';
    // A PG_locked store sets bit 0 of lockBit's member; a core get adds up to one reference per
    // page plus two per thread (isolate + migrate) to refcount's member.
    const zadd = (member: string, min: number, max: number, kind?: FieldKind): number => {
      let lo = min;
      let hi = max;
      if (member === alias.lockBit && member !== 'flags') { lo = Math.min(lo, lo & ~1); hi = hi | 1; }
      if (member === alias.refcount && member !== '_refcount') hi += pages + 2 * T + 1;
      return this.add(`zspage[${zCur}].${member}`, lo, hi, kind);
    };
    let zCur = 0;
    for (let z = 0; z < K; z++) {
      zCur = z;
      const n = `zspage[${z}]`;
      this.zMagic.push(zadd('magic', 0, ZSPAGE_MAGIC, { kind: 'hex', sentinels: { 0: '0 (freed)' }, picture: 'alive' }));
      this.zHuge.push(zadd('huge', 0, 1, flag));
      this.zFullness.push(zadd('fullness', 0, groups.length - 1, { kind: 'enum', names: groupNames, picture: 'show' }));
      this.zClass.push(zadd('class', 0, Math.max(0, pool.classes.length - 1), classRef));
      // E2–6.8 kept `isolated` in the bitfield word (A6); memdesc keeps PG_movable_ops_isolated on Z.
      this.zIsolated.push(legacy ? this.add(`${n}.isolated`, 0, pages, count) : -1);
      this.zInuse.push(zadd('inuse', 0, OBJ_IDX_SPAN, { kind: 'int', picture: 'show' }));
      this.zFreeobj.push(zadd('freeobj', -1, OBJ_IDX_SPAN - 1, { kind: 'int', sentinels: none }));
      this.zFirst.push(this.add(legacy ? `${n}.first_page` : `${n}.first_zpdesc`, -1, N - 1, pageRef('none')));
      this.zList.push(this.add(`${n}.list`, LIST_SPLICED, groups.length - 1, { kind: 'enum', names: groupNames, sentinels: { [-1]: 'on no list', [LIST_SPLICED]: "spliced onto async_free_zspage's local list" } }));
      this.zslCnt.push(zadd(`${zl}.cnt`, -1, T, { kind: 'int', sentinels: { [-1]: '-1 (write-locked)' } }));
      this.zslWriter.push(this.add(`${n}.${zl}.writer`, 0, T, owner));
      this.zslReaders.push(this.add(`${n}.${zl}.readers`, 0, readerMask, readers));
      this.zLocked.push(memdesc ? this.add(`${n}.flags.PG_locked`, 0, T, owner) : -1);
      this.zRefcount.push(memdesc ? this.add(`${n}._refcount`, 0, pages + 2 * T + 1, { kind: 'int', picture: 'show' }) : -1);
      this.zMapping.push(memdesc ? zadd('mapping', 0, 1, flag) : -1);
    }

    for (let p = 0; p < N; p++) {
      const n = `page[${p}]`;
      this.pBuddy.push(this.add(`${n}.PageBuddy`, 0, 1, { kind: 'flag', picture: 'free' }));
      this.pRefcount.push(this.add(`${n}._refcount`, 0, 2 * T + 2, { kind: 'int', picture: 'show' }));
      this.pLocked.push(this.add(`${n}.flags.PG_locked`, 0, T, owner));
      this.pPrivate.push(this.add(`${n}.flags.PG_private`, 0, 1, flag));
      this.pMovable.push(this.add(legacy ? `${n}.mapping.PAGE_MAPPING_MOVABLE` : `${n}.flags.PG_movable_ops`, 0, 1, flag));
      this.pIsolated.push(this.add(legacy ? `${n}.flags.PG_isolated` : `${n}.flags.PG_movable_ops_isolated`, 0, 1, flag));
      this.pZspage.push(this.add(memdesc ? `${n}.memdesc` : legacy ? `${n}.private` : `${n}.zspage`, -1, K - 1, zspageRef));
      this.pNext.push(this.add(legacy ? `${n}.index` : `${n}.next`, -1, N - 1, pageRef('end of chain')));
      this.pFirstObjOffset.push(this.add(`${n}.first_obj_offset`, 0, U, count));
      this.pPageType.push(design === 'zpdesc' ? this.add(`${n}.page_type.PGTY`, 0, PGTY_ZSMALLOC, { kind: 'hex', sentinels: { 0: '0 (no type)' } }) : -1);
      this.pHandle.push(this.add(`${n}.handle`, 0, H, { kind: 'ref', of: 'handle', names: handleNames, offset: 1, sentinels: { 0: 'none' } }));
      const hdr: number[] = [];
      const data: number[] = [];
      for (let u = 0; u < U; u++) {
        hdr.push(this.add(`${n}.obj_header[${u}]`, 0, hdrMax, { kind: 'enum', names: hdrNames }));
        data.push(this.add(`${n}.data[${u}]`, 0, maxPayload, count));
      }
      this.pHdr.push(hdr);
      this.pData.push(data);
    }

    for (let h = 0; h < H; h++) {
      const n = `handle[${handleName(h)}]`;
      this.hState.push(this.add(`${n}.state`, 0, 2, { kind: 'enum', names: { [HANDLE_FREE]: 'free', [HANDLE_LIVE]: 'live', [HANDLE_FREEING]: 'being freed' }, picture: 'alive' }));
      this.hObj.push(this.add(`${n}.obj`, -1, maxObj, objRef));
      this.hPayload.push(this.add(`${n}.payload`, 0, maxPayload, count));
      // E1–E2 HANDLE_PIN_BIT; the model keeps the owner (thread+1) so exclusivity is checkable.
      this.hPin.push(legacy ? this.add(`${n}.HANDLE_PIN_BIT`, 0, T, owner) : -1);
    }

    const maxNode = K + pool.classes.length * groups.length + T + N + T - 1;
    // [lo, hi] of a list_head word: node ids + 1 (and the poison values for an entry).
    const nodeLo = (entry: boolean): number => (listWords && entry ? -2 : 0);
    const nodeHi = listWords ? maxNode + 1 : 0;
    for (let z = 0; z < K; z++) {
      this.zListNext.push(this.add(`zspage[${z}].list.next`, nodeLo(true), nodeHi, listNode));
      this.zListPrev.push(this.add(`zspage[${z}].list.prev`, nodeLo(true), nodeHi, listNode));
    }
    for (let c = 0; c < pool.classes.length; c++) {
      this.headNext.push(groups.map((g) => this.add(`class[${c}].fullness_list[${g}].next`, nodeLo(false), nodeHi, listNode)));
      this.headPrev.push(groups.map((g) => this.add(`class[${c}].fullness_list[${g}].prev`, nodeLo(false), nodeHi, listNode)));
    }
    for (let p = 0; p < N; p++) {
      this.pLruNext.push(this.add(`page[${p}].lru.next`, nodeLo(true), nodeHi, listNode));
      this.pLruPrev.push(this.add(`page[${p}].lru.prev`, nodeLo(true), nodeHi, listNode));
    }
    this.listCorrupt = this.add('CONFIG_DEBUG_LIST.report', 0, listWords ? 6 : 0, count);

    const maxLocal = Math.max(N + K, maxObj, 16);
    for (let t = 0; t < T; t++) {
      const n = threadNames[t];
      this.tPc.push(this.add(`${n}.pc`, 0, labelCount, { kind: 'control', role: 'pc', thread: t }));
      this.tOp.push(this.add(`${n}.op`, 0, maxOps, { kind: 'control', role: 'op', thread: t }));
      this.tZ.push(this.add(`${n}.zspage`, -1, K - 1, { ...zspageRef, sentinels: none }));
      this.tC.push(this.add(`${n}.class`, -1, pool.classes.length - 1, classRef));
      this.tP.push(this.add(`${n}.page`, -1, N - 1, pageRef('none')));
      this.tQ.push(this.add(`${n}.newpage`, -1, N - 1, pageRef('none')));
      this.tR.push(this.add(`${n}.cursor`, -1, N - 1, pageRef('none')));
      this.tI.push(this.add(`${n}.idx`, -1, maxLocal, { kind: 'int', sentinels: none }));
      this.tObj.push(this.add(`${n}.obj`, -1, maxObj, objRef));
      this.tH.push(this.add(`${n}.handle`, -1, H - 1, handleRef));
      this.tRet.push(this.add(`${n}.ret`, -1, labelCount, { kind: 'control', role: 'ret', thread: t }));
      this.tW.push(this.add(`${n}.word`, -1, maxLocal, { kind: 'int', sentinels: none }));
      this.tSrcFolio.push(memdesc ? this.add(`${n}.src_folio`, -1, N + K - 1, { kind: 'enum', names: folioNames }) : -1);
      this.tListNext.push(this.add(`${n}.free_pages.next`, nodeLo(false), nodeHi, listNode));
      this.tListPrev.push(this.add(`${n}.free_pages.prev`, nodeLo(false), nodeHi, listNode));
      this.tMigNext.push(this.add(`${n}.migratepages.next`, nodeLo(false), nodeHi, listNode));
      this.tMigPrev.push(this.add(`${n}.migratepages.prev`, nodeLo(false), nodeHi, listNode));
      this.tDstFolio.push(memdesc ? this.add(`${n}.dst_folio`, -1, N + K - 1, { kind: 'enum', names: folioNames }) : -1);
    }
  }
}
