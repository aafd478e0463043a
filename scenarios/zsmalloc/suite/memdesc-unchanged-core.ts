import { spanningPool, type Scenario } from '../types.js';
import { A, free, malloc, migrate } from '../ops.js';
import { unchangedCore } from '../../../model/zsmalloc/memdesc/options.js';

export const scenario: Scenario = {
  id: 'memdesc-unchanged-core',
  title: 'memdesc with today\'s generic migration core, unchanged',
  description: 'Every E7 protocol switch off (no re-check, per-page refs on the shared zspage count, folio list entries, immediate descriptor free, recomputed page_folio): freeing the zspage drops the shared count to zero under the freer, which then unlocks a freed descriptor.',
  designs: ['memdesc'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'migrate', ops: [migrate([0], false)] },
    { name: 'free', ops: [free(A)] },
  ],
  options: unchangedCore,
  bounds: { maxStates: 200_000 },
  expect: { memdesc: { violates: 'no-zspage-use-after-free' } },
};
