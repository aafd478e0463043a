/**
 * xvmalloc's density: the TLSF-style allocator zram used before zsmalloc (drivers/staging/zram/
 * xvmalloc.c and xvmalloc_int.h, Linux 2.6.33 to 3.2; 64-bit constants of its last version). Each
 * page is carved into blocks, each preceded by an XV_ALIGN-byte header (size, prev offset, flags);
 * a free block of at least XV_MIN_ALLOC_SIZE sits on the free list for its size (lists FL_DELTA bytes
 * apart). xv_malloc() rounds the request to XV_ALIGN, takes the head of the first non-empty list
 * that guarantees a fit (find_block(): the exact list, then the next set bit of the two-level
 * bitmap, which is the first non-empty list at or above it), splits off the remainder and, when
 * nothing fits, grows the pool by one page holding one free block. xv_free() merges with free
 * neighbours and gives the page back once one free block spans it. No object crosses a page, so an
 * object larger than half a page leaves a remainder only smaller objects can use (the weakness the
 * zsmalloc posting names). Requests above XV_MAX_ALLOC_SIZE (PAGE_SIZE - XV_ALIGN) fail; they are
 * counted as stored alone in a page (waste cause "rejected"). zram's own rule of storing objects
 * above 3/4 of a page uncompressed is a zram policy, not the allocator's, and is not applied.
 * Simplification: blocks are records rather than bytes in the page; their order and sizes are the
 * allocator's.
 */
import type { DensityAllocator, DensityResult } from './types.js';

export const XV_ALIGN = 8;
export const XV_MIN_ALLOC_SIZE = 32;

export function xvGeometry(pageSize: number) {
  const pageShift = Math.round(Math.log2(pageSize));
  // "This value is 3 for 4k pages and 4 for 64k pages, for any other page size ... (PAGE_SHIFT - 9)".
  const flDeltaShift = pageShift === 16 ? 4 : pageShift - 9;
  const maxAllocSize = pageSize - XV_ALIGN;
  const flDelta = 1 << flDeltaShift;
  const numFreeLists = Math.floor((maxAllocSize - XV_MIN_ALLOC_SIZE) / flDelta) + 1;
  return { flDeltaShift, flDelta, maxAllocSize, numFreeLists };
}

interface Block {
  page: number;
  offset: number;
  /** Bytes after the header (aligned). */
  size: number;
  free: boolean;
  prevPhys: Block | null;
  nextPhys: Block | null;
  flPrev: Block | null;
  flNext: Block | null;
  /** Free list it is on, -1 for none. */
  list: number;
}

export class XvmallocPool implements DensityAllocator {
  private readonly g: ReturnType<typeof xvGeometry>;
  private readonly heads: (Block | null)[];
  /** One bit per free list, 32 lists a word. */
  private readonly bitmap: Uint32Array;
  private readonly objBlock: (Block | null | 'rejected')[] = [];
  private readonly objSize: number[] = [];
  private nextPage = 0;
  private freePageIds: number[] = [];
  private pages = 0;
  private objects = 0;
  private bytes = 0;
  private alignedBytes = 0;
  private rejected = 0;
  private rejectedBytes = 0;

  constructor(readonly pageSize: number) {
    this.g = xvGeometry(pageSize);
    this.heads = new Array(this.g.numFreeLists).fill(null);
    this.bitmap = new Uint32Array(Math.ceil(this.g.numFreeLists / 32));
  }

  /** get_index_for_insert(): the list of blocks of at most `size`. */
  private insertIndex(size: number): number {
    const s = Math.min(size, this.g.maxAllocSize) & ~(this.g.flDelta - 1);
    return (s - XV_MIN_ALLOC_SIZE) >> this.g.flDeltaShift;
  }

  /** get_index(): the list whose blocks are all at least `size`. */
  private index(size: number): number {
    const s = Math.max(size, XV_MIN_ALLOC_SIZE);
    const aligned = Math.ceil(s / this.g.flDelta) * this.g.flDelta;
    return (aligned - XV_MIN_ALLOC_SIZE) >> this.g.flDeltaShift;
  }

  /** insert_block(): at the head of its list. */
  private insert(b: Block): void {
    const i = this.insertIndex(b.size);
    b.list = i;
    b.flPrev = null;
    b.flNext = this.heads[i];
    if (b.flNext) b.flNext.flPrev = b;
    this.heads[i] = b;
    this.bitmap[i >> 5] |= 1 << (i & 31);
  }

  /** remove_block() / remove_block_head(). */
  private unlink(b: Block): void {
    const i = b.list;
    if (i < 0) return;
    if (b.flPrev) b.flPrev.flNext = b.flNext;
    else this.heads[i] = b.flNext;
    if (b.flNext) b.flNext.flPrev = b.flPrev;
    b.flPrev = b.flNext = null;
    b.list = -1;
    if (!this.heads[i]) this.bitmap[i >> 5] &= ~(1 << (i & 31));
  }

