import { allDesigns, holdsEverywhere, spanningPool, type Scenario } from '../types.js';
import { A, B, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'set-movable-vs-core',
  title: 'SetZsPageMovable racing the migration core',
  description: 'zs_malloc builds a new zspage and marks its pages movable (trylock, set, unlock per page) while the core scans every page frame: it can isolate a page only once it is movable, so SetZsPageMovable\'s trylock, which nobody may fail, never fails; a second allocation into the zspage does not re-mark it.',
  designs: allDesigns,
  shape: spanningPool(3, 2),
  setup: [],
  threads: [
    { name: 'malloc', ops: [malloc(A, 1), malloc(B, 2)] },
    { name: 'core', ops: [migrate(undefined, true)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
