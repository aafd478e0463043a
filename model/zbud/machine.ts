import type { StateVector, StepContext } from '../../explorer/system.js';
import { StepMachine, type Program, type Step } from '../step-machine/index.js';
import { ZBUD_PAGE_SLOTS, type ZbudDesign, type ZbudOptions } from './designs.js';
import type { ZbudMutationId } from './mutations.js';
import { entryName, FIRST, LAST, NCHUNKS, type ZbudOp, type ZbudPoolShape } from './program.js';

/** Step-time violations the zbud steps report. */
export const ZV = {
  accessAfterFree: 'zbud-no-access-after-free',
  ownData: 'zbud-handle-own-data',
  walker: 'zbud-walker-classifies',
} as const;

/** zbud_header.buddy: which pool list the page is on. */
export const LIST_NONE = 0;
export const LIST_UNBUDDIED = 1;
export const LIST_BUDDIED = 2;

export interface ZbudMachineSpec {
  readonly design: ZbudDesign;
  readonly pool: ZbudPoolShape;
  readonly threads: readonly Program<ZbudOp>[];
  readonly setupLength: number;
  readonly mutations: ReadonlySet<ZbudMutationId>;
  readonly options: ZbudOptions;
  readonly steps: readonly Step<ZbudMachine>[];
  readonly entry: (op: ZbudOp, design: ZbudDesign) => string;
}

/**
 * The zbud pool as a state vector. Addresses are (page, buddy) pairs encoded as
 * `2 * page + bud + 1` (0: none): what encode_handle() returns in zbud-inline/zbud-page, and
 * what the handle word holds in zbud-indirect, whose handles are `word + 1`.
 */
export class ZbudMachine extends StepMachine<ZbudOp, ZbudMachine> {
  readonly N: number;
  readonly E: number;
  readonly pBuddy: number[] = [];
  readonly pChunks: number[][] = [];
  readonly pList: number[] = [];
  readonly pLru: number[] = [];
  readonly pReclaim: number[] = [];
  readonly pData: number[][] = [];
  /** zbud-indirect: the handle word each buddy belongs to (word + 1), for reclaim's evict. */
  readonly pBackHandle: number[][] = [];
  readonly eHandle: number[] = [];
  readonly eRb: number[] = [];
  readonly eRef: number[] = [];
  readonly wAddr: number[] = [];
  readonly wMapped: number[] = [];
  readonly pagesNr: number;
  readonly tPage: number[] = [];
  readonly tBud: number[] = [];
  readonly tHandle: number[] = [];
  readonly tAddr: number[] = [];
  readonly tFirst: number[] = [];
  readonly tLast: number[] = [];
  readonly tEntry: number[] = [];

  constructor(readonly spec: ZbudMachineSpec) {
    super(spec.design, spec.steps, spec.threads, spec.setupLength);
    const { pages: N, entries: E } = spec.pool;
    this.N = N;
    this.E = E;
    const A = 2 * N;
    const H = this.indirect ? E : A;
    const t = this.table;
    for (let p = 0; p < N; p++) {
      this.pBuddy.push(t.add(`page[${p}].PageBuddy`, 0, 1));
      this.pChunks.push([t.add(this.meta(p, 'first_chunks'), 0, NCHUNKS), t.add(this.meta(p, 'last_chunks'), 0, NCHUNKS)]);
      this.pList.push(t.add(this.meta(p, 'buddy'), 0, 2));
      this.pLru.push(t.add(this.meta(p, 'lru'), 0, 1));
      this.pReclaim.push(t.add(this.design === 'zbud-page' ? `page[${p}].flags.PG_reclaim` : `page[${p}].zhdr.under_reclaim`, 0, 1));
      this.pData.push([t.add(`page[${p}].data[FIRST]`, 0, E), t.add(`page[${p}].data[LAST]`, 0, E)]);
      if (this.indirect) this.pBackHandle.push([t.add(`page[${p}].zhdr.first_handle`, 0, E), t.add(`page[${p}].zhdr.last_handle`, 0, E)]);
    }
    for (let e = 0; e < E; e++) {
      const n = entryName(e);
      this.eHandle.push(t.add(`entry[${n}].handle`, 0, H));
      this.eRb.push(t.add(`entry[${n}].rbnode`, 0, 1));
      this.eRef.push(t.add(`entry[${n}].refcount`, 0, 3));
    }
    if (this.indirect) {
      for (let w = 0; w < E; w++) {
        this.wAddr.push(t.add(`zbud_handle[${w + 1}].addr`, 0, A));
        this.wMapped.push(t.add(`zbud_handle[${w + 1}].mapped`, 0, 3));
      }
    }
    this.pagesNr = t.add('pool.pages_nr', 0, N);
    for (const name of this.threadNames) {
      this.tPage.push(t.add(`${name}.page`, -1, N - 1));
      this.tBud.push(t.add(`${name}.bud`, -1, 1));
      this.tHandle.push(t.add(`${name}.handle`, 0, H));
      this.tAddr.push(t.add(`${name}.addr`, 0, A));
      this.tFirst.push(t.add(`${name}.first_handle`, 0, H));
      this.tLast.push(t.add(`${name}.last_handle`, 0, H));
      this.tEntry.push(t.add(`${name}.entry`, -1, E - 1));
    }
  }

