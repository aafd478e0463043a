import { spanningPool, type Scenario } from '../types.js';
import { A, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-m3-recomputed-folio',
  title: 'M3: unlock via page_folio(dst) after replace_sub_page unlocks the zspage twice',
  description: 'After zs_page_migrate links dst into the zspage, the core recomputes page_folio(dst), which is now the zspage: folio_unlock(dst) releases the zspage lock that src\'s unlock releases again.',
  designs: ['memdesc'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [{ name: 'migrate', ops: [migrate([0], false)] }],
  mutation: 'M3',
  bounds: { maxStates: 50_000 },
  expect: { memdesc: { violates: 'lock-owner-unlock' } },
};
