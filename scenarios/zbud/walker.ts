import type { ZbudScenario } from './types.js';
import { A, B, invalidate, store, walk } from './types.js';

const threads = [
  { name: 'store', ops: [store(B, 2), invalidate(A)] },
  { name: 'walker', ops: [walk(), walk()] },
];

export const walker: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-walker',
  title: 'A pfn walker reads struct page of zbud pages (zbud_page-2013 field assignment)',
  description: 'A compaction-style scanner reads page_type, compound_head and mapping of every pfn without a reference while zswap stores and invalidates. zbud-page keeps first_chunks/last_chunks where the 2013 struct zbud_page overlay put them: the word at offset 8, compound_head.',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool: { pages: 2, entries: 2 },
  setup: [store(A, 1)],
  threads,
  bounds: { maxStates: 20_000 },
  expect: {
    'zbud-inline': { holds: true },
    'zbud-page': { violates: 'zbud-walker-classifies' },
    'zbud-indirect': { holds: true },
  },
};

export const walkerCountsInMapping: ZbudScenario = {
  ...walker,
  id: 'zbud-walker-counts-in-mapping',
  title: 'The walker against zbud-page with the chunk counts in page->mapping',
  description: 'zbud-page with first_chunks/last_chunks stored in mapping: a count of 2 reads as PAGE_MAPPING_MOVABLE.',
  designs: ['zbud-page'],
  setup: [store(A, 2)],
  expect: { 'zbud-page': { violates: 'zbud-walker-classifies' } },
  options: { zbudPageFields: 'counts-in-mapping' },
};

export const walkerLruPrivate: ZbudScenario = {
  ...walker,
  id: 'zbud-walker-lru-private',
  title: 'The walker against zbud-page with lists in page->lru and counts in page->private',
  description: 'zbud-page with its lists through lru (pointers: compound_head bit 0 clear) and the counts in private: nothing a walker interprets.',
  designs: ['zbud-page'],
  expect: { 'zbud-page': { holds: true } },
  options: { zbudPageFields: 'lru-private' },
};
