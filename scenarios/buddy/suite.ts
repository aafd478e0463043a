import { alloc, allBuddyDesigns, discard, free, report, walk, type BuddyScenario } from './types.js';

const zone = { pages: 4 };
const holds = { 'buddy-struct-page': { holds: true }, 'buddy-in-page': { holds: true }, 'buddy-descriptor': { holds: true } } as const;

export const freeMergeAlloc: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-free-merge-alloc',
  title: 'Frees that merge against allocations that split, under zone->lock',
  description: 'page[0] is free; one thread frees page[1] (merging into an order-1 block) and then page[3], another allocates an order-0 page (splitting whatever is there). Every layout keeps the lists intact.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 0)],
  threads: [
    { name: 'free', ops: [free(1, 0), free(3, 0)] },
    { name: 'alloc', ops: [alloc(0), alloc(1)] },
  ],
  bounds: { maxStates: 50_000 },
  expect: holds,
};

export const reporting: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-free-page-reporting',
  title: 'Free page reporting against frees and allocations',
  description: 'page_reporting_cycle isolates a free block, the host discards its contents, and the block is put back (and may merge) while another thread frees page[2] and allocates. Reporting takes the block off its list before the host discards it, so even the in-page layout keeps its lists.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 1), free(3, 0)],
  threads: [
    { name: 'reporting', ops: [report(), report()] },
    { name: 'mm', ops: [free(2, 0), alloc(0)] },
  ],
  bounds: { maxStates: 100_000 },
  expect: holds,
};

export const reportingNeighbours: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-reporting-neighbours',
  title: 'Free page reporting: list operations next to a reported page',
  description: 'page[0] and page[2] are free order-0 pages on one list. Reporting reports one of them and puts it back as PageReported; freeing page[1] merges with page[0] and allocating splits, so list_add/list_del write the links of their neighbours. In the in-page layout those links are in the reported page\'s memory.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 0), free(2, 0)],
  threads: [
    { name: 'reporting', ops: [report()] },
    { name: 'mm', ops: [free(1, 0), alloc(0)] },
  ],
  bounds: { maxStates: 50_000 },
  expect: { 'buddy-struct-page': { holds: true }, 'buddy-in-page': { violates: 'buddy-reported-page-unmodified' }, 'buddy-descriptor': { holds: true } },
};

export const initOnFree: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-init-on-free',
  title: 'init_on_free: pages handed out must still read as zeroes',
  description: 'With init_on_free=1 free_pages_prepare zeroes pages and post_alloc_hook does not zero them again. The in-page layout writes the list node and the order into the free page, and list_del leaves LIST_POISON there.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 1)],
  threads: [
    { name: 'alloc', ops: [alloc(0)] },
    { name: 'free', ops: [free(2, 0)] },
  ],
  bounds: { maxStates: 20_000 },
  expect: { 'buddy-struct-page': { holds: true }, 'buddy-in-page': { violates: 'buddy-init-on-free-zeroed' }, 'buddy-descriptor': { holds: true } },
  options: { initOnFree: true },
};

export const cmmaDiscard: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-s390-cmma-discard',
  title: 's390 arch_free_page: the host discards a free page while it is on a free list',
  description: 'With CMMA, a freed page is "unused" and the host may drop its contents until it is allocated again, while it sits on a free list. The in-page layout loses the list node (and the order) with the contents.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 1), free(3, 0)],
  threads: [
    { name: 'host', ops: [discard()] },
    { name: 'mm', ops: [free(2, 0), alloc(0)] },
  ],
  bounds: { maxStates: 50_000 },
  expect: { 'buddy-struct-page': { holds: true }, 'buddy-in-page': { violates: 'buddy-free-list-intact' }, 'buddy-descriptor': { holds: true } },
};

export const walker: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-pfn-walker',
  title: 'A speculative pfn walker reads PageBuddy and the order without zone->lock',
  description: 'A compaction-style scanner reads PageBuddy, then buddy_order_unsafe(), of any pfn while blocks are freed, merged, split and reported. A stale order is fine; the in-page layout makes the walker read a page that was allocated in between.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 1), free(3, 0)],
  threads: [
    { name: 'walker', ops: [walk(), walk()] },
    { name: 'mm', ops: [free(2, 0), alloc(0)] },
    { name: 'reporting', ops: [report()] },
  ],
  bounds: { maxStates: 200_000 },
  expect: { 'buddy-struct-page': { holds: true }, 'buddy-in-page': { violates: 'buddy-walker-order' }, 'buddy-descriptor': { holds: true } },
};

