import { allDesigns, spanningPool, type Expectation, type Scenario } from '../types.js';
import { A, B, C, D, malloc, shrinkerCount } from '../ops.js';

const wraps: Expectation = { violates: 'shrinker-count-bounded' };

export const scenario: Scenario = {
  id: 'bug-a2-shrinker-count-wraps',
  title: 'A2: zs_can_compact without the obj_allocated <= obj_used guard',
  description: 'The unlocked count loads ZS_OBJS_ALLOCATED of a class whose only zspage is full, zs_malloc allocates a second zspage, and the count then loads the larger ZS_OBJS_INUSE: the unsigned subtraction wraps.',
  designs: allDesigns,
  shape: spanningPool(4, 4),
  setup: [malloc(A, 1), malloc(B, 2), malloc(C, 3)],
  threads: [
    { name: 'shrinker', ops: [shrinkerCount()] },
    { name: 'user', ops: [malloc(D, 4)] },
  ],
  mutation: 'A2',
  bounds: { maxStates: 200_000 },
  expect: { legacy: wraps, zpdesc: wraps, memdesc: wraps },
};
