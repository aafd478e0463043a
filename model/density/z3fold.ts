/**
 * z3fold's density (mm/z3fold.c as of Linux 6.14, its last release): up to three objects per page
 * (FIRST after the header, MIDDLE, LAST right-justified) in chunks of PAGE_SIZE >> 6. The header
 * (struct z3fold_header, 88 bytes on x86-64 without spinlock debugging: list_head 16, spinlock 4,
 * kref 4, work_struct 32, two pointers 16, cpu 2, five shorts 10, rounded to 8) is rounded up to
 * whole chunks: ZHDR_SIZE_ALIGNED = 128 bytes (2 chunks) on 4 KiB pages, 1 chunk on 16/64 KiB.
 * Requests above PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE get a HEADLESS page of their own.
 *
 * Modelled from the kernel: z3fold_alloc() / __z3fold_alloc() (head of the first unbuddied list
 * with enough free chunks, get_free_buddy()), add_to_unbuddied() (num_free_chunks() with a middle
 * buddy), z3fold_free(), and the compaction work a free queues, do_compact_page(): a page left with
 * one buddy and no foreign handles moves it to another page (compact_single_buddy(), which only
 * uses pages already on the unbuddied lists), else z3fold_compact_page() slides the middle buddy.
 * Simplifications: one CPU (one set of unbuddied lists), the work item runs before the next
 * operation, nothing is mapped (MIDDLE_CHUNK_MAPPED never set), no page is under reclaim.
 */
import { IdPool, IntLists, IntVec } from './int-lists.js';
import type { DensityAllocator, DensityResult } from './types.js';

export const Z3FOLD_HEADER_BYTES = 88;
const BIG_CHUNK_GAP = 3;

export function z3foldGeometry(pageSize: number) {
  const chunkSize = pageSize >> 6;
  const zhdrSizeAligned = Math.ceil(Z3FOLD_HEADER_BYTES / chunkSize) * chunkSize;
  const zhdrChunks = zhdrSizeAligned / chunkSize;
  const totalChunks = pageSize / chunkSize;
  const nchunks = totalChunks - zhdrChunks;
  return { chunkSize, zhdrSizeAligned, zhdrChunks, totalChunks, nchunks, headlessAbove: pageSize - zhdrSizeAligned - chunkSize };
}

const HEADLESS = 0;
const FIRST = 1;
const MIDDLE = 2;
const LAST = 3;

export class Z3foldPool implements DensityAllocator {
  private readonly g: ReturnType<typeof z3foldGeometry>;
  private readonly lists: IntLists;
  private readonly ids = new IdPool();
  private readonly first = new IntVec();
  private readonly middle = new IntVec();
  private readonly last = new IntVec();
  private readonly startMiddle = new IntVec();
  private readonly foreign = new IntVec();
  /** The object in each buddy slot (page * 4 + bud), -1 when free. */
  private readonly slot = new IntVec(4096, -1);
  private readonly objPage = new IntVec(1024, -1);
  private readonly objBud = new IntVec();
  private readonly objSize = new IntVec();
  private readonly objForeign = new IntVec();
  private pages = 0;
  private headless = 0;
  private headlessBytes = 0;
  private objects = 0;
  private bytes = 0;
  private chunkBytes = 0;

  constructor(readonly pageSize: number) {
    this.g = z3foldGeometry(pageSize);
    this.lists = new IntLists(this.g.nchunks);
  }

  private chunks(size: number): number {
    return Math.ceil(size / this.g.chunkSize);
  }

  /** Objects on a page (tests: never more than three). */
  buddies(p: number): number {
    return (this.first.a[p] > 0 ? 1 : 0) + (this.middle.a[p] > 0 ? 1 : 0) + (this.last.a[p] > 0 ? 1 : 0);
  }

  pageOf(id: number): number {
    return this.objPage.a[id];
  }

