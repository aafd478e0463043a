import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, C, D, free, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'four-objects-two-classes',
  title: 'Four objects across two size classes, freed and read while a page migrates',
  description: 'A and B share a 2-page zspage of class 0 (B spans its pages); C and D each fill a 1-page zspage of class 1. One user frees A and reads B, another frees C (its zspage empties and is freed) and reads D, while the core migrates any page of either class. Each class has its own lock, lists and stats; the frames are shared, so a page C\'s zspage gives back can be the core\'s migration destination.',
  designs: allDesigns,
  shape: { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }, { size: 3, pagesPerZspage: 1 }], pageFrames: 5, zspageSlots: 3, handles: 4 },
  setup: [malloc(A, 1, 0), malloc(B, 2, 0), malloc(C, 3, 1), malloc(D, 4, 1)],
  threads: [
    { name: 'class0', ops: [free(A), read(B)] },
    { name: 'class1', ops: [free(C), read(D)] },
    { name: 'migrate', ops: [migrate()] },
  ],
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
