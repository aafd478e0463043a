import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'huge-class',
  title: 'Huge class: one object per page, handle kept in the page',
  description: 'A huge class keeps the handle in the page descriptor (zpdesc->handle) instead of an object header; migration copies it, free clears it.',
  designs: allDesigns,
  shape: { pageUnits: 3, classes: [{ size: 3, pagesPerZspage: 1 }], pageFrames: 3, zspageSlots: 2, handles: 2 },
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'user', ops: [free(A), read(B)] },
    { name: 'migrate', ops: [migrate()] },
  ],
  bounds: { maxStates: 300_000 },
  expect: holdsEverywhere(),
};