  /** num_free_chunks(). */
  private freeChunks(p: number): number {
    if (this.middle.a[p] !== 0) {
      const before = this.first.a[p] ? 0 : this.startMiddle.a[p] - this.g.zhdrChunks;
      const after = this.last.a[p] ? 0 : this.g.totalChunks - (this.startMiddle.a[p] + this.middle.a[p]);
      return Math.max(before, after);
    }
    return this.g.nchunks - this.first.a[p] - this.last.a[p];
  }

  /** add_to_unbuddied(). */
  private addToUnbuddied(p: number): void {
    if (this.first.a[p] === 0 || this.last.a[p] === 0 || this.middle.a[p] === 0) this.lists.add(this.freeChunks(p), p);
  }

  /** get_free_buddy(). */
  private freeBuddy(p: number, chunks: number): number {
    if (this.middle.a[p]) {
      if (!this.first.a[p] && chunks <= this.startMiddle.a[p] - this.g.zhdrChunks) return FIRST;
      if (!this.last.a[p]) return LAST;
      return HEADLESS;
    }
    if (!this.first.a[p]) return FIRST;
    if (!this.last.a[p]) return LAST;
    return MIDDLE;
  }

  /** __z3fold_alloc(): the head of the first unbuddied list with at least `chunks` free, taken off it. */
  private findPage(chunks: number): number {
    for (let i = chunks; i < this.g.nchunks; i++) {
      const p = this.lists.first(i);
      if (p >= 0) {
        this.lists.remove(p);
        return p;
      }
    }
    return -1;
  }

  private newPage(): number {
    const p = this.ids.take();
    for (const v of [this.first, this.middle, this.last, this.startMiddle, this.foreign]) {
      v.ensure(p);
      v.a[p] = 0;
    }
    this.slot.ensure(p * 4 + 3);
    this.pages++;
    return p;
  }

  /** Puts object `id` of `chunks` into buddy `bud` of page `p` (the `found:` block of z3fold_alloc). */
  private place(p: number, bud: number, chunks: number, id: number): void {
    if (bud === FIRST) this.first.a[p] = chunks;
    else if (bud === LAST) this.last.a[p] = chunks;
    else {
      this.middle.a[p] = chunks;
      this.startMiddle.a[p] = this.first.a[p] + this.g.zhdrChunks;
    }
    this.slot.a[p * 4 + bud] = id;
    this.objPage.a[id] = p;
    this.objBud.a[id] = bud;
  }

  alloc(id: number, size: number): void {
    for (const v of [this.objPage, this.objBud, this.objSize, this.objForeign]) v.ensure(id);
    this.objSize.a[id] = size;
    this.objForeign.a[id] = 0;
    this.objects++;
    this.bytes += size;
    if (size > this.g.headlessAbove) {
      this.objPage.a[id] = -2;
      this.objBud.a[id] = HEADLESS;
      this.headless++;
      this.headlessBytes += size;
      return;
    }
    const chunks = this.chunks(size);
    let p = this.findPage(chunks);
    let bud: number;
    if (p >= 0) {
      bud = this.freeBuddy(p, chunks);
      if (bud === HEADLESS) throw new Error('z3fold: a page on an unbuddied list had no free buddy');
    } else {
      p = this.newPage();
      bud = FIRST;
    }
    this.place(p, bud, chunks, id);
    this.addToUnbuddied(p);
    this.chunkBytes += chunks * this.g.chunkSize;
  }

  private chunksOf(p: number, bud: number): number {
    return bud === FIRST ? this.first.a[p] : bud === MIDDLE ? this.middle.a[p] : this.last.a[p];
  }

  private setChunks(p: number, bud: number, v: number): void {
    if (bud === FIRST) this.first.a[p] = v;
    else if (bud === MIDDLE) this.middle.a[p] = v;
    else this.last.a[p] = v;
  }

  private releasePage(p: number): void {
    this.lists.remove(p);
    this.pages--;
    this.ids.give(p);
  }

