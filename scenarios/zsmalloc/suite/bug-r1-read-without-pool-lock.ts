import type { Scenario } from '../types.js';
import { A, D, compact, read } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';
import { compactMovesConfig } from './compact-moves-read-write.js';

export const scenario: Scenario = {
  id: 'bug-r1-read-without-pool-lock',
  title: 'R1: zs_obj_read_begin resolves the handle without pool->lock',
  description: 'The reader loads obj = *h for the object compaction moves with no pool read lock around the lookup; compaction moves the object and drops the source zspage\'s write lock before the reader takes its read lock, so the reader reads the old, already freed slot.',
  designs: ['zpdesc', 'memdesc'],
  shape: compactionPool,
  setup: compactionSetup,
  config: compactMovesConfig,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'reader', ops: [read(A), read(D)] },
  ],
  mutation: 'R1',
  bounds: { maxStates: 200_000 },
  expect: { zpdesc: { violates: 'content-conservation' }, memdesc: { violates: 'content-conservation' } },
};
