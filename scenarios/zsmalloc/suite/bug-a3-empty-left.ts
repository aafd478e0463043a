import { spanningPool, type Scenario } from '../types.js';
import { A, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-a3-empty-left',
  title: 'A3: migration re-lists an empty zspage and schedules no free',
  description: 'The core isolates a page of A\'s zspage; zs_free(A) empties it but leaves an isolated zspage to the migration path; zs_page_migrate, as the last isolated page, puts it on ZS_EMPTY. Without the schedule of free_work it stays allocated forever.',
  designs: ['legacy'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'migrate', ops: [migrate([0], false)] },
    { name: 'free', ops: [free(A)] },
  ],
  mutation: 'A3',
  bounds: { maxStates: 200_000 },
  expect: { legacy: { violates: 'no-empty-zspage-left' } },
};
