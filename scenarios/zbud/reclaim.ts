import type { ZbudScenario } from './types.js';
import { A, B, invalidate, load, reclaim, store } from './types.js';

const pool = { pages: 1, entries: 2 };
const setup = [store(A, 2), store(B, 2)];
const threads = [
  { name: 'reclaim', ops: [reclaim()] },
  { name: 'invalidate', ops: [invalidate(A), invalidate(B)] },
  { name: 'load', ops: [load(B)] },
];

export const reclaimVsInvalidate: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-reclaim-vs-invalidate',
  title: 'zbud_reclaim_page evicts a page whose buddies are being invalidated and loaded',
  description: 'Reclaim encodes both handles of page[0] under pool->lock and evicts them without it; zswap invalidates A and B and loads B meanwhile. under_reclaim keeps the page until reclaim puts it back.',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool, setup, threads,
  bounds: { maxStates: 50_000 },
  expect: { 'zbud-inline': { holds: true }, 'zbud-page': { holds: true }, 'zbud-indirect': { holds: true } },
};

export const freeUnderReclaim: ZbudScenario = {
  ...reclaimVsInvalidate,
  id: 'zbud-bug-free-under-reclaim',
  title: 'ZB1: zbud_free frees a page under reclaim',
  description: 'As zbud-reclaim-vs-invalidate, with zbud_free ignoring under_reclaim: the invalidations free page[0] and the evict callback maps a handle on it.',
  expect: {
    'zbud-inline': { violates: 'zbud-no-access-after-free' },
    'zbud-page': { violates: 'zbud-no-access-after-free' },
    'zbud-indirect': { violates: 'zbud-no-access-after-free' },
  },
  mutation: 'ZB1',
};

export const storeVsReclaim: ZbudScenario = {
  system: 'zbud',
  id: 'zbud-store-vs-reclaim',
  title: 'A store that needs a new page against reclaim of the only page',
  description: 'The pool\'s one page holds A (3 chunks); storing B (3 chunks) needs a fresh page: alloc_page() fails (-ENOMEM) unless reclaim has written A back and freed the page first. zswap loads A meanwhile.',
  designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'],
  pool: { pages: 1, entries: 2 },
  setup: [store(A, 3)],
  threads: [
    { name: 'store', ops: [store(B, 3), load(B)] },
    { name: 'reclaim', ops: [reclaim()] },
    { name: 'load', ops: [load(A)] },
  ],
  bounds: { maxStates: 50_000 },
  expect: { 'zbud-inline': { holds: true }, 'zbud-page': { holds: true }, 'zbud-indirect': { holds: true } },
};
