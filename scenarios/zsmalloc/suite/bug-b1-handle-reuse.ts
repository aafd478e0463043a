import { spanningPool, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-b1-handle-reuse',
  title: 'B1 (nearest mechanism): a busy zspage\'s free reuses the live handle word',
  description: 'The original race is writeback (zs_reclaim_page) against zs_free on an under_reclaim zspage, which this model has no counterpart for; the nearest mechanism is zs_free on an isolated zspage deferring the handle by storing list linkage into the handle word while the object header still names it.',
  designs: ['legacy'],
  shape: spanningPool(3),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'migrate', ops: [migrate([0], true)] },
    { name: 'free', ops: [free(B)] },
  ],
  mutation: 'B1',
  bounds: { maxStates: 200_000 },
  expect: { legacy: { violates: 'handle-consistency' } },
};
