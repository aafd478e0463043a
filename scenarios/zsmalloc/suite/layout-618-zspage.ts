import { spanningPool, type Scenario } from '../types.js';
import { A, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'layout-618-zspage',
  title: 'Layout meets behaviour: the core\'s _refcount get lands on zsl.cnt of the 6.18 struct zspage',
  description: 'memdesc with the 6.18 struct zspage behind the one-word page: the core\'s folio_try_get at struct page offset 52 increments zsl.cnt (and its PG_locked at offset 0 sets the huge bit). A reader holding the zspage read lock makes the try-get succeed, and the lock count no longer matches its readers. With the proposed layout the same run holds.',
  designs: ['memdesc'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'reader', ops: [read(A)] },
    { name: 'migrate', ops: [migrate([0], true)] },
  ],
  options: { zspageLayout: '6.18' },
  bounds: { maxStates: 100_000 },
  expect: { memdesc: { violates: 'zspage-lock-state' } },
};
