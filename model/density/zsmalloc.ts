/**
 * zsmalloc's density: zs_malloc(), zs_free() and zs_compact() of mm/zsmalloc.c (6.3+ fullness
 * groups) over zspage counts. Which zspage an object goes to follows the kernel: find_get_zspage()
 * takes the head of the fullest non-full fullness list, fix_fullness_group() moves a zspage to the
 * head of its new list only when its group changes, a zspage whose last object is freed is freed
 * (free_zspage; the trylock never fails in a sequential replay). The fullness rules and scan orders
 * are the model's (model/zsmalloc/shape.ts, design `zpdesc`). Objects' positions inside a zspage do
 * not change any page count, so a zspage is its class and its in-use count.
 */
import { dstScanOrder, fullnessGroup, fullnessGroups, mallocScanOrder, srcScanOrder } from '../zsmalloc/shape.js';
import { IdPool, IntLists, IntVec } from './int-lists.js';
import type { ClassUsage, DensityAllocator, DensityResult } from './types.js';
import { classForRequest, deriveClassTable, ZS_HANDLE_SIZE, type ClassTable } from './zsmalloc-classes.js';

const DESIGN = 'zpdesc' as const;
const NR_FULLNESS_GROUPS = fullnessGroups(DESIGN).length;
const RATIO_0 = 0;
const RATIO_100 = NR_FULLNESS_GROUPS - 1;
const MALLOC_ORDER = mallocScanOrder(DESIGN);
const SRC_ORDER = srcScanOrder(DESIGN);
const DST_ORDER = dstScanOrder(DESIGN);

export class ZsmallocPool implements DensityAllocator {
  readonly table: ClassTable;
  private readonly lists: IntLists;
  private readonly ids = new IdPool();
  private readonly zsClass = new IntVec();
  private readonly zsInuse = new IntVec();
  private readonly zsFullness = new IntVec();
  private readonly objZspage = new IntVec(1024, -1);
  private readonly objSize = new IntVec();
  /** Per class: ZS_OBJS_ALLOCATED, ZS_OBJS_INUSE, bytes requested by live objects, zspages. */
  private readonly allocated: Float64Array;
  private readonly inuse: Float64Array;
  private readonly bytes: Float64Array;
  private readonly zspages: Float64Array;
  private pages = 0;

  constructor(readonly pageSize: number, readonly chainSize: number) {
    this.table = deriveClassTable({ pageSize, chainSize });
    const n = this.table.classes.length;
    this.lists = new IntLists(n * NR_FULLNESS_GROUPS);
    this.allocated = new Float64Array(n);
    this.inuse = new Float64Array(n);
    this.bytes = new Float64Array(n);
    this.zspages = new Float64Array(n);
  }

  get label(): string {
    return `zsmalloc chain ${this.chainSize}`;
  }

  private objs(c: number): number {
    return this.table.classes[c].objsPerZspage;
  }

  private group(zs: number): number {
    const c = this.zsClass.a[zs];
    return fullnessGroup(DESIGN, this.zsInuse.a[zs], this.objs(c));
  }

  /** insert_zspage(): list_add at the head of fullness_list[fg]. */
  private insert(zs: number, fg: number): void {
    this.lists.add(this.zsClass.a[zs] * NR_FULLNESS_GROUPS + fg, zs);
    this.zsFullness.a[zs] = fg;
  }

  /** fix_fullness_group(). */
  private fix(zs: number): number {
    const fg = this.group(zs);
    if (fg !== this.zsFullness.a[zs]) {
      this.lists.remove(zs);
      this.insert(zs, fg);
    }
    return fg;
  }

  /** free_zspage() → __free_zspage(). */
  private freeZspage(zs: number): void {
    const c = this.zsClass.a[zs];
    this.lists.remove(zs);
    this.allocated[c] -= this.objs(c);
    this.zspages[c]--;
    this.pages -= this.table.classes[c].pagesPerZspage;
    this.ids.give(zs);
  }

  alloc(id: number, size: number): void {
    if (size < 1 || size > this.pageSize) throw new RangeError(`zs_malloc: size ${size} outside 1..${this.pageSize}`);
    const c = classForRequest(this.table, size);
    let zs = -1;
    for (const fg of MALLOC_ORDER) {
      zs = this.lists.first(c * NR_FULLNESS_GROUPS + fg);
      if (zs >= 0) break;
    }
    if (zs >= 0) {
      this.zsInuse.a[zs]++;
      this.fix(zs);
    } else {
      zs = this.ids.take();
      this.zsClass.ensure(zs);
      this.zsInuse.ensure(zs);
      this.zsFullness.ensure(zs);
      this.zsClass.a[zs] = c;
      this.zsInuse.a[zs] = 1;
      this.insert(zs, this.group(zs));
      this.allocated[c] += this.objs(c);
      this.zspages[c]++;
      this.pages += this.table.classes[c].pagesPerZspage;
    }
    this.objZspage.ensure(id);
    this.objSize.ensure(id);
    this.objZspage.a[id] = zs;
    this.objSize.a[id] = size;
    this.inuse[c]++;
    this.bytes[c] += size;
  }