  free(id: number): void {
    const p = this.objPage.a[id];
    if (p === -1) throw new RangeError(`z3fold_free: object ${id} is not live`);
    const size = this.objSize.a[id];
    this.objPage.a[id] = -1;
    this.objects--;
    this.bytes -= size;
    if (p === -2) {
      this.headless--;
      this.headlessBytes -= size;
      return;
    }
    const bud = this.objBud.a[id];
    this.chunkBytes -= this.chunksOf(p, bud) * this.g.chunkSize;
    this.setChunks(p, bud, 0);
    this.slot.a[p * 4 + bud] = -1;
    // free_handle(): a handle that came from another page's slots no longer pins this one.
    if (this.objForeign.a[id]) this.foreign.a[p]--;
    if (this.buddies(p) === 0) {
      this.releasePage(p);
      return;
    }
    this.compactPage(p);
  }

  /** do_compact_page(). */
  private compactPage(p: number): void {
    this.lists.remove(p);
    if (this.foreign.a[p] === 0 && this.buddies(p) === 1 && this.compactSingleBuddy(p)) {
      this.releasePage(p);
      return;
    }
    this.compactInPage(p);
    this.addToUnbuddied(p);
  }

  /** compact_single_buddy(): move the page's only buddy to another page with room, if one exists. */
  private compactSingleBuddy(p: number): boolean {
    const bud = this.first.a[p] ? FIRST : this.middle.a[p] ? MIDDLE : LAST;
    const chunks = this.chunksOf(p, bud);
    const id = this.slot.a[p * 4 + bud];
    const q = this.findPage(chunks);
    if (q < 0) return false;
    const newBud = this.freeBuddy(q, chunks);
    if (newBud === HEADLESS) {
      // out_fail: the page goes back on its list and nothing moves.
      this.addToUnbuddied(q);
      return false;
    }
    this.place(q, newBud, chunks, id);
    this.foreign.a[q]++;
    this.objForeign.a[id] = 1;
    this.addToUnbuddied(q);
    this.setChunks(p, bud, 0);
    this.slot.a[p * 4 + bud] = -1;
    return true;
  }

  /** z3fold_compact_page(): slide the middle buddy when that frees at least BIG_CHUNK_GAP chunks. */
  private compactInPage(p: number): void {
    const { zhdrChunks, totalChunks } = this.g;
    if (this.middle.a[p] === 0) return;
    if (this.first.a[p] === 0 && this.last.a[p] === 0) {
      const id = this.slot.a[p * 4 + MIDDLE];
      this.first.a[p] = this.middle.a[p];
      this.middle.a[p] = 0;
      this.startMiddle.a[p] = 0;
      this.slot.a[p * 4 + MIDDLE] = -1;
      this.slot.a[p * 4 + FIRST] = id;
      this.objBud.a[id] = FIRST;
      return;
    }
    if (this.first.a[p] !== 0 && this.last.a[p] === 0 && this.startMiddle.a[p] - (this.first.a[p] + zhdrChunks) >= BIG_CHUNK_GAP) {
      this.startMiddle.a[p] = this.first.a[p] + zhdrChunks;
    } else if (this.last.a[p] !== 0 && this.first.a[p] === 0 && totalChunks - (this.last.a[p] + this.startMiddle.a[p] + this.middle.a[p]) >= BIG_CHUNK_GAP) {
      this.startMiddle.a[p] = totalChunks - this.last.a[p] - this.middle.a[p];
    }
  }

  result(): DensityResult {
    const { chunkSize, zhdrSizeAligned, nchunks } = this.g;
    const inPages = this.bytes - this.headlessBytes;
    return {
      label: 'z3fold',
      allocator: 'z3fold',
      pageSize: this.pageSize,
      objects: this.objects,
      rejectedObjects: 0,
      pages: this.pages + this.headless,
      storedBytes: this.bytes,
      waste: {
        rounding: this.chunkBytes - inPages + (this.headless * this.pageSize - this.headlessBytes),
        pageTail: 0,
        headers: this.pages * zhdrSizeAligned,
        unused: this.pages * nchunks * chunkSize - this.chunkBytes,
        rejected: 0,
      },
    };
  }
}
