import type { StateVector, SymmetryGroup, TransitionSystem } from './system.js';
import { ModelError } from './model-error.js';

/** Groups of up to this many members are canonicalised exactly (every permutation tried);
 *  larger ones by sorting their slots, which is still sound (it maps a state to one of its
 *  own orbit) but may leave two representatives for one orbit. */
const EXACT_MEMBERS = 5;

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  }
  return out;
}

function lexLess(a: StateVector, b: StateVector): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/**
 * The canonicaliser derived from `system.symmetry`: group after group, the state is replaced by
 * the lexicographically least of its images under the permutations of the group's members
 * (each permutation moves the members' slots and renames every reference to a member).
 * Soundness needs only that the result lies in the state's own orbit, which every image does;
 * the search keeps expanding the concrete states it reached, so traces replay unchanged.
 * Undefined when the model declares no group.
 */
export function declaredCanonicaliser(system: TransitionSystem): ((state: StateVector) => void) | undefined {
  const groups = system.symmetry;
  if (groups === undefined || groups.length === 0) return undefined;
  const n = system.fields.length;
  const compiled = groups.map((g, gi) => compileGroup(g, gi, n));
  const best = new Int32Array(n);
  const img = new Int32Array(n);
  return (state) => {
    for (const g of compiled) {
      if (g.perms !== null) {
        best.set(state);
        for (let p = 0; p < g.perms.length; p++) {
          g.apply(state, g.perms[p], img);
          if (lexLess(img, best)) best.set(img);
        }
        state.set(best);
      } else {
        g.apply(state, g.sortPermutation(state), img);
        state.set(img);
      }
    }
  };
}

interface CompiledGroup {
  readonly perms: number[][] | null;
  apply(state: StateVector, perm: readonly number[], out: StateVector): void;
  sortPermutation(state: StateVector): number[];
}

function compileGroup(g: SymmetryGroup, gi: number, n: number): CompiledGroup {
  const m = g.slots.length;
  const width = m > 0 ? g.slots[0].length : 0;
  for (const slot of g.slots) {
    if (slot.length !== width) throw new ModelError(`symmetry group ${gi}: members own different numbers of fields`);
    for (const f of slot) if (!(f >= 0 && f < n)) throw new ModelError(`symmetry group ${gi}: field ${f} does not exist`);
  }
  const refs = g.references ?? [];
  for (const r of refs) if (!(r.field >= 0 && r.field < n)) throw new ModelError(`symmetry group ${gi}: reference field ${r.field} does not exist`);
  const bitsets = g.bitsets ?? [];
  for (const f of bitsets) if (!(f >= 0 && f < n)) throw new ModelError(`symmetry group ${gi}: bitset field ${f} does not exist`);
  const ids = g.ids ?? Array.from({ length: m }, (_, i) => i);
  if (ids.length !== m || new Set(ids).size !== m) throw new ModelError(`symmetry group ${gi}: ids must name each member once`);
  if (bitsets.length > 0 && ids.some((id) => !(id >= 0 && id < 31))) throw new ModelError(`symmetry group ${gi}: bitset ids must be 0..30`);
  const memberOf = new Map(ids.map((id, i) => [id, i]));
  let memberBits = 0;
  if (bitsets.length > 0) for (const id of ids) memberBits |= 1 << id;
  const apply = (state: StateVector, perm: readonly number[], out: StateVector): void => {
    out.set(state);
    // Member i becomes member perm[i]: its slot values move there.
    for (let i = 0; i < m; i++) {
      const from = g.slots[i], to = g.slots[perm[i]];
      for (let j = 0; j < width; j++) out[to[j]] = state[from[j]];
    }
    for (const r of refs) {
      const i = memberOf.get(out[r.field] - r.offset);
      if (i !== undefined) out[r.field] = ids[perm[i]] + r.offset;
    }
    for (const f of bitsets) {
      const v = out[f];
      let w = v & ~memberBits;
      for (let i = 0; i < m; i++) if ((v >> ids[i]) & 1) w |= 1 << ids[perm[i]];
      out[f] = w;
    }
  };
  const sortPermutation = (state: StateVector): number[] => {
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => {
      for (let j = 0; j < width; j++) {
        const d = state[g.slots[a][j]] - state[g.slots[b][j]];
        if (d !== 0) return d;
      }
      return a - b;
    });
    const perm = new Array<number>(m);
    order.forEach((member, rank) => { perm[member] = rank; });
    return perm;
  };
  return { perms: m <= EXACT_MEMBERS ? permutations(m) : null, apply, sortPermutation };
}
