/**
 * The zbud steps, split where the kernel drops pool->lock (mm/zbud.c of the LRU era, v3.11-v6.4:
 * zbud_alloc() drops it around alloc_page(); zbud_reclaim_page() drops it around the evict
 * callbacks) and where the user touches the data without it (zbud_map() is the handle itself).
 * A step is one critical section: the pool lock and the zswap tree lock are never held across
 * steps, so they are not state.
 */
import { match } from 'ts-pattern';
import type { StateVector, StepContext } from '../../explorer/system.js';
import type { Step } from '../step-machine/index.js';
import type { ZbudDesign } from './designs.js';
import { LIST_NONE, LIST_UNBUDDIED, ZV, type ZbudMachine } from './machine.js';
import { entryName, FIRST, LAST, type ZbudOp } from './program.js';

type S = Step<ZbudMachine>;

function opEntry(m: ZbudMachine, s: StateVector, t: number): number {
  const op = m.op(s, t);
  return 'entry' in op ? op.entry : -1;
}

/** The `found:` tail of zbud_alloc(): chunks, lists, LRU head, encode_handle(). */
function found(m: ZbudMachine, s: StateVector, t: number, p: number, bud: number, chunks: number): void {
  s[m.pChunks[p][bud]] = chunks;
  m.relist(s, p);
  s[m.pLru[p]] = 1;
  if (m.indirect) s[m.pBackHandle[p][bud]] = m.allocWord(s, m.addr(p, bud));
  m.set(s, m.tPage, t, p);
  m.set(s, m.tBud, t, bud);
  m.set(s, m.tHandle, t, m.encodeHandle(s, p, bud));
  m.goto(s, t, m.indirect ? 'zswap_store:map' : 'zswap_store:copy');
}

/** zswap_writeback_entry() for one handle: read the swap entry stored in the data, look the
 *  tree entry up, write it back, erase it and drop its references (the last one frees). */
function evict(m: ZbudMachine, s: StateVector, t: number, handle: number, ctx: StepContext): void {
  if (handle === 0) return;
  const a = m.resolve(s, handle);
  if (!m.touch(s, a, ctx, `zswap_writeback_entry(${m.handleName(handle)})`)) return;
  const e = s[m.pData[m.addrPage(a)][m.addrBud(a)]] - 1;
  // The entry was invalidated meanwhile: the data is stale and the tree has no such entry.
  if (e < 0 || s[m.eRb[e]] === 0 || s[m.eHandle[e]] !== handle) return;
  s[m.eRb[e]] = 0;
  if (--s[m.eRef[e]] === 0) {
    m.zbudFree(s, handle, ctx, 'zswap_writeback_entry');
    s[m.eHandle[e]] = 0;
  }
}

/** The (source page, buddy, destination page) moves relocation may make now. */
function relocations(m: ZbudMachine, s: StateVector): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let p = 0; p < m.N; p++) {
    if (!m.isZbudPage(s, p) || s[m.pReclaim[p]] === 1) continue;
    for (const b of [FIRST, LAST]) {
      const chunks = s[m.pChunks[p][b]];
      if (chunks === 0) continue;
      // zbud-indirect waits for zbud_unmap() of the buddy it moves (ZB2 does not).
      if (m.indirect && !m.has('ZB2') && s[m.wMapped[s[m.pBackHandle[p][b]] - 1]] > 0) continue;
      for (let d = 0; d < m.N; d++) {
        if (d === p || !m.isZbudPage(s, d) || s[m.pReclaim[d]] === 1 || s[m.pList[d]] !== LIST_UNBUDDIED) continue;
        if (m.freeChunks(s, d) >= chunks) out.push([p, b, d]);
      }
    }
  }
  return out;
}

function lruPages(m: ZbudMachine, s: StateVector): number[] {
  const out: number[] = [];
  for (let p = 0; p < m.N; p++) if (s[m.pLru[p]] === 1) out.push(p);
  return out;
}

