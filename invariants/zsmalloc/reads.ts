/**
 * `reads` declarations of the zsmalloc properties (explorer/system.ts StateInvariant.reads):
 * the fields a check may look at, so that partial-order reduction can tell which steps no
 * property sees, and a step that writes none of them need not re-check the property.
 * Over-approximation is safe; test/invariants/reads.test.ts records what each check actually
 * reads on the reachable states of the default suite and fails on any field not declared.
 */

/** The union of per-object field arrays (and single fields), absent fields (-1) dropped,
 *  each index once, ascending. */
export function fieldsOf(...groups: readonly (readonly number[] | number)[]): number[] {
  const out = new Set<number>();
  for (const g of groups) {
    if (typeof g === 'number') { if (g >= 0) out.add(g); continue; }
    for (const i of g) if (i >= 0) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
