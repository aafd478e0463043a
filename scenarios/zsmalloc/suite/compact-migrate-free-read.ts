import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, C, D, compact, free, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'compact-migrate-free-read',
  title: 'Compaction, page migration, free and read all at once',
  description: 'Two half-used zspages: a user frees A, reads B and frees C while the core migrates any page and compaction moves objects between the zspages.',
  designs: allDesigns,
  shape: { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 5, zspageSlots: 3, handles: 4 },
  setup: [malloc(A, 1), malloc(B, 2), malloc(C, 3), malloc(D, 4)],
  threads: [
    { name: 'user', ops: [free(A), read(B), free(C)] },
    { name: 'migrate', ops: [migrate()] },
    { name: 'compact', ops: [compact()] },
  ],
  bounds: { maxStates: 1_000_000 },
  expect: holdsEverywhere(),
};