export const zbudSteps: readonly S[] = [
  // ---- zswap_frontswap_store -> zbud_alloc ---------------------------------------------------
  {
    label: 'zbud_alloc:lock_find_unbuddied',
    run(m, s, t) {
      const op = m.op(s, t) as Extract<ZbudOp, { kind: 'store' }>;
      const p = m.findUnbuddied(s, op.chunks);
      if (p < 0) { m.goto(s, t, 'zbud_alloc:alloc_page'); return; }
      s[m.pList[p]] = LIST_NONE;
      found(m, s, t, p, s[m.pChunks[p][FIRST]] === 0 ? FIRST : LAST, op.chunks);
    },
  },
  {
    label: 'zbud_alloc:alloc_page',
    run(m, s, t) {
      const p = m.allocPage(s);
      if (p < 0) { m.endOp(s, t); return; } // -ENOMEM: zswap rejects the store
      m.set(s, m.tPage, t, p);
      m.goto(s, t, 'zbud_alloc:init_zbud_page');
    },
  },
  {
    label: 'zbud_alloc:init_zbud_page',
    run(m, s, t) {
      const op = m.op(s, t) as Extract<ZbudOp, { kind: 'store' }>;
      const p = m.get(s, m.tPage, t);
      s[m.pagesNr]++;
      s[m.pChunks[p][FIRST]] = 0; s[m.pChunks[p][LAST]] = 0; s[m.pList[p]] = LIST_NONE;
      found(m, s, t, p, FIRST, op.chunks);
    },
  },
  {
    label: 'zswap_store:map',
    designs: ['zbud-indirect'],
    run(m, s, t) {
      const h = m.get(s, m.tHandle, t);
      m.set(s, m.tAddr, t, s[m.wAddr[h - 1]]);
      s[m.wMapped[h - 1]]++;
      m.goto(s, t, 'zswap_store:copy');
    },
  },
  {
    label: 'zswap_store:copy',
    run(m, s, t, _c, ctx) {
      const a = m.indirect ? m.get(s, m.tAddr, t) : m.get(s, m.tHandle, t);
      if (!m.touch(s, a, ctx, `zswap_store(${entryName(opEntry(m, s, t))})`)) return;
      s[m.pData[m.addrPage(a)][m.addrBud(a)]] = opEntry(m, s, t) + 1;
      m.goto(s, t, 'zswap_store:unmap_insert');
    },
  },
  {
    label: 'zswap_store:unmap_insert',
    run(m, s, t) {
      const e = opEntry(m, s, t);
      const h = m.get(s, m.tHandle, t);
      if (m.indirect) s[m.wMapped[h - 1]]--;
      s[m.eHandle[e]] = h; s[m.eRb[e]] = 1; s[m.eRef[e]] = 1;
      m.endOp(s, t);
    },
  },

  // ---- zswap_frontswap_load -----------------------------------------------------------------
  {
    label: 'zswap_load:lookup',
    run(m, s, t) {
      const e = opEntry(m, s, t);
      if (s[m.eRb[e]] === 0) { m.endOp(s, t); return; }
      s[m.eRef[e]]++;
      m.set(s, m.tHandle, t, s[m.eHandle[e]]);
      m.goto(s, t, m.indirect ? 'zswap_load:map' : 'zswap_load:copy');
    },
  },
  {
    label: 'zswap_load:map',
    designs: ['zbud-indirect'],
    run(m, s, t) {
      const h = m.get(s, m.tHandle, t);
      m.set(s, m.tAddr, t, s[m.wAddr[h - 1]]);
      s[m.wMapped[h - 1]]++;
      m.goto(s, t, 'zswap_load:copy');
    },
  },
  {
    label: 'zswap_load:copy',
    run(m, s, t, _c, ctx) {
      const e = opEntry(m, s, t);
      const a = m.indirect ? m.get(s, m.tAddr, t) : m.get(s, m.tHandle, t);
      if (!m.touch(s, a, ctx, `zswap_load(${entryName(e)})`)) return;
      const p = m.addrPage(a);
      const b = m.addrBud(a);
      const v = s[m.pData[p][b]];
      if (s[m.pChunks[p][b]] === 0 || v !== e + 1) {
        ctx.fail(ZV.ownData, `zswap_load(${entryName(e)}) copies from ${m.addrName(a)}, which ${s[m.pChunks[p][b]] === 0 ? 'is a free buddy' : `holds entry ${v > 0 ? entryName(v - 1) : 'nothing'}`}`);
        return;
      }
      m.goto(s, t, 'zswap_load:unmap_put');
    },
  },
  {
    label: 'zswap_load:unmap_put',
    run(m, s, t, _c, ctx) {
      const e = opEntry(m, s, t);
      const h = m.get(s, m.tHandle, t);
      if (m.indirect) s[m.wMapped[h - 1]]--;
      if (--s[m.eRef[e]] === 0) {
        m.zbudFree(s, h, ctx, 'zswap_load');
        s[m.eHandle[e]] = 0;
      }
      m.endOp(s, t);
    },
  },

  // ---- zswap_frontswap_invalidate_page ------------------------------------------------------
  {
    label: 'zswap_invalidate:erase_put',
    run(m, s, t, _c, ctx) {
      const e = opEntry(m, s, t);
      if (s[m.eRb[e]] === 0) { m.endOp(s, t); return; }
      s[m.eRb[e]] = 0;
      if (--s[m.eRef[e]] === 0) {
        m.zbudFree(s, s[m.eHandle[e]], ctx, 'zswap_invalidate');
        s[m.eHandle[e]] = 0;
      }
      m.endOp(s, t);
    },
  },

  // ---- zbud_reclaim_page --------------------------------------------------------------------
  {
    // The kernel takes the LRU tail; which page that is depends on history, so every page on
    // the LRU is a choice.
    label: 'zbud_reclaim_page:isolate',
    choices: (m, s) => Math.max(1, lruPages(m, s).length),
    run(m, s, t, c) {
      const pages = lruPages(m, s);
      if (pages.length === 0) { m.endOp(s, t); return; } // -EINVAL: empty LRU
      const p = pages[c];
      s[m.pLru[p]] = 0; s[m.pList[p]] = LIST_NONE; s[m.pReclaim[p]] = 1;
      // "We need encode the handles before unlocking, since we can race with free."
      m.set(s, m.tFirst, t, s[m.pChunks[p][FIRST]] > 0 ? m.encodeHandle(s, p, FIRST) : 0);
      m.set(s, m.tLast, t, s[m.pChunks[p][LAST]] > 0 ? m.encodeHandle(s, p, LAST) : 0);
      m.set(s, m.tPage, t, p);
      m.goto(s, t, 'zswap_writeback_entry:first');
    },
  },
  {
    label: 'zswap_writeback_entry:first',
    run(m, s, t, _c, ctx) {
      evict(m, s, t, m.get(s, m.tFirst, t), ctx);
      m.goto(s, t, 'zswap_writeback_entry:last');
    },
  },
  {
    label: 'zswap_writeback_entry:last',
    run(m, s, t, _c, ctx) {
      evict(m, s, t, m.get(s, m.tLast, t), ctx);
      m.goto(s, t, 'zbud_reclaim_page:putback');
    },
  },
  {
    label: 'zbud_reclaim_page:putback',
    run(m, s, t) {
      const p = m.get(s, m.tPage, t);
      if (s[m.pBuddy[p]] === 1) { m.endOp(s, t); return; } // ZB1: zbud_free already freed it
      s[m.pReclaim[p]] = 0;
      if (m.indirect) {
        // zbud-indirect keeps a freed buddy's handle word while the page is under reclaim
        // (reclaim holds it); it is released here.
        for (const b of [FIRST, LAST]) {
          const w = s[m.pBackHandle[p][b]];
          if (w !== 0 && s[m.pChunks[p][b]] === 0) { s[m.wAddr[w - 1]] = 0; s[m.pBackHandle[p][b]] = 0; }
        }
      }
      if (s[m.pChunks[p][FIRST]] === 0 && s[m.pChunks[p][LAST]] === 0) {
        m.freeZbudPage(s, p);
      } else {
        m.relist(s, p);
        s[m.pLru[p]] = 1;
      }
      m.endOp(s, t);
    },
  },

  // ---- relocation (compaction/migration of one buddy) ---------------------------------------
  {
    label: 'zbud_relocate:move',
    choices: (m, s) => Math.max(1, relocations(m, s).length),
    run(m, s, t, c) {
      const moves = relocations(m, s);
      if (moves.length === 0) { m.endOp(s, t); return; }
      const [p, b, d] = moves[c];
      const db = s[m.pChunks[d][FIRST]] === 0 ? FIRST : LAST;
      s[m.pChunks[d][db]] = s[m.pChunks[p][b]];
      s[m.pData[d][db]] = s[m.pData[p][b]];
      m.relist(s, d);
      s[m.pChunks[p][b]] = 0;
      if (m.indirect) {
        // The one thing relocation needs: the allocator owns the word the user's handle names.
        const w = s[m.pBackHandle[p][b]];
        s[m.wAddr[w - 1]] = m.addr(d, db);
        s[m.pBackHandle[d][db]] = w;
        s[m.pBackHandle[p][b]] = 0;
      }
      // zbud-inline/zbud-page: the handle is the old address; there is nothing to update.
      if (s[m.pChunks[p][FIRST]] === 0 && s[m.pChunks[p][LAST]] === 0) {
        s[m.pList[p]] = LIST_NONE; s[m.pLru[p]] = 0;
        m.freeZbudPage(s, p);
      } else {
        m.relist(s, p);
      }
      m.endOp(s, t);
    },
  },

  // ---- memmap walker ------------------------------------------------------------------------
  {
    label: 'memmap_walker:read_page',
    choices: (m) => m.N,
    run(m, s, t, pfn, ctx) {
      const why = misclassified(m, s, pfn);
      if (why) ctx.fail(ZV.walker, why);
      m.endOp(s, t);
    },
  },
];

