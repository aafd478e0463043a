import type { StateVector, StepContext } from '../../explorer/system.js';
import { StepMachine, type Program, type Step } from '../step-machine/index.js';
import type { BuddyDesign, BuddyOptions } from './designs.js';
import type { BuddyMutationId } from './mutations.js';
import { ZONE_ID, type BuddyOp, type ZoneShape } from './program.js';

/** Invariant names the steps report. */
export const BV = {
  freeList: 'buddy-free-list-intact',
  merge: 'buddy-merge-same-order',
  doubleAlloc: 'buddy-no-double-alloc',
  zone: 'buddy-zone-kept',
  walker: 'buddy-walker-order',
  initOnFree: 'buddy-init-on-free-zeroed',
  reported: 'buddy-reported-page-unmodified',
} as const;

/** truth.owner values (ghost): free, allocated, isolated by free page reporting. */
export const OWNER_FREE = 0;
export const OWNER_ALLOCATED = 1;
export const OWNER_REPORTING = 2;

export interface BuddyMachineSpec {
  readonly design: BuddyDesign;
  readonly zone: ZoneShape;
  readonly threads: readonly Program<BuddyOp>[];
  readonly setupLength: number;
  readonly mutations: ReadonlySet<BuddyMutationId>;
  readonly options: BuddyOptions;
  readonly steps: readonly Step<BuddyMachine>[];
  readonly entry: (op: BuddyOp) => string;
}

/**
 * One zone's free lists as a state vector. List links are references: 0 is NULL (what zeroed
 * memory reads), node n is n + 1, the list head of order o is HEAD(o), and list_del() leaves
 * LIST_POISON1/LIST_POISON2 in the entry. A node is a pfn (struct page or the page's own
 * memory) or a descriptor. `truth.*` fields are ghost state: what each page really is, kept by
 * the model to judge the layout's fields against.
 */
export class BuddyMachine extends StepMachine<BuddyOp, BuddyMachine> {
  readonly N: number;
  readonly MAXO: number;
  readonly POISON1: number;
  readonly POISON2: number;
  readonly pBuddy: number[] = [];
  readonly pWord: number[] = [];
  readonly pOrder: number[] = [];
  readonly pReported: number[] = [];
  readonly pZone: number[] = [];
  readonly pData: number[] = [];
  readonly nNext: number[] = [];
  readonly nPrev: number[] = [];
  readonly dPfn: number[] = [];
  readonly dOrder: number[] = [];
  readonly dZone: number[] = [];
  readonly dReported: number[] = [];
  readonly hNext: number[] = [];
  readonly hPrev: number[] = [];
  readonly nrFree: number[] = [];
  readonly block: number[] = [];
  readonly owner: number[] = [];
  readonly lPfn: number[] = [];
  readonly lOrder: number[] = [];
  /** The descriptor a walker read from a page's word (buddy-descriptor). */
  readonly lDesc: number[] = [];

