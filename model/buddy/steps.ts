/**
 * The buddy allocator's steps. Each step that touches the free lists is one zone->lock critical
 * section (mm/page_alloc.c: rmqueue_buddy(), free_one_page(), mm/page_reporting.c:
 * page_reporting_cycle()/page_reporting_drain()); what runs without the lock is a step of its
 * own: free_pages_prepare() (init_on_free's kernel_init_pages()), post_alloc_hook(), the
 * report to the host, the s390 host's discard, and the pfn walker's reads.
 */
import { match } from 'ts-pattern';
import type { StateVector } from '../../explorer/system.js';
import type { Step } from '../step-machine/index.js';
import { BV, OWNER_ALLOCATED, OWNER_FREE, OWNER_REPORTING, type BuddyMachine } from './machine.js';
import { ZONE_ID, type BuddyOp } from './program.js';

type S = Step<BuddyMachine>;

/** The nodes on free list o in list order, or null when the list cannot be walked. */
function listed(m: BuddyMachine, s: StateVector, o: number): number[] | null {
  const out: number[] = [];
  let r = s[m.hNext[o]];
  while (r !== m.HEAD(o)) {
    if (!m.isNode(r) || out.length > m.N) return null;
    out.push(r - 1);
    r = s[m.nNext[r - 1]];
  }
  return out;
}

/** The blocks page_reporting_cycle() may pick now: listed, not yet PageReported. */
function reportable(m: BuddyMachine, s: StateVector): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (let o = m.MAXO; o >= 0; o--) {
    const nodes = listed(m, s, o);
    if (!nodes) return null;
    for (const n of nodes) {
      const p = m.pfnOfNode(s, n);
      if (p >= 0 && !m.reported(s, p)) out.push([p, o]);
    }
  }
  return out;
}

function discardable(m: BuddyMachine, s: StateVector): number[] {
  const out: number[] = [];
  for (let p = 0; p < m.N; p++) if (s[m.owner[p]] === OWNER_FREE) out.push(p);
  return out;
}

const blockPages = (p: number, o: number) => Array.from({ length: 1 << o }, (_, i) => p + i);

