/**
 * zbud's density (mm/zbud.c, as in Linux 6.x before its removal): at most two objects ("buddies")
 * per page, the first left-justified after the header, the last right-justified at the end. Sizes
 * are rounded up to chunks of PAGE_SIZE >> NCHUNKS_ORDER (64 bytes on 4 KiB pages); the header takes
 * the first chunk (ZHDR_SIZE_ALIGNED = CHUNK_SIZE). zbud_alloc() takes the head of the first
 * non-empty unbuddied list with at least the object's chunks free, else a new page; requests larger
 * than PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE fail with -ENOSPC (counted here as stored alone
 * in a page, waste cause "rejected").
 */
import { IdPool, IntLists, IntVec } from './int-lists.js';
import type { DensityAllocator, DensityResult } from './types.js';

export const NCHUNKS_ORDER = 6;

export function zbudGeometry(pageSize: number) {
  const chunkSize = pageSize >> NCHUNKS_ORDER;
  const zhdrSizeAligned = chunkSize;
  const nchunks = (pageSize - zhdrSizeAligned) / chunkSize;
  return { chunkSize, zhdrSizeAligned, nchunks, maxSize: pageSize - zhdrSizeAligned - chunkSize };
}

const FIRST = 1;
const LAST = 2;

export class ZbudPool implements DensityAllocator {
  private readonly g: ReturnType<typeof zbudGeometry>;
  /** unbuddied[0] doubles as the buddied list, as in struct zbud_pool. */
  private readonly lists: IntLists;
  private readonly ids = new IdPool();
  private readonly first = new IntVec();
  private readonly last = new IntVec();
  private readonly objPage = new IntVec(1024, -1);
  private readonly objBud = new IntVec();
  private readonly objSize = new IntVec();
  private pages = 0;
  private objects = 0;
  private bytes = 0;
  private chunkBytes = 0;
  private rejected = 0;
  private rejectedBytes = 0;

  constructor(readonly pageSize: number) {
    this.g = zbudGeometry(pageSize);
    this.lists = new IntLists(this.g.nchunks);
  }

  private chunks(size: number): number {
    return Math.ceil(size / this.g.chunkSize);
  }

  private freeChunks(p: number): number {
    return this.g.nchunks - this.first.a[p] - this.last.a[p];
  }

  /** Buddies on a page (tests: never more than two). */
  buddies(p: number): number {
    return (this.first.a[p] > 0 ? 1 : 0) + (this.last.a[p] > 0 ? 1 : 0);
  }

  pageOf(id: number): number {
    return this.objPage.a[id];
  }

  alloc(id: number, size: number): void {
    this.objPage.ensure(id);
    this.objBud.ensure(id);
    this.objSize.ensure(id);
    this.objSize.a[id] = size;
    this.objects++;
    this.bytes += size;
    if (size > this.g.maxSize) {
      this.objPage.a[id] = -2;
      this.rejected++;
      this.rejectedBytes += size;
      return;
    }
    const chunks = this.chunks(size);
    let p = -1;
    for (let i = chunks; i < this.g.nchunks; i++) {
      p = this.lists.first(i);
      if (p >= 0) break;
    }
    let bud: number;
    if (p >= 0) {
      this.lists.remove(p);
      bud = this.first.a[p] === 0 ? FIRST : LAST;
    } else {
      p = this.ids.take();
      this.first.ensure(p);
      this.last.ensure(p);
      this.first.a[p] = 0;
      this.last.a[p] = 0;
      this.pages++;
      bud = FIRST;
    }
    if (bud === FIRST) this.first.a[p] = chunks;
    else this.last.a[p] = chunks;
    this.lists.add(this.first.a[p] === 0 || this.last.a[p] === 0 ? this.freeChunks(p) : 0, p);
    this.objPage.a[id] = p;
    this.objBud.a[id] = bud;
    this.chunkBytes += chunks * this.g.chunkSize;
  }

  free(id: number): void {
    const p = this.objPage.a[id];
    if (p === -1) throw new RangeError(`zbud_free: object ${id} is not live`);
    const size = this.objSize.a[id];
    this.objPage.a[id] = -1;
    this.objects--;
    this.bytes -= size;
    if (p === -2) {
      this.rejected--;
      this.rejectedBytes -= size;
      return;
    }
    this.chunkBytes -= this.chunks(size) * this.g.chunkSize;
    if (this.objBud.a[id] === FIRST) this.first.a[p] = 0;
    else this.last.a[p] = 0;
    this.lists.remove(p);
    if (this.first.a[p] === 0 && this.last.a[p] === 0) {
      this.pages--;
      this.ids.give(p);
    } else {
      this.lists.add(this.freeChunks(p), p);
    }
  }

  result(): DensityResult {
    const { chunkSize, zhdrSizeAligned, nchunks } = this.g;
    const storedInPages = this.bytes - this.rejectedBytes;
    return {
      label: 'zbud',
      allocator: 'zbud',
      pageSize: this.pageSize,
      objects: this.objects,
      rejectedObjects: this.rejected,
      pages: this.pages + this.rejected,
      storedBytes: this.bytes,
      waste: {
        rounding: this.chunkBytes - storedInPages,
        pageTail: 0,
        headers: this.pages * zhdrSizeAligned,
        unused: this.pages * nchunks * chunkSize - this.chunkBytes,
        rejected: this.rejected * this.pageSize - this.rejectedBytes,
      },
    };
  }
}
