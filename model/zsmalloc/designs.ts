/**
 * The three zsmalloc designs the checker compares (see the README's "Designs"):
 * - `legacy`: Linux 4.8–5.16 (E2) mechanics with the E3 pieces where the historical bugs lived:
 *   per-page PG_locked, the handle pin bit, `zspage->isolated` in the bitfield word, isolation
 *   that takes the zspage off its fullness list.
 * - `zpdesc`: Linux 6.18 (E6): `struct zpdesc` overlay, pool rwlock, `zspage_lock`, sticky
 *   PageZsmalloc + PG_movable_ops, `zs_page_isolate` only checks `zpdesc->zspage`.
 * - `memdesc`: the pageless end-state (E7): one word per page pointing at the zspage, which
 *   carries PG_locked, `_refcount`, `mapping` and the isolated state.
 */
export type Design = 'legacy' | 'zpdesc' | 'memdesc';

export const designs: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];

export function isDesign(s: string): s is Design {
  return (designs as readonly string[]).includes(s);
}

