/**
 * Build and exploration switches a scenario may set. Every field has a default that keeps the
 * model as it was before the switch existed, so older scenarios keep their state counts.
 */
export interface ModelConfig {
  /**
   * How the model resolves a choice the kernel leaves to list order or timing:
   * `'lowest'` takes the lowest-index candidate (deterministic, small state space);
   * `'any'` explores every candidate: every zspage on the list find_get_zspage,
   * isolate_src_zspage and isolate_dst_zspage take their `list_first_entry` from (its head
   * depends on the order of earlier insert_zspage calls), and every free page frame the buddy
   * allocator may hand alloc_zspage or compaction_alloc.
   */
  readonly picks: 'lowest' | 'any';
  /**
   * CONFIG_COMPACTION. Off: SetZsPageMovable, the movable_ops registration and the deferred
   * free worker are compiled out (free_zspage cannot defer), as in mm/zsmalloc.c's
   * `#ifdef CONFIG_COMPACTION` blocks; pages are never movable, so the migration core cannot
   * isolate them.
   */
  readonly compaction: boolean;
  /**
   * How the lists zspages are linked on are represented: `'membership'` keeps only which list
   * a zspage is on; `'list_head'` adds the list_head words (next/prev, LIST_POISON after
   * list_del) of the class fullness lists and async_free_zspage's local list, checked as
   * CONFIG_DEBUG_LIST does, and list-head picks follow the kernel's list order.
   */
  readonly lists: 'membership' | 'list_head';
}

export const defaultConfig: ModelConfig = { picks: 'lowest', compaction: true, lists: 'membership' };

export function resolveConfig(o?: Partial<ModelConfig>): ModelConfig {
  return { ...defaultConfig, ...(o ?? {}) };
}

/**
 * Whether the per-zspage lock is compiled out. E2 keeps `rwlock_t lock` in struct zspage and
 * migrate_read_lock/migrate_write_lock only under CONFIG_COMPACTION (no-ops otherwise), which
 * is safe there because compaction pins handles. E3 (5.17 rework) kept those no-ops while
 * __zs_compact came to rely on migrate_write_lock against zs_map_object; the A7 mutation
 * re-creates that in the E6 code (zspage_read_lock/zspage_write_trylock, which 6.15+ builds
 * unconditionally).
 */
export function zspageLockCompiledOut(design: string, config: ModelConfig, a7: boolean): boolean {
  if (config.compaction) return false;
  return design === 'legacy' || a7;
}
