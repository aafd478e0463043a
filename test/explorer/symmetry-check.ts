import type { Field, StateVector, SymmetryGroup, TransitionSystem } from '../../explorer/index.js';
import { expect } from 'vitest';
import { declaredCanonicaliser, declaredCanonicaliserByTable } from '../../explorer/symmetry.js';
import { applyAction, collectActions, referenceExplore } from './reference.js';

const key = (s: StateVector) => JSON.stringify(Array.from(s));

/** Applies the swap of members a and b of `g` to `s`, written by hand from the declaration's
 *  meaning (independent of explorer/symmetry.ts). */
export function swapMembers(g: SymmetryGroup, s: StateVector, a: number, b: number): StateVector {
  const out = Int32Array.from(s);
  const ids = g.ids ?? g.slots.map((_, i) => i);
  g.slots[a].forEach((f, j) => { out[g.slots[b][j]] = s[f]; });
  g.slots[b].forEach((f, j) => { out[g.slots[a][j]] = s[f]; });
  for (const r of g.references ?? []) {
    // The value is offset + id * 2^shift + low, low below 2^shift (and equal to the tag if any);
    // id is one of member a's numbers (its id, or its names) or of member b's: the same
    // position in the other's list.
    const span = 2 ** (r.shift ?? 0);
    const low = (((out[r.field] - r.offset) % span) + span) % span;
    if (r.tag !== undefined && low !== r.tag) continue;
    const namesA = r.names?.[a] ?? [ids[a]], namesB = r.names?.[b] ?? [ids[b]];
    const enc = (id: number) => id * span + low + r.offset;
    const j = namesA.findIndex((id) => out[r.field] === enc(id));
    const k = namesB.findIndex((id) => out[r.field] === enc(id));
    if (j >= 0) out[r.field] = enc(namesB[j]);
    else if (k >= 0) out[r.field] = enc(namesA[k]);
  }
  for (const f of g.bitsets ?? []) {
    const bitA = (out[f] >> ids[a]) & 1, bitB = (out[f] >> ids[b]) & 1;
    out[f] = (out[f] & ~((1 << ids[a]) | (1 << ids[b]))) | (bitA << ids[b]) | (bitB << ids[a]);
  }
  return out;
}

/**
 * Checks that every declared swap is an automorphism of the reachable graph: for every
 * reachable state s, the successors of swap(s) are the swaps of the successors of s, a step
 * fails in one iff it fails in the other, and invariants, "every thread done", `quiescent` and
 * the progress properties agree.
 * Returns the first problem, or null.
 */
export function symmetryProblem(sys: TransitionSystem, maxStates = 50_000): string | null {
  const groups = sys.symmetry ?? [];
  const states = referenceExplore(sys, false).states;
  if (states.size > maxStates) return `too many states to check (${states.size})`;
  const succ = (s: StateVector) => {
    const out = new Set<string>();
    let fails = 0;
    for (const a of collectActions(sys, s)) {
      const r = applyAction(sys, s, a);
      out.add(key(r.next));
      if (r.failed) fails++;
    }
    return { out, fails };
  };
  const allDone = (s: StateVector) => sys.threads.every((_, t) => sys.threadDone(s, t));
  const badInvariants = (s: StateVector) => sys.invariants.filter((i) => i.check(s) !== null).map((i) => i.name).join(',');
  // The progress pass on the quotient (explorer/liveness.ts) needs these unchanged too.
  const progressBits = (s: StateVector) => [sys.quiescent?.(s) === true, ...(sys.progressProperties ?? []).flatMap((p) => [p.holds(s), p.trigger?.(s) === true])].join(',');
  for (const k of states.keys()) {
    const s = Int32Array.from(JSON.parse(k) as number[]);
    const mine = succ(s);
    for (const g of groups) {
      for (let a = 0; a < g.slots.length; a++) {
        for (let b = a + 1; b < g.slots.length; b++) {
          const t = swapMembers(g, s, a, b);
          const theirs = succ(t);
          const mapped = new Set([...mine.out].map((x) => key(swapMembers(g, Int32Array.from(JSON.parse(x) as number[]), a, b))));
          if (mapped.size !== theirs.out.size || [...mapped].some((x) => !theirs.out.has(x))) return `successors of ${k} do not map to those of its swap (members ${a}, ${b})`;
          if (mine.fails !== theirs.fails) return `a step fails in ${k} but not in its swap`;
          if (allDone(s) !== allDone(t)) return `threadDone differs in ${k} and its swap`;
          if (badInvariants(s) !== badInvariants(t)) return `invariants differ in ${k} and its swap`;
          if (progressBits(s) !== progressBits(t)) return `quiescent or a progress property differs in ${k} and its swap`;
        }
      }
    }
  }
  return null;
}

/** Every state of the orbit of `s` under `g`, closed over swaps of neighbouring members
 *  written by hand (they generate every permutation of the members). */
export function orbitOf(g: SymmetryGroup, s: StateVector): Map<string, StateVector> {
  const seen = new Map([[s.join(','), s]]);
  const todo = [s];
  while (todo.length > 0) {
    const x = todo.pop()!;
    for (let a = 0; a + 1 < g.slots.length; a++) {
      const y = swapMembers(g, x, a, a + 1);
      const key = y.join(',');
      if (!seen.has(key)) { seen.set(key, y); todo.push(y); }
    }
  }
  return seen;
}

/** The least state (field by field) of the orbit of `s` under `g`. */
export function orbitLeast(g: SymmetryGroup, s: StateVector): number[] {
  let least = s;
  for (const x of orbitOf(g, s).values()) if (lexLess(x, least)) least = x;
  return Array.from(least);
}

function lexLess(a: StateVector, b: StateVector): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** Canonicalises `values` with the search's canonicaliser of `sys` and checks it against the
 *  field-by-field one (`declaredCanonicaliserByTable`): the input is left as it was, "changed"
 *  is said exactly when the representative differs from it, and the representative (written
 *  to `out` when changed, `out` untouched otherwise) is the field-by-field one. Returns it. */
export function expectFieldByFieldRepresentative(sys: TransitionSystem, values: readonly number[]): Int32Array {
  const fast = declaredCanonicaliser(sys)!;
  const reference = declaredCanonicaliserByTable(sys)!;
  const state = Int32Array.from(values);
  const want = Int32Array.from(values);
  reference(want);
  const out = new Int32Array(values.length).fill(-7);
  const changed = fast.into(state, out);
  expect(Array.from(state)).toEqual(values);
  expect(changed).toBe(want.some((v, i) => v !== values[i]));
  if (changed) expect(Array.from(out)).toEqual(Array.from(want));
  else expect(out.every((v) => v === -7)).toBe(true);
  return changed ? out : state;
}

/** A system of these fields and symmetry groups that takes no step: all a canonicaliser reads. */
export function stillSystem(fields: Field[], symmetry: SymmetryGroup[]): TransitionSystem {
  return {
    fields, threads: ['t'], labels: ['x'],
    initialStates: () => [new Int32Array(fields.length)],
    actions: () => {}, apply: () => {}, threadDone: () => true, invariants: [],
    symmetry,
  };
}
