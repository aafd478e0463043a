import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'two-size-classes',
  title: 'Two size classes sharing the page allocator',
  description: 'Class 0 (2-page zspages, spanning objects) and class 1 (1 page, one object) allocate from the same frames while a migration runs; classes have their own locks and stats.',
  designs: allDesigns,
  shape: { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }, { size: 3, pagesPerZspage: 1 }], pageFrames: 4, zspageSlots: 2, handles: 2 },
  setup: [malloc(A, 1, 0)],
  threads: [
    { name: 'class0', ops: [free(A)] },
    { name: 'class1', ops: [malloc(B, 2, 1), read(B)] },
    { name: 'migrate', ops: [migrate([0, 1], true)] },
  ],
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