export const bugMergeOrder: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-bug-merge-any-order',
  title: 'BM1: __free_one_page merges with a PageBuddy buddy of another order',
  description: 'page[0] is a free order-0 page, page[1] is allocated; freeing the order-1 block at page[2] looks at page[0] as its buddy.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 0)],
  threads: [{ name: 'free', ops: [free(2, 1)] }],
  bounds: { maxStates: 1_000 },
  expect: { 'buddy-struct-page': { violates: 'buddy-merge-same-order' }, 'buddy-in-page': { violates: 'buddy-merge-same-order' }, 'buddy-descriptor': { violates: 'buddy-merge-same-order' } },
  mutation: 'BM1',
};

export const bugNoListDel: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-bug-alloc-without-list-del',
  title: 'BD1: __rmqueue_smallest leaves the block it hands out on the free list',
  description: 'Two allocations of order 0 from a zone with one free page.',
  designs: allBuddyDesigns,
  zone,
  setup: [free(0, 0)],
  threads: [{ name: 'a', ops: [alloc(0)] }, { name: 'b', ops: [alloc(0)] }],
  bounds: { maxStates: 1_000 },
  expect: { 'buddy-struct-page': { violates: 'buddy-no-double-alloc' }, 'buddy-in-page': { violates: 'buddy-no-double-alloc' }, 'buddy-descriptor': { violates: 'buddy-no-double-alloc' } },
  mutation: 'BD1',
};

export const bugExpandZone: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-bug-expand-loses-zone',
  title: 'BZ1: expand() puts a split-off block back without its node/zone',
  description: 'Allocating order 0 from a free order-1 block splits it; the two-word layouts must write the zone of the half they keep free.',
  designs: ['buddy-in-page', 'buddy-descriptor'],
  zone,
  setup: [free(0, 1)],
  threads: [{ name: 'alloc', ops: [alloc(0)] }],
  bounds: { maxStates: 1_000 },
  expect: { 'buddy-in-page': { violates: 'buddy-zone-kept' }, 'buddy-descriptor': { violates: 'buddy-zone-kept' } },
  mutation: 'BZ1',
};

export const bugDescriptorFreed: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-bug-descriptor-freed',
  title: 'BW2: a walker reads the order through a descriptor that was freed',
  description: 'A pfn walker sees PageBuddy at page[0] through its descriptor; page[0] is allocated before the walker reads the order, and the descriptor goes back to the page allocator instead of a type-stable cache.',
  designs: ['buddy-descriptor'],
  zone,
  setup: [free(0, 0)],
  threads: [{ name: 'alloc', ops: [alloc(0)] }, { name: 'walker', ops: [walk()] }],
  bounds: { maxStates: 1_000 },
  expect: { 'buddy-descriptor': { violates: 'buddy-walker-order' } },
  mutation: 'BW2',
};

export const reportingMixed: BuddyScenario = {
  system: 'buddy',
  id: 'buddy-reporting-mixed',
  title: 'An 8-page zone: two reporting cycles, frees, an order-1 allocation and a pfn walker',
  description: 'Free blocks at page[0] (order 1), page[3] and page[4]; reporting runs twice while pages are freed (merging) and an order-1 block is allocated (splitting), and a walker reads PageBuddy/order. In the in-page layout reporting\'s own isolation writes the links of a reported neighbour.',
  designs: allBuddyDesigns,
  zone: { pages: 8 },
  setup: [free(0, 1), free(3, 0), free(4, 0)],
  threads: [
    { name: 'reporting', ops: [report(), report()] },
    { name: 'mm', ops: [free(2, 0), alloc(1), free(5, 0)] },
    { name: 'walker', ops: [walk()] },
  ],
  bounds: { maxStates: 50_000 },
  expect: { 'buddy-struct-page': { holds: true }, 'buddy-in-page': { violates: 'buddy-reported-page-unmodified' }, 'buddy-descriptor': { holds: true } },
};