/**
 * What a pfn walker concludes from page[pfn]'s struct page alone, against what the page is.
 * PageBuddy is page_type (set only by the page allocator); PageTail() is bit 0 of
 * compound_head; __PageMovable() is (mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_MOVABLE;
 * PageLRU is a flags bit zbud never sets. Only zbud-page stores zbud's fields in struct page.
 */
export function misclassified(m: ZbudMachine, s: StateVector, pfn: number): string | null {
  if (s[m.pBuddy[pfn]] === 1 || m.design !== 'zbud-page') return null;
  const first = s[m.pChunks[pfn][FIRST]];
  const last = s[m.pChunks[pfn][LAST]];
  const word = first | (last << 16);
  const hex = `0x${word.toString(16)}`;
  return match(m.options.zbudPageFields)
    .with('zbud_page-2013', () => ((word & 1) === 1
      ? `the walker reads page[${pfn}].compound_head = ${hex}: bit 0 set, PageTail(), but page[${pfn}] is a zbud page (first_chunks ${first} and last_chunks ${last} are stored in compound_head)`
      : null))
    .with('counts-in-mapping', () => ((word & 3) === 2
      ? `the walker reads page[${pfn}].mapping = ${hex}: PAGE_MAPPING_MOVABLE, __PageMovable(), but page[${pfn}] is a zbud page (first_chunks ${first} and last_chunks ${last} are stored in mapping)`
      : null))
    .with('lru-private', () => null)
    .exhaustive();
}

/** The first step of each operation. */
export function zbudEntryStep(op: ZbudOp, _design: ZbudDesign): string {
  return match(op)
    .with({ kind: 'store' }, () => 'zbud_alloc:lock_find_unbuddied')
    .with({ kind: 'load' }, () => 'zswap_load:lookup')
    .with({ kind: 'invalidate' }, () => 'zswap_invalidate:erase_put')
    .with({ kind: 'reclaim' }, () => 'zbud_reclaim_page:isolate')
    .with({ kind: 'relocate' }, () => 'zbud_relocate:move')
    .with({ kind: 'walk' }, () => 'memmap_walker:read_page')
    .exhaustive();
}

