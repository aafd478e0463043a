import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, malloc, migrate, read, write } from '../ops.js';

export const scenario: Scenario = {
  id: 'migrate-vs-read-spanning',
  title: 'Migration of either page against reads/writes of an object spanning both pages',
  description: 'B is object 1 of a 2-page zspage and spans the page boundary; migrating page 1 moves its tail, which B\'s handle (naming page 0) does not mention. Reads check both parts.',
  designs: allDesigns,
  shape: spanningPool(3),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'reader', ops: [write(B, 3), read(B)] },
    { name: 'migrate', ops: [migrate([0, 1], false)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
