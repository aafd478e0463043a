import type { StateInvariant, StateVector } from '../../explorer/index.js';

/**
 * The soundness condition of an invariant's `views`, checked on given states: replacing a
 * viewed field's value by any other value its table puts in the same class never changes the
 * verdict (holds or not). Returns one line per counterexample found (at most `limit`).
 * Independent of the engine's skipping: it only calls `check`.
 */
export function viewCounterexamples(inv: StateInvariant, states: Iterable<StateVector>, fieldMax: (f: number) => number, limit = 5): string[] {
  const out: string[] = [];
  for (const s of states) {
    const holds = inv.check(s) === null;
    for (const v of inv.views ?? []) {
      for (const f of v.fields) {
        const was = s[f];
        for (let x = 0; x <= fieldMax(f); x++) {
          if (x === was || v.table[x] !== v.table[was]) continue;
          const t = Int32Array.from(s);
          t[f] = x;
          if ((inv.check(t) === null) !== holds) {
            out.push(`${inv.name}: field ${f} ${was} -> ${x} (same class ${v.table[was]}) turns ${holds ? 'holds' : 'fails'} into ${holds ? 'fails' : 'holds'}`);
            if (out.length >= limit) return out;
          }
        }
      }
    }
  }
  return out;
}
