import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'trylock-zspage-undo',
  title: 'trylock_zspage fails on the second page and undoes the first',
  description: 'The core holds page 1 locked (isolate/putback) when zs_free empties the zspage: trylock_zspage takes page 0, fails on page 1, unlocks page 0 and kicks the deferred free.',
  designs: allDesigns,
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'free', ops: [free(A)] },
    { name: 'migrate', ops: [migrate([1], true)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
