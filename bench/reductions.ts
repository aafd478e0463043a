import { allScenarios, runScenario } from '../scenarios/zsmalloc/index.js';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

interface Kind {
  readonly name: string;
  /** Declare the model's partial-order footprints (model/zsmalloc/footprints.ts). */
  readonly footprints: boolean;
  readonly symmetry: boolean;
}

/** `none` first: the others are compared with it. `symmetry` is what `check` runs by default
 *  (the footprints are declared only on request); `both` adds the footprints to it. Partial
 *  order alone is left out: it saves nothing here (bench/por-ceiling.ts shows why) and would
 *  explore the whole unreduced suite a second time. */
const kinds: readonly Kind[] = [
  { name: 'none', footprints: false, symmetry: false },
  { name: 'symmetry', footprints: false, symmetry: true },
  { name: 'both', footprints: true, symmetry: true },
];

/** The default suite's distinct states without reductions and with each kind (safety search
 *  only, measured in the same run), the runs each kind reduces, and the progress pass `check`
 *  runs after it (on the symmetry quotient where one is declared, see explorer/liveness.ts). */
export function suiteReductions(): void {
  const states = kinds.map(() => 0);
  const ms = kinds.map(() => 0);
  const expansions = kinds.map(() => 0);
  const reduced: string[][] = kinds.map(() => []);
  // Per symmetry group kind (its name): the runs that declare it, and their states without reductions and with symmetry.
  const byGroup = new Map<string, { runs: number; none: number; symmetry: number }>();
  let progressStates = 0, progressMs = 0;
  const fullProgress: string[] = [];
  for (const s of allScenarios()) {
    for (const d of s.designs) {
      let none = 0;
      kinds.forEach((k, i) => {
        const st = runScenario(s, d, {
          footprints: k.footprints,
          check: { checkProgress: false, symmetry: k.symmetry, partialOrder: k.footprints },
        }).result.stats;
        if (i === 0) none = st.distinctStates;
        states[i] += st.distinctStates;
        ms[i] += st.elapsedMs;
        expansions[i] += st.reductions?.reducedExpansions ?? 0;
        // Which symmetry groups the run declared (threads, page frames), so each group's share shows.
        const groups = st.reductions?.symmetryGroups ?? [];
        const by = groups.length > 0 ? ` (${[...new Set(groups)].join(', ')})` : '';
        if (st.distinctStates !== none) reduced[i].push(`${s.id}/${d} ${fmt(none / st.distinctStates)}x${by}`);
        if (k.name === 'symmetry') {
          for (const g of new Set(groups)) {
            const e = byGroup.get(g) ?? { runs: 0, none: 0, symmetry: 0 };
            byGroup.set(g, { runs: e.runs + 1, none: e.none + none, symmetry: e.symmetry + st.distinctStates });
          }
        }
      });
      const run = runScenario(s, d).result.stats;
      progressStates += run.progress?.states ?? 0;
      progressMs += run.progress?.elapsedMs ?? 0;
      if (run.progress !== undefined && !run.progress.quotient && run.reductions?.symmetry === true) fullProgress.push(`${s.id}/${d}`);
    }
  }
  console.log('default suite, distinct states without reductions and with them (safety search):');
  kinds.forEach((k, i) => {
    const ratio = i === 0 ? '' : `: ${fmt(states[0] / states[i])}x fewer`;
    const por = k.footprints ? `, ${fmt(expansions[i])} states expanded through an ample set` : '';
    console.log(`  ${k.name.padEnd(13)} ${fmt(states[i]).padStart(11)} states${ratio}; ${fmt(ms[i])} ms${por}`);
  });
  kinds.forEach((k, i) => {
    if (i > 0) console.log(`  runs ${k.name} reduces: ${reduced[i].length > 0 ? reduced[i].join(', ') : 'none'}`);
  });
  for (const name of ['threads', 'threads with their handles', 'page frames']) if (!byGroup.has(name)) byGroup.set(name, { runs: 0, none: 0, symmetry: 0 });
  for (const [name, e] of byGroup) {
    console.log(`  symmetry group '${name}': declared in ${e.runs} runs` +
      (e.runs > 0 ? `, ${fmt(e.none)} states without reductions, ${fmt(e.symmetry)} with symmetry (${fmt(e.none / e.symmetry)}x)` : ''));
  }
  console.log(`  progress pass of check() as declared: ${fmt(progressStates)} states in all, ${fmt(progressMs)} ms; ` +
    `runs with symmetry whose quotient had a loop, so the full graph decided: ${fullProgress.length > 0 ? fullProgress.join(', ') : 'none'}`);
}