  free(id: number): void {
    const zs = this.objZspage.a[id];
    if (zs < 0) throw new RangeError(`zs_free: object ${id} is not live`);
    const c = this.zsClass.a[zs];
    this.objZspage.a[id] = -1;
    this.inuse[c]--;
    this.bytes[c] -= this.objSize.a[id];
    this.zsInuse.a[zs]--;
    if (this.fix(zs) === RATIO_0) this.freeZspage(zs);
  }

  /** zs_can_compact(). */
  private canCompact(c: number): number {
    const wasted = this.allocated[c] - this.inuse[c];
    if (wasted <= 0) return 0;
    return Math.floor(wasted / this.objs(c)) * this.table.classes[c].pagesPerZspage;
  }

  private isolate(c: number, order: readonly number[]): number {
    for (const fg of order) {
      const zs = this.lists.first(c * NR_FULLNESS_GROUPS + fg);
      if (zs >= 0) {
        this.lists.remove(zs);
        return zs;
      }
    }
    return -1;
  }

  /** putback_zspage(). */
  private putback(zs: number): number {
    const fg = this.group(zs);
    this.insert(zs, fg);
    return fg;
  }

  /**
   * __zs_compact(): isolate a destination from the fullest groups and sources from the emptiest,
   * move objects until the destination is full or the source empty (migrate_zspage), free an
   * emptied source, and stop when zs_can_compact() says no whole zspage can be freed.
   */
  private compactClass(c: number): number {
    let dst = -1;
    let freed = 0;
    const objs = this.objs(c);
    while (this.canCompact(c) > 0) {
      if (dst < 0) {
        dst = this.isolate(c, DST_ORDER);
        if (dst < 0) break;
      }
      const src = this.isolate(c, SRC_ORDER);
      if (src < 0) break;
      const moved = Math.min(this.zsInuse.a[src], objs - this.zsInuse.a[dst]);
      this.zsInuse.a[src] -= moved;
      this.zsInuse.a[dst] += moved;
      if (this.putback(src) === RATIO_0) {
        this.freeZspage(src);
        freed += this.table.classes[c].pagesPerZspage;
      }
      if (this.group(dst) === RATIO_100) {
        this.putback(dst);
        dst = -1;
      }
    }
    if (dst >= 0) this.putback(dst);
    return freed;
  }

  /** zs_compact(): every owning class from the largest index down. Returns pages freed. */
  compact(): number {
    let freed = 0;
    for (let c = this.table.classes.length - 1; c >= 0; c--) freed += this.compactClass(c);
    return freed;
  }

  /** The live objects' zspage ids are not exposed; this is the object count a zspage holds (tests). */
  zspageInuse(id: number): number {
    const zs = this.objZspage.a[id];
    return zs < 0 ? 0 : this.zsInuse.a[zs];
  }

  result(): DensityResult {
    let rounding = 0;
    let pageTail = 0;
    let headers = 0;
    let unused = 0;
    let objects = 0;
    let storedBytes = 0;
    const classes: ClassUsage[] = [];
    this.table.classes.forEach((k, c) => {
      const n = this.inuse[c];
      if (this.zspages[c] === 0) return;
      const hdr = k.huge ? 0 : ZS_HANDLE_SIZE * n;
      headers += hdr;
      rounding += n * k.size - this.bytes[c] - hdr;
      unused += (this.allocated[c] - n) * k.size;
      pageTail += this.zspages[c] * (k.pagesPerZspage * this.pageSize - k.objsPerZspage * k.size);
      objects += n;
      storedBytes += this.bytes[c];
      classes.push({ index: k.index, size: k.size, pagesPerZspage: k.pagesPerZspage, objsPerZspage: k.objsPerZspage, objects: n, pages: this.zspages[c] * k.pagesPerZspage });
    });
    return {
      label: this.label,
      allocator: 'zsmalloc',
      pageSize: this.pageSize,
      objects,
      rejectedObjects: 0,
      pages: this.pages,
      storedBytes,
      waste: { rounding, pageTail, headers, unused, rejected: 0 },
      classes,
    };
  }
}
