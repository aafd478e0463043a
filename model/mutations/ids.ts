/** Historical zsmalloc bugs (named by their fixing commits in index.ts), plus the hazards of the
 *  memdesc conversion (M1-M4). */
export type MutationId = 'A1' | 'A3' | 'A5' | 'A6' | 'B1' | 'M1' | 'M2' | 'M3' | 'M4';
export const mutationIds: readonly MutationId[] = ['A1', 'A3', 'A5', 'A6', 'B1', 'M1', 'M2', 'M3', 'M4'];
export function isMutationId(s: string): s is MutationId {
  return (mutationIds as readonly string[]).includes(s);
}
