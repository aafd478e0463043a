import { spanningPool, type Scenario } from '../types.js';
import { A, B, C, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-a6-bitfield-word',
  title: 'A6: isolated and fullness share a word under different locks',
  description: 'The E3 locking (c4549b871102): zs_page_isolate loads the bitfield word {fullness=ZS_FULL, isolated=0} under the zspage lock; zs_free(C), under class->lock only, moves the zspage to ZS_ALMOST_EMPTY; the isolate store writes {ZS_FULL, 1} back, so the zspage sits on the ZS_ALMOST_EMPTY list with a ZS_FULL field. The checker reports the racy store itself: it writes the word\'s isolated and fullness bits without class->lock (guarded-by).',
  designs: ['legacy'],
  shape: spanningPool(3, 3),
  setup: [malloc(A, 1), malloc(B, 2), malloc(C, 3)],
  threads: [
    { name: 'migrate', ops: [migrate([0], true)] },
    { name: 'free', ops: [free(C)] },
  ],
  mutation: 'A6',
  bounds: { maxStates: 200_000 },
  expect: { legacy: { violates: 'guarded-by' } },
};