  constructor(readonly spec: BuddyMachineSpec) {
    super(spec.design, spec.steps, spec.threads, spec.setupLength);
    const N = spec.zone.pages;
    this.N = N;
    this.MAXO = Math.log2(N);
    this.POISON1 = N + 2 + this.MAXO;
    this.POISON2 = N + 3 + this.MAXO;
    const R = this.POISON2;
    const t = this.table;
    const d = spec.design;
    for (let p = 0; p < N; p++) {
      if (d === 'buddy-descriptor') this.pWord.push(t.add(`page[${p}].memdesc`, 0, N));
      else this.pBuddy.push(t.add(d === 'buddy-struct-page' ? `page[${p}].page_type(PageBuddy)` : `page[${p}].allocator(PageBuddy)`, 0, 1));
      if (d === 'buddy-struct-page') {
        this.pOrder.push(t.add(`page[${p}].private(order)`, 0, this.MAXO));
        this.pReported.push(t.add(`page[${p}].flags.PG_reported`, 0, 1));
        this.pZone.push(t.add(`page[${p}].flags.zone`, 0, ZONE_ID));
        this.nNext.push(t.add(`page[${p}].buddy_list.next`, 0, R));
        this.nPrev.push(t.add(`page[${p}].buddy_list.prev`, 0, R));
      } else if (d === 'buddy-in-page') {
        this.pReported.push(t.add(`page[${p}].allocator(PageReported)`, 0, 1));
        this.pZone.push(t.add(`page[${p}].allocatee(zone)`, 0, ZONE_ID));
        this.nNext.push(t.add(`page[${p}].mem.next`, 0, R));
        this.nPrev.push(t.add(`page[${p}].mem.prev`, 0, R));
        this.pOrder.push(t.add(`page[${p}].mem.order`, 0, this.MAXO));
      }
      this.pData.push(t.add(`page[${p}].data`, 0, 1));
    }
    if (d === 'buddy-descriptor') {
      for (let n = 0; n < N; n++) {
        this.dPfn.push(t.add(`desc[${n}].pfn`, -1, N - 1));
        this.dOrder.push(t.add(`desc[${n}].order`, 0, this.MAXO));
        this.dZone.push(t.add(`desc[${n}].zone`, 0, ZONE_ID));
        this.dReported.push(t.add(`desc[${n}].reported`, 0, 1));
        this.nNext.push(t.add(`desc[${n}].buddy_list.next`, 0, R));
        this.nPrev.push(t.add(`desc[${n}].buddy_list.prev`, 0, R));
      }
    }
    for (let o = 0; o <= this.MAXO; o++) {
      this.hNext.push(t.add(`free_area[${o}].free_list.next`, 0, R));
      this.hPrev.push(t.add(`free_area[${o}].free_list.prev`, 0, R));
      this.nrFree.push(t.add(`free_area[${o}].nr_free`, 0, N));
    }
    for (let p = 0; p < N; p++) {
      this.block.push(t.add(`truth.page[${p}].free_order`, -1, this.MAXO));
      this.owner.push(t.add(`truth.page[${p}].owner`, 0, 2));
    }
    for (const name of this.threadNames) {
      this.lPfn.push(t.add(`${name}.pfn`, -1, N - 1));
      this.lOrder.push(t.add(`${name}.order`, -1, this.MAXO));
      this.lDesc.push(t.add(`${name}.desc`, -1, N - 1));
    }
  }

  get options(): BuddyOptions { return this.spec.options; }
  has(m: BuddyMutationId): boolean { return this.spec.mutations.has(m); }
  get descriptor(): boolean { return this.design === 'buddy-descriptor'; }
  get inPage(): boolean { return this.design === 'buddy-in-page'; }

  protected entry(op: BuddyOp): string { return this.spec.entry(op); }
  protected resetLocals(s: StateVector, t: number): void { s[this.lPfn[t]] = -1; s[this.lOrder[t]] = -1; s[this.lDesc[t]] = -1; }
  /** Boot: every page allocated (memblock's), with node/zone in flags where that is where they
   *  live; the setup frees pages into the zone as memblock_free_all() would. */
  protected boot(s: StateVector): void {
    for (let p = 0; p < this.N; p++) {
      s[this.owner[p]] = OWNER_ALLOCATED; s[this.block[p]] = -1; s[this.pData[p]] = 1;
      if (this.design === 'buddy-struct-page') s[this.pZone[p]] = ZONE_ID;
    }
    for (let n = 0; n < this.dPfn.length; n++) s[this.dPfn[n]] = -1;
    for (let o = 0; o <= this.MAXO; o++) { s[this.hNext[o]] = this.HEAD(o); s[this.hPrev[o]] = this.HEAD(o); }
  }

  // ---- references ---------------------------------------------------------------------------

  HEAD(o: number): number { return this.N + 1 + o; }
  isNode(r: number): boolean { return r >= 1 && r <= this.N; }
  isHead(r: number): boolean { return r >= this.N + 1 && r <= this.N + 1 + this.MAXO; }
  refName(r: number): string {
    if (r === 0) return 'NULL';
    if (this.isNode(r)) return this.descriptor ? `desc[${r - 1}]` : `page[${r - 1}]`;
    if (this.isHead(r)) return `free_area[${r - this.N - 1}]`;
    return r === this.POISON1 ? 'LIST_POISON1' : 'LIST_POISON2';
  }
  next(s: StateVector, r: number): number { return this.isNode(r) ? s[this.nNext[r - 1]] : s[this.hNext[r - this.N - 1]]; }
  prev(s: StateVector, r: number): number { return this.isNode(r) ? s[this.nPrev[r - 1]] : s[this.hPrev[r - this.N - 1]]; }
  setNext(s: StateVector, r: number, v: number): void { if (this.isNode(r)) s[this.nNext[r - 1]] = v; else s[this.hNext[r - this.N - 1]] = v; }
  setPrev(s: StateVector, r: number, v: number): void { if (this.isNode(r)) s[this.nPrev[r - 1]] = v; else s[this.hPrev[r - this.N - 1]] = v; }

