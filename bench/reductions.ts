import { allScenarios, runScenario } from '../scenarios/zsmalloc/index.js';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

interface Kind {
  readonly name: string;
  /** Declare the model's partial-order footprints (model/zsmalloc/footprints.ts). */
  readonly footprints: boolean;
  readonly symmetry: boolean;
}

/** `none` first: the others are compared with it. `as declared` is what `check` runs by
 *  default (today: thread symmetry; the footprints are declared only on request). */
const kinds: readonly Kind[] = [
  { name: 'none', footprints: false, symmetry: false },
  { name: 'symmetry', footprints: false, symmetry: true },
  { name: 'partial-order', footprints: true, symmetry: false },
  { name: 'both', footprints: true, symmetry: true },
];

/** The default suite's distinct states without reductions and with each kind (safety search
 *  only, measured in the same run), and the runs each kind reduces. */
export function suiteReductions(): void {
  const states = kinds.map(() => 0);
  const ms = kinds.map(() => 0);
  const expansions = kinds.map(() => 0);
  const reduced: string[][] = kinds.map(() => []);
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
        if (st.distinctStates !== none) reduced[i].push(`${s.id}/${d} ${fmt(none / st.distinctStates)}x`);
      });
    }
  }
  console.log('default suite, distinct states without reductions and with each kind (safety search):');
  kinds.forEach((k, i) => {
    const ratio = i === 0 ? '' : `: ${fmt(states[0] / states[i])}x fewer`;
    const por = k.footprints ? `, ${fmt(expansions[i])} states expanded through an ample set` : '';
    console.log(`  ${k.name.padEnd(13)} ${fmt(states[i]).padStart(11)} states${ratio}; ${fmt(ms[i])} ms${por}`);
  });
  kinds.forEach((k, i) => {
    if (i > 0) console.log(`  runs ${k.name} reduces: ${reduced[i].length > 0 ? reduced[i].join(', ') : 'none'}`);
  });
}
