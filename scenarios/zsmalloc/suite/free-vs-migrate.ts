import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'free-vs-migrate',
  title: 'zs_free against isolate/migrate/putback of a page of the same zspage',
  description: 'A and B share a zspage; one thread frees A and reads B while the migration core isolates any page and migrates or puts it back.',
  designs: allDesigns,
  shape: spanningPool(3),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'user', ops: [free(A), read(B)] },
    { name: 'migrate', ops: [migrate()] },
  ],
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
