import type { Scenario } from '../types.js';
import { A, D, compact, read } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';
import { noCompactionConfig } from './no-compaction-build.js';

const broken = { violates: 'content-conservation' } as const;

export const scenario: Scenario = {
  id: 'bug-a7-noop-zspage-lock',
  title: 'A7: the zspage lock is a no-op without CONFIG_COMPACTION',
  description: 'The reader resolves its object and takes the (compiled-out) zspage read lock; compaction\'s zspage_write_trylock succeeds anyway, moves the object and empties the slot the reader then copies from.',
  designs: ['zpdesc', 'memdesc'],
  shape: compactionPool,
  setup: compactionSetup,
  config: noCompactionConfig,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'reader', ops: [read(A), read(D)] },
  ],
  mutation: 'A7',
  bounds: { maxStates: 200_000 },
  expect: { zpdesc: broken, memdesc: broken },
};