  get indirect(): boolean { return this.design === 'zbud-indirect'; }
  get options(): ZbudOptions { return this.spec.options; }
  has(m: ZbudMutationId): boolean { return this.spec.mutations.has(m); }

  /** The name of a zbud_header field of page p: in the page (zhdr) or in a struct page slot. */
  private meta(p: number, field: 'first_chunks' | 'last_chunks' | 'buddy' | 'lru'): string {
    if (this.design !== 'zbud-page') return `page[${p}].zhdr.${field}`;
    const slots = ZBUD_PAGE_SLOTS[this.spec.options.zbudPageFields];
    const slot = field === 'buddy' ? slots.buddy : field === 'lru' ? slots.lru : slots.counts;
    return `page[${p}].${slot}(${field})`;
  }

  protected entry(op: ZbudOp): string { return this.spec.entry(op, this.spec.design as ZbudDesign); }
  protected resetLocals(s: StateVector, t: number): void {
    s[this.tPage[t]] = -1; s[this.tBud[t]] = -1; s[this.tHandle[t]] = 0; s[this.tAddr[t]] = 0;
    s[this.tFirst[t]] = 0; s[this.tLast[t]] = 0; s[this.tEntry[t]] = -1;
  }
  protected boot(s: StateVector): void {
    for (let p = 0; p < this.N; p++) s[this.pBuddy[p]] = 1;
  }

  // ---- addresses and handles ----------------------------------------------------------------

  addr(p: number, bud: number): number { return 2 * p + bud + 1; }
  addrPage(a: number): number { return (a - 1) >> 1; }
  addrBud(a: number): number { return (a - 1) & 1; }
  addrName(a: number): string { return a === 0 ? 'nothing' : `page[${this.addrPage(a)}].${this.addrBud(a) === FIRST ? 'FIRST' : 'LAST'}`; }

  /** encode_handle(): the address itself, or (zbud-indirect) the word that holds it. */
  encodeHandle(s: StateVector, p: number, bud: number): number {
    return this.indirect ? s[this.pBackHandle[p][bud]] : this.addr(p, bud);
  }
  /** What a handle resolves to now: zbud_map() returns the handle; zbud-indirect reads the word. */
  resolve(s: StateVector, handle: number): number {
    if (handle === 0) return 0;
    return this.indirect ? s[this.wAddr[handle - 1]] : handle;
  }
  handleName(h: number): string { return this.indirect ? `zbud_handle[${h}]` : `handle ${this.addrName(h)}`; }

  // ---- pool helpers (callers hold pool->lock: each is inside one step) ----------------------

