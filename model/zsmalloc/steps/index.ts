import { match } from 'ts-pattern';
import type { Design } from '../designs.js';
import type { StepDef } from '../machine.js';
import type { Op } from '../program.js';
import { accessSteps } from './access.js';
import { asyncFreeSteps } from './async-free.js';
import { compactSteps } from './compact.js';
import { freeSteps } from './free.js';
import { mallocSteps } from './malloc.js';
import { migrateSteps } from './migrate.js';
import { shrinkerSteps } from './shrinker.js';
import { destroySteps } from './destroy.js';

/** Every step of every operation; the machine keeps those of its design. */
export const allSteps: readonly StepDef[] = [
  ...mallocSteps, ...freeSteps, ...accessSteps, ...compactSteps, ...migrateSteps, ...asyncFreeSteps,
  ...shrinkerSteps, ...destroySteps,
];

/** The first step of each operation, per design. */
export function entryStep(op: Op, design: Design): string {
  const legacy = design === 'legacy';
  return match(op)
    .with({ kind: 'malloc' }, () => 'zs_malloc:cache_alloc_handle')
    .with({ kind: 'free' }, () => (legacy ? 'zs_free:pin_tag' : 'zs_free:read_lock_pool'))
    .with({ kind: 'read' }, () => (legacy ? 'zs_map_object:pin_tag' : 'zs_obj_read_begin:read_lock_pool'))
    .with({ kind: 'write' }, () => (legacy ? 'zs_map_object:pin_tag' : 'zs_obj_write:read_lock_pool'))
    .with({ kind: 'compact' }, () => 'zs_compact:compaction_in_progress')
    .with({ kind: 'migrate' }, () => (design === 'memdesc' ? 'isolate_movable_ops_page:read_memdesc' : 'isolate_movable_ops_page:get_page_unless_zero'))
    .with({ kind: 'async_free' }, () => 'async_free_zspage:start')
    .with({ kind: 'shrinker_count' }, () => 'zs_shrinker_count:start')
    .with({ kind: 'destroy_pool' }, () => (legacy ? 'zs_unregister_migration:set_destroying' : 'zs_destroy_pool:flush_work'))
    .exhaustive();
}
