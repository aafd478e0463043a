import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, asyncFree, free, malloc, migrate } from '../ops.js';

export const asyncFreeThreads = [
  { name: 'free', ops: [free(A)] },
  { name: 'migrate', ops: [migrate([1], false)] },
  { name: 'free_work', ops: [asyncFree()] },
];

export const scenario: Scenario = {
  id: 'async-free-vs-migrate',
  title: 'async_free_zspage against migration of a page of the zspage it frees',
  description: 'zs_free\'s trylock_zspage fails while the core holds page 1, so the free is deferred to free_work; the worker\'s lock_zspage walks the chain while the core migrates page 1.',
  designs: allDesigns,
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: asyncFreeThreads,
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
