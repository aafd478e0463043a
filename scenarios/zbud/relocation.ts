import type { ZbudScenario } from './types.js';
import { A, B, C, invalidate, load, reclaim, relocate, store } from './types.js';

/** A (3 chunks) and B (3) fill page[0] and page[1] nearly; C (1) becomes page[0]'s last buddy,
 *  and relocation can move C to page[1]. */
export const relocateVsLoad: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-relocate-vs-load',
  title: 'Relocation moves a buddy a user holds a handle to',
  description: 'Compaction moves C from page[0] to page[1] while zswap loads C. With an address handle (zbud-inline, zbud-page) C\'s tree entry still names page[0].LAST; zbud-indirect updates the word the handle names.',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool: { pages: 2, entries: 3 },
  setup: [store(A, 3), store(B, 3), store(C, 1)],
  threads: [
    { name: 'compact', ops: [relocate()] },
    { name: 'load', ops: [load(C)] },
  ],
  bounds: { maxStates: 20_000 },
  expect: {
    'zbud-inline': { violates: 'zbud-handle-own-data' },
    'zbud-page': { violates: 'zbud-handle-own-data' },
    'zbud-indirect': { holds: true },
  },
};

/** page[0] keeps only B, page[1] only C: relocation merges them and frees one page. */
export const relocateFreesPage: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-relocate-frees-page',
  title: 'Relocation empties and frees the page a stored handle names',
  description: 'After A is invalidated, page[0] holds only B and page[1] only C; compaction moves one into the other and frees the emptied page while zswap loads B. An address handle then names a page back in the page allocator.',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool: { pages: 2, entries: 3 },
  setup: [store(A, 2), store(B, 2), store(C, 2), invalidate(A)],
  threads: [
    { name: 'compact', ops: [relocate()] },
    { name: 'load', ops: [load(B)] },
  ],
  bounds: { maxStates: 20_000 },
  expect: {
    'zbud-inline': { violates: 'zbud-handle-page-not-freed' },
    'zbud-page': { violates: 'zbud-handle-page-not-freed' },
    'zbud-indirect': { holds: true },
  },
};

/** ZB2: zbud-indirect relocation that does not wait for the user's unmap. */
export const relocateMapped: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-bug-relocate-mapped',
  title: 'ZB2: relocation moves a buddy while the user has it mapped',
  description: 'zswap maps B and copies from the address it got; relocation updates B\'s handle word and frees page[0] in between. Without ZB2 relocation skips a mapped buddy.',
  designs: ['zbud-indirect'],
  pool: { pages: 2, entries: 3 },
  setup: [store(A, 2), store(B, 2), store(C, 2), invalidate(A)],
  threads: [
    { name: 'compact', ops: [relocate()] },
    { name: 'load', ops: [load(B)] },
  ],
  bounds: { maxStates: 20_000 },
  expect: { 'zbud-indirect': { violates: 'zbud-no-access-after-free' } },
  mutation: 'ZB2',
};

/** Relocation against reclaim, invalidation and a load: the indirect design's handle words must
 *  survive every interleaving (reclaim holds words across its unlocked evict calls). */
export const relocateVsReclaim: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-relocate-vs-reclaim',
  title: 'Relocation against zbud_reclaim_page, an invalidation and a load',
  description: 'page[0] holds B, page[1] holds C. Compaction may move either into the other while reclaim evicts a page, zswap invalidates B and loads C.',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool: { pages: 2, entries: 3 },
  setup: [store(A, 2), store(B, 2), store(C, 2), invalidate(A)],
  threads: [
    { name: 'compact', ops: [relocate()] },
    { name: 'reclaim', ops: [reclaim()] },
    { name: 'zswap', ops: [invalidate(B), load(C)] },
  ],
  bounds: { maxStates: 50_000 },
  expect: {
    'zbud-inline': { violates: 'zbud-handle-page-not-freed' },
    'zbud-page': { violates: 'zbud-handle-page-not-freed' },
    'zbud-indirect': { holds: true },
  },
};

/** Everything at once on three pages: two relocations, reclaim, invalidate, load and a new store. */
export const relocateMixed: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-relocate-mixed',
  title: 'Two relocations against reclaim, invalidate, load and store on three pages',
  description: 'page[0] holds B, page[1] C; compaction runs twice while reclaim evicts a page and zswap invalidates B, loads C and stores D (which may take a fresh page[2]).',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool: { pages: 3, entries: 4 },
  setup: [store(A, 2), store(B, 2), store(C, 2), invalidate(A)],
  threads: [
    { name: 'compact', ops: [relocate(), relocate()] },
    { name: 'reclaim', ops: [reclaim()] },
    { name: 'zswap', ops: [invalidate(B), load(C), store(3, 1)] },
  ],
  bounds: { maxStates: 50_000 },
  expect: {
    'zbud-inline': { violates: 'zbud-handle-page-not-freed' },
    'zbud-page': { violates: 'zbud-handle-page-not-freed' },
    'zbud-indirect': { holds: true },
  },
};
