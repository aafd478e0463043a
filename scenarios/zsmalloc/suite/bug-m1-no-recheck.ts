import type { Scenario } from '../types.js';
import { A, B, C, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-m1-no-recheck',
  title: 'M1: memdesc get without re-check isolates a page under the wrong zspage lock',
  description: 'The core reads page 1\'s memdesc (zspage[0]); A is freed (zspage[0] released, its pages returned) and two huge objects reuse descriptor slot 0 and page 1 under zspage[1]; the try-get on zspage[0] succeeds and the core locks it, not page 1\'s zspage.',
  designs: ['memdesc'],
  shape: { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }, { size: 3, pagesPerZspage: 1 }], pageFrames: 2, zspageSlots: 2, handles: 3 },
  setup: [malloc(A, 1, 0)],
  threads: [
    { name: 'migrate', ops: [migrate([1], true)] },
    { name: 'user', ops: [free(A), malloc(B, 2, 1), malloc(C, 3, 1)] },
  ],
  mutation: 'M1',
  bounds: { maxStates: 200_000 },
  expect: { memdesc: { violates: 'callback-page-locked' } },
};
