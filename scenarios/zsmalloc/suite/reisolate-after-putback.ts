import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, asyncFree, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'reisolate-after-putback',
  title: 'Two core threads isolate the same page in turn while its zspage is freed',
  description: 'One core thread isolates and puts back a page while another re-isolates it, zs_free empties and frees the zspage (or defers it to free_work). In memdesc the release of the detached physical page must go to the core thread that clears the isolated flag after the page left the zspage, not to the one that finishes last.',
  designs: allDesigns,
  shape: spanningPool(4, 2, 2),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'user', ops: [free(A), free(B)] },
    { name: 'migrate0', ops: [migrate()] },
    { name: 'migrate1', ops: [migrate()] },
    { name: 'free_work', ops: [asyncFree()] },
  ],
  bounds: { maxStates: 1_000_000 },
  expect: holdsEverywhere(),
};
