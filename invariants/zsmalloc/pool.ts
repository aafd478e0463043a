import type { StateInvariant } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { describedBy, live } from './helpers.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { fieldsOf } from './reads.js';

/** The pool's life cycle (§5 inv. 27). */
export const docs: InvariantDoc[] = [
  { name: 'pool-use-after-destroy', kind: 'state', designs: allDesigns,
    description: 'Once zs_destroy_pool has freed the pool nothing refers to it: no free_work pending, no pool or class lock held, no isolated page counted, no zspage (or memdesc descriptor) alive.',
    kernelRule: 'mm/zsmalloc.c zs_destroy_pool: zs_unregister_migration/zs_flush_migration (wait_for_isolated_drain, flush_work) before kfree; 701d678599d0 "mm/zsmalloc.c: fix race condition in zs_destroy_pool"' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  return [{
    name: 'pool-use-after-destroy',
    description: describedBy(docs, 'pool-use-after-destroy'),
    reads: fieldsOf(f.poolDestroyed, f.freeWork, f.poolWriter, f.poolReaders, f.classLock, f.poolIsolatedPages, f.zMagic),
    check(s) {
      if (s[f.poolDestroyed] === 0) return null;
      if (s[f.freeWork] !== 0) return 'pool->free_work is scheduled on the destroyed pool';
      if (f.poolWriter >= 0 && (s[f.poolWriter] !== 0 || s[f.poolReaders] !== 0)) return 'pool->lock of the destroyed pool is held';
      for (let c = 0; c < m.pool.classes.length; c++) {
        if (s[f.classLock[c]] !== 0) return `class[${c}].lock of the destroyed pool is held by ${m.threadNames[s[f.classLock[c]] - 1]}`;
      }
      if (f.poolIsolatedPages >= 0 && s[f.poolIsolatedPages] !== 0) return `pool->isolated_pages of the destroyed pool is ${s[f.poolIsolatedPages]}: the core's putback of those pages will use the freed pool`;
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live); `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (live(m, s, z)) return `zspage[${z}] is still allocated after its pool and class were freed`;
      }
      return null;
    },
  }];
}
