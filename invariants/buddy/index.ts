/**
 * The buddy allocator's free-page invariants. The step-time ones are reported by the model's
 * steps (model/buddy/steps.ts); the state ones are checked on every state.
 */
import type { StateInvariant } from '../../explorer/system.js';
import { BV, buddyDesigns, ZONE_ID, type BuddyMachine } from '../../model/buddy/index.js';

export interface BuddyInvariantDoc {
  readonly name: string;
  readonly description: string;
  readonly kernelRule: string;
  readonly designs: readonly string[];
  readonly kind: 'state' | 'step';
}

export const buddyInvariantDocs: readonly BuddyInvariantDoc[] = [
  { name: BV.freeList, kind: 'state', designs: buddyDesigns,
    description: 'Every free list is a well-formed doubly linked ring from its head (so a block can be removed from the middle), nr_free counts it, and every free block is on the list of its order exactly once.',
    kernelRule: 'mm/page_alloc.c __add_to_free_list()/__del_page_from_free_list() (list_add/list_del of page->buddy_list, area->nr_free); lib/list_debug.c __list_del_entry_valid()' },
  { name: BV.merge, kind: 'step', designs: buddyDesigns,
    description: '__free_one_page() merges a block only with its buddy pfn ^ (1 << order) when that buddy is the head of a free block of the same order.',
    kernelRule: 'mm/page_alloc.c __free_one_page(): find_buddy_page_pfn() + page_is_buddy() (PageBuddy(buddy) && buddy_order(buddy) == order && same zone)' },
  { name: BV.doubleAlloc, kind: 'step', designs: buddyDesigns,
    description: 'No page is handed out (or freed) while it is allocated or isolated for reporting.',
    kernelRule: 'mm/page_alloc.c __rmqueue_smallest() + del_page_from_free_list(); check_new_pages()/free_pages_check() "bad page state"' },
  { name: BV.zone, kind: 'state', designs: buddyDesigns,
    description: 'Every free block records its node/zone where the layout keeps it (page->flags, the allocatee word, the descriptor).',
    kernelRule: 'include/linux/mm.h page_zone()/page_to_nid() read flags (set_page_links() at boot); mm/page_alloc.c page_is_buddy() compares page_zone_id()' },
  { name: BV.walker, kind: 'step', designs: buddyDesigns,
    description: 'An unlocked pfn walker that saw PageBuddy reads the order from free-page state (perhaps stale), never from an allocated page\'s memory or a freed descriptor.',
    kernelRule: 'mm/compaction.c isolate_freepages_block()/isolate_migratepages_block(): PageBuddy() then buddy_order_unsafe() without zone->lock (mm/internal.h: the value may be stale, "PageBuddy() should be checked first"); mm/secretmem.c and guest_memfd take allocated pages out of the direct map' },
  { name: BV.initOnFree, kind: 'step', designs: buddyDesigns,
    description: 'With init_on_free, a page handed out by the allocator still reads as zeroes (post_alloc_hook does not zero it again).',
    kernelRule: 'mm/page_alloc.c free_pages_prepare(): kernel_init_pages() when want_init_on_free(); post_alloc_hook(): init = !want_init_on_free() && want_init_on_alloc(gfp)' },
  { name: BV.reported, kind: 'step', designs: buddyDesigns,
    description: 'A PageReported free page is not written while it stays reported (the host has taken its memory back; a write makes the host back it again).',
    kernelRule: 'mm/page_reporting.c page_reporting_drain(): a page is "reported" because it "hasn\'t been modified" since the report; PageReported is cleared when the page leaves the free list (__del_page_from_free_list)' },
];

function describe(name: string): string {
  const d = buddyInvariantDocs.find((x) => x.name === name);
  // Stryker disable next-line StringLiteral: the message of an unreachable throw: each invariant below is named from the catalogue (the catalogue test checks each has its entry's description)
  if (!d) throw new Error(`invariant ${name} has no catalogue entry`);
  return d.description;
}

/** Why free list o is not intact, or null. Fills `onList` with the pfns it lists. */
function listProblem(m: BuddyMachine, s: Int32Array, o: number, onList: Map<number, number>): string | null {
  const head = m.HEAD(o);
  let prev = head;
  let r = s[m.hNext[o]];
  let count = 0;
  const seen = new Set<number>();
  while (r !== head) {
    if (!m.isNode(r)) return `free_area[${o}]: ${m.refName(prev)}.next is ${m.refName(r)}`;
    if (seen.has(r) || count > m.N) return `free_area[${o}]: ${m.refName(r)} is reached twice (a loop)`;
    if (m.prev(s, r) !== prev) return `free_area[${o}]: ${m.refName(r)}.prev is ${m.refName(m.prev(s, r))}, not ${m.refName(prev)}`;
    seen.add(r);
    const p = m.pfnOfNode(s, r - 1);
    if (p >= 0) {
      if (onList.has(p)) return `page[${p}] is on free_area[${onList.get(p)}] and free_area[${o}]`;
      onList.set(p, o);
    }
    prev = r;
    r = m.next(s, r);
    count++;
  }
  if (s[m.hPrev[o]] !== prev) return `free_area[${o}].free_list.prev is ${m.refName(s[m.hPrev[o]])}, not the last entry ${m.refName(prev)}`;
  if (s[m.nrFree[o]] !== count) return `free_area[${o}].nr_free is ${s[m.nrFree[o]]} but the list has ${count}`;
  return null;
}

export function buddyStateInvariants(m: BuddyMachine): StateInvariant[] {
  return [
    {
      name: BV.freeList,
      description: describe(BV.freeList),
      check(s) {
        const onList = new Map<number, number>();
        for (let o = 0; o <= m.MAXO; o++) {
          const bad = listProblem(m, s, o, onList);
          if (bad) return bad;
        }
        // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose free_order does not exist (undefined >= 0 is false); `>=` (no iteration) fails every test
        for (let p = 0; p < m.N; p++) {
          const o = s[m.block[p]];
          if (o >= 0 && onList.get(p) !== o) return `page[${p}] heads a free order-${o} block but is not on free_area[${o}] (a lost block)`;
        }
        return null;
      },
    },
    {
      name: BV.zone,
      description: describe(BV.zone),
      check(s) {
        // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose free_order does not exist (undefined >= 0 is false); `>=` (no iteration) fails every test
        for (let p = 0; p < m.N; p++) {
          if (s[m.block[p]] >= 0 && m.zoneOf(s, p) !== ZONE_ID) return `page[${p}] heads a free block but its zone reads ${m.zoneOf(s, p)}, not ${ZONE_ID}`;
        }
        return null;
      },
    },
  ];
}
