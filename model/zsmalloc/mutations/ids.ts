/** Historical zsmalloc bugs (named by their fixing commits in index.ts), the hazards of the
 *  memdesc conversion (M1-M4), and mutations that
 *  each remove one kernel protection of a modelled mechanism (R1: the pool read lock that
 *  makes handle resolution safe); N1 is a modelled compactor that spins (non-progress). */
export type MutationId = 'A1' | 'A3' | 'A5' | 'A6' | 'B1' | 'M1' | 'M2' | 'M3' | 'M4' | 'R1' | 'A2' | 'A4' | 'D1' | 'D2' | 'Z1' | 'A7'
  | 'F1' | 'S1' | 'P1' | 'O2' | 'C1' | 'R2' | 'G1' | 'U1' | 'I1' | 'W1' | 'S2' | 'K1' | 'K3' | 'S3' | 'O1' | 'SL1' | 'I2' | 'L1' | 'L2' | 'S4' | 'T1' | 'Z2' | 'N1';
export const mutationIds: readonly MutationId[] = ['A1', 'A3', 'A5', 'A6', 'B1', 'M1', 'M2', 'M3', 'M4', 'R1', 'A2', 'A4', 'D1', 'D2', 'Z1', 'A7',
  'F1', 'S1', 'P1', 'O2', 'C1', 'R2', 'G1', 'U1', 'I1', 'W1', 'S2', 'K1', 'K3', 'S3', 'O1', 'SL1', 'I2', 'L1', 'L2', 'S4', 'T1', 'Z2', 'N1'];
export function isMutationId(s: string): s is MutationId {
  return (mutationIds as readonly string[]).includes(s);
}
