import { spanningPool, type Scenario } from '../types.js';
import { A, asyncFree, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-a5-lock-zspage',
  title: 'A5: async_free_zspage walks a chain that migration rewrites',
  description: 'zs_free\'s trylock_zspage fails while the core holds page 0, so free_work runs lock_zspage; the pre-fix loop (lock_page; next) without the zspage read lock races with zs_page_migrate replacing page 0, so the worker sleeps on a page that migration has meanwhile replaced and freed, and locks a page that is back in the buddy allocator (failure mode 1 of the fix\'s description).',
  designs: ['zpdesc'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'free', ops: [free(A)] },
    { name: 'migrate', ops: [migrate([0], false)] },
    { name: 'free_work', ops: [asyncFree()] },
  ],
  mutation: 'A5',
  bounds: { maxStates: 400_000 },
  expect: { zpdesc: { violates: 'no-page-use-after-free' } },
};
