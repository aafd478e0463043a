import type { Scenario } from '../types.js';
import { teardownBase } from './teardown-vs-migrate.js';

const broken = { violates: 'pool-use-after-destroy' } as const;

export const bugA4: Scenario = {
  ...teardownBase,
  id: 'bug-a4-destroy-isolated',
  title: 'A4: zs_destroy_pool does not wait for isolated pages',
  description: 'zs_free leaves the emptied zspage to the core, which holds page 0 isolated; teardown flushes free_work and frees the pool; the core\'s putback (or migration) re-lists the zspage as ZS_EMPTY and schedules free_work on the freed pool.',
  designs: ['legacy'],
  mutation: 'A4',
  expect: { legacy: broken },
};

export const bugD1: Scenario = {
  ...teardownBase,
  id: 'bug-d1-destroy-no-flush',
  title: 'D1: zs_destroy_pool without flush_work',
  description: 'zs_free\'s trylock_zspage fails on the page the core has locked, so the free is deferred to free_work; teardown frees the pool with the work still pending.',
  mutation: 'D1',
  expect: { legacy: broken, zpdesc: broken, memdesc: broken },
};

export const bugD2: Scenario = {
  ...teardownBase,
  id: 'bug-d2-destroy-descriptor-ref',
  title: 'D2: memdesc teardown while the core holds a descriptor reference',
  description: 'zsmalloc releases the zspage of the isolated page (its own reference is dropped, the core\'s remains), and teardown frees the pool before the core\'s final put frees the descriptor.',
  designs: ['memdesc'],
  mutation: 'D2',
  expect: { memdesc: broken },
};