  isZbudPage(s: StateVector, p: number): boolean { return s[this.pBuddy[p]] === 0; }
  freeChunks(s: StateVector, p: number): number { return NCHUNKS - s[this.pChunks[p][FIRST]] - s[this.pChunks[p][LAST]]; }
  /** The list zbud_alloc/zbud_free put a page on after changing its chunks. */
  relist(s: StateVector, p: number): void {
    const f = s[this.pChunks[p][FIRST]];
    const l = s[this.pChunks[p][LAST]];
    s[this.pList[p]] = f === 0 || l === 0 ? LIST_UNBUDDIED : LIST_BUDDIED;
  }
  /** The best-fit unbuddied page for `chunks` (the lowest freechunks list, lowest pfn within it). */
  findUnbuddied(s: StateVector, chunks: number): number {
    let best = -1;
    for (let p = 0; p < this.N; p++) {
      if (!this.isZbudPage(s, p) || s[this.pList[p]] !== LIST_UNBUDDIED) continue;
      const fc = this.freeChunks(s, p);
      if (fc < chunks) continue;
      if (best < 0 || fc < this.freeChunks(s, best)) best = p;
    }
    return best;
  }
  /** alloc_page(): the lowest free frame. */
  allocPage(s: StateVector): number {
    for (let p = 0; p < this.N; p++) if (s[this.pBuddy[p]] === 1) { s[this.pBuddy[p]] = 0; return p; }
    return -1;
  }
  /** free_zbud_page(): __free_page, the header (or the struct page fields) cleared. The data
   *  bytes are left as they were: stale contents of a free page. */
  freeZbudPage(s: StateVector, p: number): void {
    s[this.pBuddy[p]] = 1;
    s[this.pChunks[p][FIRST]] = 0; s[this.pChunks[p][LAST]] = 0;
    s[this.pList[p]] = LIST_NONE; s[this.pLru[p]] = 0; s[this.pReclaim[p]] = 0;
    if (this.indirect) { s[this.pBackHandle[p][FIRST]] = 0; s[this.pBackHandle[p][LAST]] = 0; }
    s[this.pagesNr]--;
  }
  /** Allocates a handle word (zbud-indirect): the lowest free one. */
  allocWord(s: StateVector, a: number): number {
    for (let w = 0; w < this.E; w++) if (s[this.wAddr[w]] === 0) { s[this.wAddr[w]] = a; return w + 1; }
    throw new Error('zbud-indirect: no free handle word (the pool shape has fewer words than entries)');
  }

  /**
   * zbud_free(): the body under pool->lock. The LRU-era version leaves a page under reclaim to
   * zbud_reclaim_page (ZB1 drops that check).
   */
  zbudFree(s: StateVector, handle: number, ctx: StepContext, who: string): void {
    const a = this.resolve(s, handle);
    if (a === 0) { ctx.fail(ZV.accessAfterFree, `${who}: zbud_free(${this.handleName(handle)}) of a handle that names nothing`); return; }
    const p = this.addrPage(a);
    if (!this.touch(s, a, ctx, `${who}: zbud_free`)) return;
    const b = this.addrBud(a);
    s[this.pChunks[p][b]] = 0;
    // "zbud page is under reclaim, reclaim will free" (and, in zbud-indirect, release the
    // handle word reclaim still holds).
    if (s[this.pReclaim[p]] === 1 && !this.has('ZB1')) return;
    if (this.indirect) { s[this.pBackHandle[p][b]] = 0; s[this.wAddr[handle - 1]] = 0; }
    s[this.pList[p]] = LIST_NONE;
    if (s[this.pChunks[p][FIRST]] === 0 && s[this.pChunks[p][LAST]] === 0) {
      s[this.pLru[p]] = 0;
      this.freeZbudPage(s, p);
    } else {
      this.relist(s, p);
    }
  }

  /** Any access through an address: the page must still be zbud's, not back in the page allocator. */
  touch(s: StateVector, a: number, ctx: StepContext, what: string): boolean {
    if (a === 0) { ctx.fail(ZV.accessAfterFree, `${what} dereferences a handle that names nothing`); return false; }
    const p = this.addrPage(a);
    if (s[this.pBuddy[p]] === 1) {
      ctx.fail(ZV.accessAfterFree, `${what} accesses ${this.addrName(a)}, but page[${p}] is free in the page allocator`);
      return false;
    }
    return true;
  }

  override locksHeld(s: StateVector, t: number): readonly string[] {
    const out: string[] = [];
    if (this.indirect) this.wMapped.forEach((w, i) => { if (s[w] > 0 && s[this.tAddr[t]] !== 0 && s[this.tHandle[t]] === i + 1) out.push(`zbud_handle[${i + 1}] (mapped)`); });
    return out;
  }

  get(s: StateVector, local: number[], t: number): number { return s[local[t]]; }
  set(s: StateVector, local: number[], t: number, v: number): void { s[local[t]] = v; }
}

export { LAST, FIRST };