  /** The list node of pfn p (-1: none, in the descriptor design when p has no descriptor). */
  nodeOf(s: StateVector, p: number): number { return this.descriptor ? s[this.pWord[p]] - 1 : p; }
  pfnOfNode(s: StateVector, n: number): number { return this.descriptor ? s[this.dPfn[n]] : n; }

  // ---- the layout's free-page fields --------------------------------------------------------

  /** PageBuddy(page): page_type, the allocator word's type, or "the word names a descriptor". */
  pageBuddy(s: StateVector, p: number): boolean {
    return this.descriptor ? s[this.pWord[p]] !== 0 : s[this.pBuddy[p]] === 1;
  }
  /** buddy_order(page), read through the layout. */
  buddyOrder(s: StateVector, p: number): number {
    if (!this.descriptor) return s[this.pOrder[p]];
    const n = s[this.pWord[p]] - 1;
    return n >= 0 ? s[this.dOrder[n]] : 0;
  }
  /** page_zone_id(page) of a free block head, read through the layout. */
  zoneOf(s: StateVector, p: number): number {
    if (!this.descriptor) return s[this.pZone[p]];
    const n = s[this.pWord[p]] - 1;
    return n >= 0 ? s[this.dZone[n]] : 0;
  }
  reported(s: StateVector, p: number): boolean {
    if (!this.descriptor) return s[this.pReported[p]] === 1;
    const n = s[this.pWord[p]] - 1;
    return n >= 0 && s[this.dReported[n]] === 1;
  }
  setReported(s: StateVector, p: number): void {
    if (!this.descriptor) s[this.pReported[p]] = 1;
    else s[this.dReported[s[this.pWord[p]] - 1]] = 1;
  }

  /** set_buddy_order() + __SetPageBuddy() (+ node/zone where the layout keeps them per free
   *  block). Returns the list node. */
  setBuddy(s: StateVector, p: number, order: number, zone: number): number {
    if (this.descriptor) {
      let n = 0;
      while (n < this.N && s[this.dPfn[n]] >= 0) n++;
      if (n === this.N) throw new Error('buddy-descriptor: no free descriptor (more free blocks than pages)');
      s[this.dPfn[n]] = p; s[this.dOrder[n]] = order; s[this.dZone[n]] = zone; s[this.dReported[n]] = 0;
      s[this.pWord[p]] = n + 1;
      return n;
    }
    s[this.pOrder[p]] = order;
    s[this.pBuddy[p]] = 1;
    if (this.inPage) s[this.pZone[p]] = zone;
    return p;
  }
  /** __ClearPageBuddy() + set_page_private(page, 0) (+ the descriptor freed). */
  clearBuddy(s: StateVector, p: number): void {
    if (this.descriptor) {
      const n = s[this.pWord[p]] - 1;
      if (n >= 0) {
        s[this.dPfn[n]] = -1; s[this.dOrder[n]] = 0; s[this.dZone[n]] = 0; s[this.dReported[n]] = 0;
        s[this.nNext[n]] = 0; s[this.nPrev[n]] = 0;
      }
      s[this.pWord[p]] = 0;
      return;
    }
    s[this.pBuddy[p]] = 0;
    s[this.pOrder[p]] = 0;
    s[this.pReported[p]] = 0;
    if (this.inPage) s[this.pZone[p]] = 0;
  }

  /** Whether page p's memory reads as zeroes (the in-page layout's node and order are memory). */
  memZero(s: StateVector, p: number): string | null {
    if (s[this.pData[p]] !== 0) return 'data';
    if (this.inPage) {
      if (s[this.nNext[p]] !== 0) return `mem.next = ${this.refName(s[this.nNext[p]])}`;
      if (s[this.nPrev[p]] !== 0) return `mem.prev = ${this.refName(s[this.nPrev[p]])}`;
      if (s[this.pOrder[p]] !== 0) return `mem.order = ${s[this.pOrder[p]]}`;
    }
    return null;
  }
  /** The host (or kernel_init_pages) zeroes page p's memory. */
  zeroMem(s: StateVector, p: number): void {
    s[this.pData[p]] = 0;
    if (this.inPage) { s[this.nNext[p]] = 0; s[this.nPrev[p]] = 0; s[this.pOrder[p]] = 0; }
  }

  // ---- lists (callers hold zone->lock: each is inside one step) -----------------------------

