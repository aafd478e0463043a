import { allScenarios, runScenario } from '../scenarios/zsmalloc/index.js';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** The default suite's distinct states with the reductions its models declare (on by default)
 *  and without any, safety search only, measured in the same run. */
export function suiteReductions(): void {
  let withStates = 0, withoutStates = 0, withMs = 0, withoutMs = 0;
  const reduced: string[] = [];
  for (const s of allScenarios()) {
    for (const d of s.designs) {
      const a = runScenario(s, d, { check: { checkProgress: false } }).result.stats;
      const b = runScenario(s, d, { check: { checkProgress: false, symmetry: false, partialOrder: false } }).result.stats;
      withStates += a.distinctStates; withoutStates += b.distinctStates;
      withMs += a.elapsedMs; withoutMs += b.elapsedMs;
      if (a.distinctStates !== b.distinctStates) reduced.push(`${s.id}/${d} ${fmt(b.distinctStates / a.distinctStates)}x`);
    }
  }
  console.log('default suite, reductions on (as declared) vs off (safety search):');
  console.log(`  ${fmt(withStates)} vs ${fmt(withoutStates)} distinct states: ${fmt(withoutStates / withStates)}x fewer; ${fmt(withMs)} vs ${fmt(withoutMs)} ms`);
  console.log(`  reduced runs: ${reduced.length > 0 ? reduced.join(', ') : 'none'}`);
}
