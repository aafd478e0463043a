import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'free-last-while-isolated',
  title: 'zs_free of the last object while a page of its zspage is isolated',
  description: 'The zspage empties while the core holds an isolated page: E6 frees it and zs_page_migrate sees zspage == NULL; E2 leaves it to putback/migrate, which re-list it and schedule free_work; memdesc keeps the descriptor alive through the core\'s reference.',
  designs: allDesigns,
  shape: spanningPool(3),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'free', ops: [free(A)] },
    { name: 'migrate', ops: [migrate()] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
