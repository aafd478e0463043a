import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'two-migrations-one-zspage',
  title: 'Two migration threads on the two pages of one zspage',
  description: 'Two core threads isolate and migrate page 0 and page 1 of the same zspage at once (E6 allows one isolated flag per page; memdesc serialises them on the zspage lock) while B is read.',
  designs: allDesigns,
  shape: spanningPool(4),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'migrate0', ops: [migrate([0], false)] },
    { name: 'migrate1', ops: [migrate([1], false)] },
    { name: 'reader', ops: [read(B)] },
  ],
  bounds: { maxStates: 600_000 },
  expect: holdsEverywhere(),
};