  /**
   * A list operation writes the link of a neighbour `r`. In the in-page layout that is a write
   * into the neighbour page's memory; if that page is PageReported, the host has to back it
   * again and it is no longer "not modified" since it was reported.
   */
  private neighbourWrite(s: StateVector, r: number, ctx: StepContext, who: string): boolean {
    if (!this.inPage || !this.isNode(r) || s[this.pReported[r - 1]] !== 1) return true;
    ctx.fail(BV.reported, `${who} writes the list link in page[${r - 1}]'s memory, but page[${r - 1}] is PageReported: the host discarded it`);
    return false;
  }

  /** list_add(&page->buddy_list, &area->free_list). */
  listAdd(s: StateVector, n: number, o: number, ctx: StepContext, who: string): boolean {
    const head = this.HEAD(o);
    const first = s[this.hNext[o]];
    if (!this.isNode(first) && first !== head) {
      ctx.fail(BV.freeList, `${who}: list_add to free_area[${o}], whose next is ${this.refName(first)}`);
      return false;
    }
    if (!this.neighbourWrite(s, first, ctx, who)) return false;
    s[this.nNext[n]] = first;
    s[this.nPrev[n]] = head;
    this.setPrev(s, first, n + 1);
    s[this.hNext[o]] = n + 1;
    return true;
  }
  /** list_del(&page->buddy_list) with CONFIG_DEBUG_LIST's __list_del_entry_valid(). */
  listDel(s: StateVector, n: number, ctx: StepContext, who: string): boolean {
    const r = n + 1;
    const nx = s[this.nNext[n]];
    const pv = s[this.nPrev[n]];
    const ok = (x: number) => this.isNode(x) || this.isHead(x);
    if (!ok(nx) || !ok(pv) || this.prev(s, nx) !== r || this.next(s, pv) !== r) {
      ctx.fail(BV.freeList, `${who}: list_del(${this.refName(r)}) finds next = ${this.refName(nx)}, prev = ${this.refName(pv)}: the free list is corrupted`);
      return false;
    }
    if (!this.neighbourWrite(s, nx, ctx, who) || !this.neighbourWrite(s, pv, ctx, who)) return false;
    this.setPrev(s, nx, pv);
    this.setNext(s, pv, nx);
    s[this.nNext[n]] = this.POISON1;
    s[this.nPrev[n]] = this.POISON2;
    return true;
  }

  /** del_page_from_free_list(). */
  delFromFreeList(s: StateVector, p: number, o: number, ctx: StepContext, who: string): boolean {
    const n = this.nodeOf(s, p);
    if (n < 0 || !this.listDel(s, n, ctx, who)) return false;
    this.clearBuddy(s, p);
    s[this.nrFree[o]]--;
    s[this.block[p]] = -1;
    return true;
  }
  /** __add_to_free_list() of a block head: the layout's fields, the list, the ghost. */
  addToFreeList(s: StateVector, p: number, o: number, zone: number, ctx: StepContext, who: string): boolean {
    const n = this.setBuddy(s, p, o, zone);
    if (!this.listAdd(s, n, o, ctx, who)) return false;
    s[this.nrFree[o]]++;
    s[this.block[p]] = o;
    return true;
  }

  /**
   * __free_one_page(): merge with pfn ^ (1 << order) while it is PageBuddy, of the same order
   * and zone (page_is_buddy(); BM1 skips the order), then put the block on its free list.
   */
  freeOnePage(s: StateVector, pfn: number, order: number, ctx: StepContext, who: string): boolean {
    while (order < this.MAXO) {
      const buddy = pfn ^ (1 << order);
      if (!this.pageBuddy(s, buddy)) break;
      if (!this.has('BM1') && this.buddyOrder(s, buddy) !== order) break;
      if (this.zoneOf(s, buddy) !== ZONE_ID) break;
      if (s[this.block[buddy]] !== order) {
        const what = s[this.block[buddy]] >= 0 ? `the head of a free order-${s[this.block[buddy]]} block` : s[this.owner[buddy]] === OWNER_FREE ? 'inside a larger free block' : 'not free';
        ctx.fail(BV.merge, `${who}: merges page[${pfn}] (order ${order}) with page[${buddy}], which is ${what}`);
        return false;
      }
      if (!this.delFromFreeList(s, buddy, order, ctx, who)) return false;
      pfn &= buddy;
      order++;
    }
    return this.addToFreeList(s, pfn, order, ZONE_ID, ctx, who);
  }

  get(s: StateVector, local: number[], t: number): number { return s[local[t]]; }
  set(s: StateVector, local: number[], t: number, v: number): void { s[local[t]] = v; }
}
