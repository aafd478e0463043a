/**
 * Thread programs: what a scenario's threads do, one operation after another. Each operation is
 * executed as a sequence of atomic steps (§2.7) by the machine.
 */
export type Op =
  /** zs_malloc(size of class `cls`) into handle slot `handle`; the object is filled with `payload`. */
  | { readonly kind: 'malloc'; readonly handle: number; readonly cls: number; readonly payload: number }
  | { readonly kind: 'free'; readonly handle: number }
  /** zs_obj_read_begin/end (legacy: zs_map_object/zs_unmap_object): checks content conservation. */
  | { readonly kind: 'read'; readonly handle: number }
  | { readonly kind: 'write'; readonly handle: number; readonly payload: number }
  /** zs_compact over every class (highest index first). */
  | { readonly kind: 'compact' }
  /** The generic migration core on one page frame chosen nondeterministically among `pages`
   *  (all frames when absent): isolate, then migrate or put back (also a nondeterministic choice). */
  | { readonly kind: 'migrate'; readonly pages?: readonly number[]; readonly putback?: boolean }
  /** The free_work worker: async_free_zspage once, if it has been scheduled. */
  | { readonly kind: 'async_free' }
  /** The shrinker's count_objects callback, zs_shrinker_count: zs_can_compact per class, unlocked. */
  | { readonly kind: 'shrinker_count' }
  /** zs_destroy_pool; the caller has freed every object first (zram/zswap teardown). */
  | { readonly kind: 'destroy_pool' };

export type OpKind = Op['kind'];

export interface ThreadProgram {
  readonly name: string;
  readonly ops: readonly Op[];
}
