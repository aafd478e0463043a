import { spanningPool, type Scenario } from '../types.js';
import { A, B, C, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-a6-bitfield-word',
  title: 'A6: isolated and fullness share a word under different locks',
  description: 'zs_page_isolate increments zspage->isolated with a load/store of the bitfield word under the zspage lock only; zs_free(C), under class->lock, still sees isolated == 0 and re-lists the zspage the isolation took off its list; putback then inserts it a second time, so the fullness lists and their stats disagree (the list corruption behind the VM_BUG_ONs of the report).',
  designs: ['legacy'],
  shape: spanningPool(3, 3),
  setup: [malloc(A, 1), malloc(B, 2), malloc(C, 3)],
  threads: [
    { name: 'migrate', ops: [migrate([0], true)] },
    { name: 'free', ops: [free(C)] },
  ],
  mutation: 'A6',
  bounds: { maxStates: 200_000 },
  expect: { legacy: { violates: 'class-stats' } },
};