  /** find_block(): first non-empty list at or above get_index(size), -1 if none. */
  private findList(size: number): number {
    let i = this.index(size);
    if (i >= this.g.numFreeLists) return -1;
    let w = i >> 5;
    let bits = this.bitmap[w] & (~0 << (i & 31));
    while (bits === 0) {
      if (++w >= this.bitmap.length) return -1;
      bits = this.bitmap[w];
    }
    i = (w << 5) + (31 - Math.clz32(bits & -bits));
    return i < this.g.numFreeLists ? i : -1;
  }

  /** grow_pool(): one page, one free block spanning it. */
  private grow(): void {
    const page = this.freePageIds.length > 0 ? this.freePageIds.pop()! : this.nextPage++;
    this.pages++;
    this.insert({ page, offset: 0, size: this.pageSize - XV_ALIGN, free: true, prevPhys: null, nextPhys: null, flPrev: null, flNext: null, list: -1 });
  }

  alloc(id: number, origSize: number): void {
    this.objSize[id] = origSize;
    this.objects++;
    this.bytes += origSize;
    // On 16/64 KiB pages the largest requests round (get_index) past the last free list, an index
    // the kernel never guarded because xvmalloc only ran on 4 KiB pages: refused here.
    if (origSize > this.g.maxAllocSize || this.index(Math.ceil(origSize / XV_ALIGN) * XV_ALIGN) >= this.g.numFreeLists) {
      this.objBlock[id] = 'rejected';
      this.rejected++;
      this.rejectedBytes += origSize;
      return;
    }
    const size = Math.ceil(origSize / XV_ALIGN) * XV_ALIGN;
    let i = this.findList(size);
    if (i < 0) {
      this.grow();
      i = this.findList(size);
    }
    const block = this.heads[i]!;
    this.unlink(block);
    const tmpsize = block.size - size;
    if (tmpsize) {
      const rest: Block = {
        page: block.page,
        offset: block.offset + size + XV_ALIGN,
        size: tmpsize - XV_ALIGN,
        free: true,
        prevPhys: block,
        nextPhys: block.nextPhys,
        flPrev: null,
        flNext: null,
        list: -1,
      };
      if (rest.nextPhys) rest.nextPhys.prevPhys = rest;
      block.nextPhys = rest;
      if (rest.size >= XV_MIN_ALLOC_SIZE) this.insert(rest);
    }
    block.size = size;
    block.free = false;
    this.objBlock[id] = block;
    this.alignedBytes += size;
  }

  free(id: number): void {
    const b0 = this.objBlock[id];
    if (!b0) throw new RangeError(`xv_free: object ${id} is not live`);
    const origSize = this.objSize[id];
    this.objBlock[id] = null;
    this.objects--;
    this.bytes -= origSize;
    if (b0 === 'rejected') {
      this.rejected--;
      this.rejectedBytes -= origSize;
      return;
    }
    this.alignedBytes -= b0.size;
    let block: Block = b0;
    const next = block.nextPhys;
    if (next && next.free) {
      this.unlink(next);
      block.size += next.size + XV_ALIGN;
      block.nextPhys = next.nextPhys;
      if (block.nextPhys) block.nextPhys.prevPhys = block;
    }
    const prev = block.prevPhys;
    if (prev && prev.free) {
      this.unlink(prev);
      prev.size += block.size + XV_ALIGN;
      prev.nextPhys = block.nextPhys;
      if (prev.nextPhys) prev.nextPhys.prevPhys = prev;
      block = prev;
    }
    if (block.size === this.pageSize - XV_ALIGN) {
      this.pages--;
      this.freePageIds.push(block.page);
      return;
    }
    block.free = true;
    if (block.size >= XV_MIN_ALLOC_SIZE) this.insert(block);
  }

  result(): DensityResult {
    const inPages = this.bytes - this.rejectedBytes;
    const live = this.objects - this.rejected;
    return {
      label: 'xvmalloc',
      allocator: 'xvmalloc',
      pageSize: this.pageSize,
      objects: this.objects,
      rejectedObjects: this.rejected,
      pages: this.pages + this.rejected,
      storedBytes: this.bytes,
      waste: {
        rounding: this.alignedBytes - inPages,
        pageTail: 0,
        // Live objects' headers; free blocks' headers count as unused space.
        headers: live * XV_ALIGN,
        unused: this.pages * this.pageSize - this.alignedBytes - live * XV_ALIGN,
        rejected: this.rejected * this.pageSize - this.rejectedBytes,
      },
    };
  }
}