export const buddySteps: readonly S[] = [
  // ---- alloc_pages ---------------------------------------------------------------------------
  {
    // rmqueue_buddy() -> __rmqueue_smallest(): the first block of the smallest sufficient order,
    // del_page_from_free_list(), expand() (BD1 skips the removal).
    label: '__rmqueue_smallest:take_and_expand',
    run(m, s, t, _c, ctx) {
      const op = m.op(s, t) as Extract<BuddyOp, { kind: 'alloc' }>;
      for (let o = op.order; o <= m.MAXO; o++) {
        const first = s[m.hNext[o]];
        if (first === m.HEAD(o)) continue;
        const who = `__rmqueue_smallest(order ${op.order})`;
        if (!m.isNode(first)) { ctx.fail(BV.freeList, `${who}: free_area[${o}].free_list.next is ${m.refName(first)}`); return; }
        const p = m.pfnOfNode(s, first - 1);
        if (p < 0) { ctx.fail(BV.freeList, `${who}: free_area[${o}] lists ${m.refName(first)}, a free descriptor`); return; }
        const taken = blockPages(p, op.order).filter((q) => s[m.owner[q]] !== OWNER_FREE);
        if (s[m.block[p]] !== o || taken.length > 0) {
          ctx.fail(BV.doubleAlloc, `${who} hands out page[${p}] from free_area[${o}], but ${taken.length > 0 ? `page[${taken[0]}] is ${s[m.owner[taken[0]]] === OWNER_ALLOCATED ? 'allocated' : 'being reported'}` : 'it is not the head of a free block of that order'}`);
          return;
        }
        if (m.has('BD1')) s[m.block[p]] = -1;
        else if (!m.delFromFreeList(s, p, o, ctx, who)) return;
        for (let high = o; high > op.order; high--) {
          const q = p + (1 << (high - 1));
          if (!m.addToFreeList(s, q, high - 1, m.has('BZ1') ? 0 : ZONE_ID, ctx, `expand(page[${q}], order ${high - 1})`)) return;
        }
        for (const q of blockPages(p, op.order)) s[m.owner[q]] = OWNER_ALLOCATED;
        m.set(s, m.lPfn, t, p);
        m.set(s, m.lOrder, t, op.order);
        m.goto(s, t, 'post_alloc_hook:init_and_use');
        return;
      }
      m.endOp(s, t); // no free block: the allocation fails
    },
  },
  {
    // post_alloc_hook(): with init_on_free the page is not zeroed again; then the owner writes it.
    label: 'post_alloc_hook:init_and_use',
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.lPfn, t);
      for (const q of blockPages(p, m.get(s, m.lOrder, t))) {
        if (m.options.initOnFree) {
          const dirty = m.memZero(s, q);
          if (dirty) { ctx.fail(BV.initOnFree, `post_alloc_hook skips zeroing page[${q}] (init_on_free), but its memory holds ${dirty}`); return; }
        }
        // The owner's writes replace whatever the first bytes held.
        m.zeroMem(s, q);
        s[m.pData[q]] = 1;
      }
      m.endOp(s, t);
    },
  },

  // ---- __free_pages ---------------------------------------------------------------------------
  {
    label: 'free_pages_prepare:init',
    run(m, s, t, _c, ctx) {
      const op = m.op(s, t) as Extract<BuddyOp, { kind: 'free' }>;
      const pages = blockPages(op.pfn, op.order);
      const bad = pages.find((q) => s[m.owner[q]] !== OWNER_ALLOCATED);
      if (bad !== undefined) { ctx.fail(BV.doubleAlloc, `__free_pages(page[${op.pfn}], order ${op.order}): page[${bad}] is not allocated (a double free)`); return; }
      if (m.options.initOnFree) for (const q of pages) m.zeroMem(s, q); // kernel_init_pages()
      m.goto(s, t, '__free_one_page:merge_and_add');
    },
  },
  {
    label: '__free_one_page:merge_and_add',
    run(m, s, t, _c, ctx) {
      const op = m.op(s, t) as Extract<BuddyOp, { kind: 'free' }>;
      for (const q of blockPages(op.pfn, op.order)) s[m.owner[q]] = OWNER_FREE;
      if (!m.freeOnePage(s, op.pfn, op.order, ctx, `__free_one_page(page[${op.pfn}], order ${op.order})`)) return;
      m.endOp(s, t);
    },
  },

  // ---- free page reporting --------------------------------------------------------------------
  {
    // page_reporting_cycle(): the first unreported page of a free list is pulled off it
    // (__isolate_free_page) before the zone lock is dropped to report it.
    label: 'page_reporting_cycle:isolate',
    choices: (m, s) => Math.max(1, reportable(m, s)?.length ?? 1),
    run(m, s, t, c, ctx) {
      const blocks = reportable(m, s);
      if (!blocks) { ctx.fail(BV.freeList, 'page_reporting_cycle: a free list cannot be walked (a next pointer is not a page)'); return; }
      if (blocks.length === 0) { m.endOp(s, t); return; }
      const [p, o] = blocks[c];
      if (!m.delFromFreeList(s, p, o, ctx, `__isolate_free_page(page[${p}], order ${o})`)) return;
      for (const q of blockPages(p, o)) s[m.owner[q]] = OWNER_REPORTING;
      m.set(s, m.lPfn, t, p);
      m.set(s, m.lOrder, t, o);
      m.goto(s, t, 'page_reporting_cycle:report_to_host');
    },
  },
  {
    // prdev->report(): virtio-balloon hands the pages to the host, which discards them; the
    // guest reads zeroes from them afterwards.
    label: 'page_reporting_cycle:report_to_host',
    run(m, s, t) {
      for (const q of blockPages(m.get(s, m.lPfn, t), m.get(s, m.lOrder, t))) m.zeroMem(s, q);
      m.goto(s, t, 'page_reporting_drain:putback');
    },
  },
  {
    // page_reporting_drain(): __putback_isolated_page() (a __free_one_page that may merge),
    // then __SetPageReported() if the block is still PageBuddy of the same order.
    label: 'page_reporting_drain:putback',
    run(m, s, t, _c, ctx) {
      const p = m.get(s, m.lPfn, t);
      const o = m.get(s, m.lOrder, t);
      for (const q of blockPages(p, o)) s[m.owner[q]] = OWNER_FREE;
      if (!m.freeOnePage(s, p, o, ctx, `__putback_isolated_page(page[${p}], order ${o})`)) return;
      if (m.pageBuddy(s, p) && m.buddyOrder(s, p) === o) m.setReported(s, p);
      m.endOp(s, t);
    },
  },

  // ---- s390 CMMA ------------------------------------------------------------------------------
  {
    // arch_free_page() marked the page unused (ESSA); the host may drop its contents at any
    // time until arch_alloc_page() marks it stable again.
    label: 'cmma_host:discard_unused_page',
    choices: (m, s) => Math.max(1, discardable(m, s).length),
    run(m, s, t, c) {
      const pages = discardable(m, s);
      if (pages.length > 0) m.zeroMem(s, pages[c]);
      m.endOp(s, t);
    },
  },

  // ---- speculative pfn walker -----------------------------------------------------------------
  {
    // isolate_freepages_block()/isolate_migratepages_block(): PageBuddy(page) first, without
    // zone->lock and without a reference ...
    label: 'isolate_freepages_block:read_page_buddy',
    choices: (m) => m.N,
    run(m, s, t, pfn) {
      if (!m.pageBuddy(s, pfn)) { m.endOp(s, t); return; }
      m.set(s, m.lPfn, t, pfn);
      if (m.descriptor) m.set(s, m.lDesc, t, s[m.pWord[pfn]] - 1);
      m.goto(s, t, 'isolate_freepages_block:buddy_order_unsafe');
    },
  },
  {
    // ... then buddy_order_unsafe(): the block may have been allocated, merged or split since.
    // A stale order is tolerated (compaction range-checks it and re-checks under the lock); what
    // must not happen is reading memory that is not free-page state any more.
    label: 'isolate_freepages_block:buddy_order_unsafe',
    run(m, s, t, _c, ctx) {
      const pfn = m.get(s, m.lPfn, t);
      if (m.inPage && s[m.owner[pfn]] === OWNER_ALLOCATED) {
        ctx.fail(BV.walker, `the walker saw PageBuddy at page[${pfn}] and now reads its order from page[${pfn}]'s memory, which is allocated: it reads the owner's data (a fault if the owner took it out of the direct map)`);
        return;
      }
      if (m.descriptor && m.has('BW2')) {
        const d = m.get(s, m.lDesc, t);
        if (s[m.dPfn[d]] !== pfn) {
          ctx.fail(BV.walker, `the walker saw PageBuddy at page[${pfn}] (desc[${d}]) and now reads desc[${d}].order, but desc[${d}] was freed back to the page allocator`);
          return;
        }
      }
      m.endOp(s, t);
    },
  },
];

export function buddyEntryStep(op: BuddyOp): string {
  return match(op)
    .with({ kind: 'alloc' }, () => '__rmqueue_smallest:take_and_expand')
    .with({ kind: 'free' }, () => 'free_pages_prepare:init')
    .with({ kind: 'report' }, () => 'page_reporting_cycle:isolate')
    .with({ kind: 'discard' }, () => 'cmma_host:discard_unused_page')
    .with({ kind: 'walk' }, () => 'isolate_freepages_block:read_page_buddy')
    .exhaustive();
}
