/**
 * fast-check runs of a property test: `n` in `npm test`; under mutation testing a fraction
 * (MEMDESC_FUZZ_FRACTION, set by the Stryker vitest configs), at least 25. There every mutant
 * that survives the fast tests reruns every property that reaches it, and most mutants a
 * property kills fail in its first few runs; the full count runs in the suite.
 */
export function runs(n: number): number {
  const fraction = Number(process.env.MEMDESC_FUZZ_FRACTION ?? '1');
  return fraction >= 1 ? n : Math.max(25, Math.round(n * fraction));
}
