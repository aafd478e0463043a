import type { StateVector } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { ZSPAGE_MAGIC } from '../fields.js';

/**
 * zs_destroy_pool (mm/zsmalloc.c). The caller has freed every object; what teardown must still
 * wait for is work other subsystems hold on the pool:
 * - legacy (E2, 5.3+): zs_unregister_migration sets `pool->destroying`, waits in
 *   wait_for_isolated_drain until `pool->isolated_pages` is 0 (the migration core may still
 *   hold isolated pages whose putback re-lists an empty zspage and schedules free_work), then
 *   flush_work(&pool->free_work) ("mm/zsmalloc.c: fix race condition in zs_destroy_pool",
 *   701d678599d0; mutation A4 drops the wait);
 * - zpdesc (E6): zs_flush_migration = flush_work(&pool->free_work); zs_page_migrate of a page
 *   whose zspage was freed returns before touching the pool, so nothing else is waited for
 *   (mutation D1 drops the flush, in every design);
 * - memdesc (E7): the migration core holds a reference on each zspage descriptor it isolated
 *   a page of, and the last put frees the descriptor into zsmalloc's cache, so teardown also
 *   waits until no descriptor zsmalloc released is still referenced (mutation D2 drops that
 *   wait). A zspage zsmalloc itself still holds is the caller's leak, which
 *   pool-use-after-destroy reports; teardown does not wait for it.
 * zs_create_pool is the boot state: the pool is not reachable by any other thread before it
 * returns, so it has no interleavings to model. The final step stands for the kfree of the
 * classes and the pool (ghost `pool.destroyed`); the kernel's pr_err on a non-empty fullness
 * list is the leak the pool-use-after-destroy invariant reports.
 */

/** flush_work: the free_work item is neither pending nor running. */
function freeWorkIdle(m: Machine, s: StateVector): boolean {
  if (s[m.f.freeWork] !== 0) return false;
  for (let t = 0; t < m.T; t++) {
    const l = m.pcLabel(s, t);
    if (l === undefined || l === 'async_free_zspage:start') continue;
    if (m.op(s, t).kind === 'async_free') return false;
  }
  return true;
}

/** A descriptor zsmalloc has released (its chain is gone) but the core still references. */
function releasedDescriptorAlive(m: Machine, s: StateVector): boolean {
  for (let z = 0; z < m.K; z++) if (s[m.f.zMagic[z]] === ZSPAGE_MAGIC && s[m.f.zFirst[z]] < 0) return true;
  return false;
}

export const destroySteps: StepDef[] = [
  {
    label: 'zs_unregister_migration:set_destroying',
    designs: ['legacy'],
    run(m, s, t) {
      s[m.f.poolDestroying] = 1;
      m.goto(s, t, 'zs_unregister_migration:wait_for_isolated_drain');
    },
  },
  {
    // wait_event(pool->migration_wait, isolated_pages == 0) (may sleep).
    label: 'zs_unregister_migration:wait_for_isolated_drain',
    sleeps: true,
    designs: ['legacy'],
    enabled: (m, s) => m.has('A4') || s[m.f.poolIsolatedPages] === 0,
    run(m, s, t) { m.goto(s, t, 'zs_destroy_pool:flush_work'); },
  },
  {
    label: 'zs_destroy_pool:flush_work',
    sleeps: true,
    enabled: (m, s) => m.has('D1') || freeWorkIdle(m, s),
    run(m, s, t) { m.goto(s, t, m.design === 'memdesc' ? 'zs_destroy_pool:wait_descriptors' : 'zs_destroy_pool:free_pool'); },
  },
  {
    label: 'zs_destroy_pool:wait_descriptors',
    sleeps: true,
    designs: ['memdesc'],
    enabled: (m, s) => m.has('D2') || !releasedDescriptorAlive(m, s),
    run(m, s, t) { m.goto(s, t, 'zs_destroy_pool:free_pool'); },
  },
  {
    label: 'zs_destroy_pool:free_pool',
    run(m, s, t) {
      s[m.f.poolDestroyed] = 1;
      m.endOp(s, t);
    },
  },
];
