import type { StateVector, SymmetryGroup, TransitionSystem } from './system.js';
import { ModelError } from './model-error.js';
import type { StateLayout } from './packing.js';
import { generatedFactory } from './generated-code.js';

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

/**
 * The canonicaliser derived from `system.symmetry`: group after group, the state is replaced by
 * the lexicographically least of its images under the permutations of the group's members
 * (each permutation moves the members' slots and renames every reference to a member).
 * Soundness needs only that the result lies in the state's own orbit, which every image does;
 * the search keeps expanding the concrete states it reached, so traces replay unchanged.
 * Images differ from the state only in the fields a group touches, so only those are compared
 * and written. Undefined when the model declares no group.
 *
 * `into(state, out)` leaves `state` alone: it returns false when `state` is its own
 * representative (then `out` is not written), otherwise writes the representative to `out` and
 * returns true, so a search packs and fingerprints a second form only for the states that
 * need one.
 */
export interface Canonicaliser {
  into(state: StateVector, out: StateVector): boolean;
  /** In place (the `TransitionSystem.canonicalise` shape). */
  inPlace(state: StateVector): void;
  /** Every field a representative can differ from its state in. */
  readonly touched: readonly number[];
}

/** The canonicaliser a search applies under symmetry (the safety search and the progress pass
 *  on the quotient alike): the model's own `canonicalise` (applied to a copy; it always reports
 *  a change and may rewrite any field, so `touched` is null), else the one derived from its
 *  declared groups; undefined when the model declares neither. */
export function searchCanonicaliser(system: TransitionSystem): {
  into(state: StateVector, out: StateVector): boolean; readonly touched: readonly number[] | null;
} | undefined {
  const own = system.canonicalise;
  if (own !== undefined) return { into: (state, out) => { out.set(state); own(out); return true; }, touched: null };
  const declared = declaredCanonicaliser(system);
  return declared === undefined ? undefined : { into: declared.into, touched: declared.touched };
}

/** What a symmetry reduction of `system` permutes, for the run's statistics: the model's own
 *  `canonicalise`, else each declared group's name (`group i` when it has none). */
export function symmetryGroupNames(system: TransitionSystem): string[] {
  if (system.canonicalise !== undefined) return ['canonicalise'];
  return (system.symmetry ?? []).map((g, i) => g.name ?? `group ${i}`);
}

/**
 * The declared canonicaliser fused with packing, for a search that needs only the
 * representative's packed words: `packInto(state, words, offset, out)` returns false when the
 * state packed at `words[offset ..]` is its own representative, otherwise writes the
 * representative's packed words to `out` and returns true. The same representative as
 * `declaredCanonicaliser` (the same generated comparisons pick the permutation); then one
 * generated function per permutation packs the words the group touches straight from the
 * state's fields (each image field read where the permutation takes it from, renamed through
 * the same tables, range-checked as `pack` does) and copies the others. Why: building the
 * representative as a state vector first (a copy of every field, the image, then packing its
 * touched words again) cost more than a whole `pack` per successor. Groups without such code
 * (sorted, or exact with more than GENERATED_MEMBERS members) pack from the image's fields
 * (packedFromImage). Null where it does not apply (several groups, a model's own
 * `canonicalise`): the search then canonicalises the state and packs it.
 */
export function packedCanonicaliser(system: TransitionSystem, layout: StateLayout): ((state: StateVector, words: Uint32Array, offset: number, out: Uint32Array) => boolean) | null {
  const groups = system.symmetry;
  if (system.canonicalise !== undefined || groups === undefined || groups.length !== 1) return null;
  const g = compileGroup(groups[0], 0, system.fields.length, system.fields);
  // Generated code (imageText, lessThanState) exists exactly for the exact groups of up to
  // GENERATED_MEMBERS members (compileGroup), so one test covers all three.
  if (g.imageText === null) return packedFromImage(g, layout);
  const touchedAt = new Map<number, number>();
  g.touched.forEach((i, k) => touchedAt.set(i, k));
  const imageWords = new Set(Array.from(g.touched, (i) => layout.wordOf(i)));
  const packers = g.inverses!.map((_, p) => {
    const body: string[] = [];
    for (let w = 0; w < layout.wordsPerState; w++) {
      if (!imageWords.has(w)) { body.push(`out[${w}] = words[offset + ${w}];`); continue; }
      body.push(layout.wordText(w, (i) => (touchedAt.has(i) ? g.imageText!(p, touchedAt.get(i)!) : `s[${i}]`), `out[${w}]`));
    }
    const bad = (i: number, v: number): never => layout.refuse(i, v);
    return generatedFactory(['map', 'slow', 'bad'], `return function packImage(s, words, offset, out) { let v = 0, w = 0, d = 0; ${body.join('\n')} };`)(g.mapData, g.imageAt, bad) as
      (state: StateVector, words: Uint32Array, offset: number, out: Uint32Array) => void;
  });
  const bestImage = new Int32Array(g.touched.length);
  return (state, words, offset, out) => {
    // The least image, as declaredCanonicaliser's `into` picks it; -1 is the identity.
    const best = leastImage(g, state, bestImage);
    if (best < 0) return false;
    packers[best](state, words, offset, out);
    return true;
  };
}

/**
 * The least image of `state` under exact group g: returns the permutation (-1: the identity,
 * the state is least) and, for another, leaves its image's touched fields in `image`. The
 * first permutation reaching the least image wins (equal images are one representative).
 */
function leastImage(g: CompiledGroup, state: StateVector, image: Int32Array): number {
  const P = g.inverses!.length, L = g.touched.length;
  let best = -1;
  if (g.lessThanImage !== null) {
    // Generated: against the state while it is the least, then against the best image so far.
    let p = 0;
    for (; p < P; p++) {
      if (g.lessThanState![p](state)) { best = p; break; }
    }
    if (best < 0) return -1;
    g.writeImage![best](state, image);
    for (p = best + 1; p < P; p++) {
      if (g.lessThanImage[p](state, image)) { best = p; g.writeImage![p](state, image); }
    }
    return best;
  }
  // Tables: `image[0 .. known)` caches the best image's leading fields (the state's own while
  // the identity is best), so each comparison computes only the candidate's fields.
  const touched = g.touched;
  const idle = g.idlePairs(state);
  const inversions = g.inversions;
  // Every image equals the state before `lead`.
  const lead = g.constantLead(state);
  for (let k = 0; k < lead; k++) image[k] = state[touched[k]];
  let known = lead;
  // The first field that can differ decides between the permutations: an image can be least
  // only if it is least there, which fixes which members may take one position (leadFilter).
  const filter = lead < L ? g.leadFilter(state, lead) : -1;
  const r0 = filter >> 8, sources = filter & 0xff;
  const m = g.members, invFlat = g.inverseTable;
  for (let p = 0; p < P; p++) {
    // Its image is that of a permutation keeping the idle members in order (see idlePairs).
    if ((inversions[p] & idle) !== 0) continue;
    if (filter >= 0 && ((sources >> invFlat[p * m + r0]) & 1) === 0) continue;
    for (let k = lead; k < L; k++) {
      const v = g.imageAt(state, p, k);
      if (k >= known) {
        image[k] = best < 0 ? state[touched[k]] : g.imageAt(state, best, k);
        known = k + 1;
      }
      const b = image[k];
      if (v !== b) {
        if (v < b) {
          // The candidate agrees with the best before k: its leading fields are known.
          best = p;
          image[k] = v;
          known = k + 1;
        }
        break;
      }
    }
  }
  if (best >= 0) for (let k = known; k < L; k++) image[k] = g.imageAt(state, best, k);
  return best;
}

/**
 * The packed canonicaliser of one group without per-permutation code (sorted groups, exact
 * groups of more than GENERATED_MEMBERS members): the image's touched fields are computed into
 * a buffer as `declaredCanonicaliser` computes them, then one generated function packs the
 * words they lie in from that buffer and the state's other fields, and copies the rest. Why:
 * the state-vector path copies every field into a second state and then copies and repacks
 * the touched words; with six threads that was most of a successor's canonicalisation.
 */
function packedFromImage(g: CompiledGroup, layout: StateLayout): (state: StateVector, words: Uint32Array, offset: number, out: Uint32Array) => boolean {
  const touchedAt = new Map<number, number>();
  g.touched.forEach((i, k) => touchedAt.set(i, k));
  const imageWords = new Set(Array.from(g.touched, (i) => layout.wordOf(i)));
  const body: string[] = [];
  for (let w = 0; w < layout.wordsPerState; w++) {
    if (!imageWords.has(w)) { body.push(`out[${w}] = words[offset + ${w}];`); continue; }
    body.push(layout.wordText(w, (i) => (touchedAt.has(i) ? `img[${touchedAt.get(i)!}]` : `s[${i}]`), `out[${w}]`));
  }
  const bad = (i: number, v: number): never => layout.refuse(i, v);
  const pack = generatedFactory(['bad'], `return function packImage(s, img, words, offset, out) { let v = 0, w = 0; ${body.join('\n')} };`)(bad) as
    (state: StateVector, image: Int32Array, words: Uint32Array, offset: number, out: Uint32Array) => void;
  const image = new Int32Array(g.touched.length);
  if (g.inverses === null) {
    return (state, words, offset, out) => {
      if (!g.sortImage(state, image)) return false;
      pack(state, image, words, offset, out);
      return true;
    };
  }
  return (state, words, offset, out) => {
    if (leastImage(g, state, image) < 0) return false;
    pack(state, image, words, offset, out);
    return true;
  };
}

export function declaredCanonicaliser(system: TransitionSystem): Canonicaliser | undefined {
  const groups = system.symmetry;
  if (groups === undefined || groups.length === 0) return undefined;
  const n = system.fields.length;
  const compiled = groups.map((g, gi) => compileGroup(g, gi, n, system.fields));
  const maxTouched = Math.max(0, ...compiled.map((g) => g.touched.length));
  const image = new Int32Array(maxTouched);
  const into = (state: StateVector, out: StateVector): boolean => {
    let changed = false;
    let cur = state;
    for (let gi = 0; gi < compiled.length; gi++) {
      const g = compiled[gi];
      const touched = g.touched;
      const L = touched.length;
      if (g.inverses !== null) {
        if (leastImage(g, cur, image) < 0) continue;
      } else if (!g.sortImage(cur, image)) continue;
      if (!changed) {
        out.set(state);
        cur = out;
        changed = true;
      }
      for (let k = 0; k < L; k++) out[touched[k]] = image[k];
    }
    return changed;
  };
  // Stryker disable next-line MethodExpression,ArithmeticOperator: `touched` is used as a set (partialPacker packs its words in any order)
  const touched = [...new Set(compiled.flatMap((g) => Array.from(g.touched)))].sort((a, b) => a - b);
  return { into, inPlace: (state) => { into(state, state); }, touched };
}

/**
 * The same canonicaliser, computed field by field from the declaration for every permutation
 * (no tables, no early exit): the reference `declaredCanonicaliser` is tested against.
 */
export function declaredCanonicaliserByTable(system: TransitionSystem): ((state: StateVector) => void) | undefined {
  const groups = system.symmetry;
  if (groups === undefined || groups.length === 0) return undefined;
  const n = system.fields.length;
  const compiled = groups.map((g, gi) => compileGroup(g, gi, n, system.fields));
  const best = new Int32Array(n);
  return (state) => {
    for (const g of compiled) {
      const touched = g.touched;
      if (g.inverses !== null) {
        for (let k = 0; k < touched.length; k++) best[touched[k]] = state[touched[k]];
        for (let p = 0; p < g.inverses.length; p++) {
          const inv = g.inverses[p];
          // Stryker disable next-line BooleanLiteral: a loop that ends without a differing field leaves an image equal to best, so copying it changes nothing
          let less = false;
          for (let k = 0; k < touched.length; k++) {
            const i = touched[k];
            const v = g.valueAt(state, i, inv);
            if (v !== best[i]) { less = v < best[i]; break; }
          }
          if (less) for (let k = 0; k < touched.length; k++) best[touched[k]] = g.valueAt(state, touched[k], inv);
        }
        for (let k = 0; k < touched.length; k++) state[touched[k]] = best[touched[k]];
      } else {
        const inv = g.sortInverse(state);
        for (let k = 0; k < touched.length; k++) best[touched[k]] = g.valueAt(state, touched[k], inv);
        for (let k = 0; k < touched.length; k++) state[touched[k]] = best[touched[k]];
      }
    }
  };
}

interface CompiledGroup {
  /** The fields an image can differ in, ascending. */
  readonly touched: Int32Array;
  /** Inverses of every non-identity permutation (exact groups), or null (sorted groups). */
  readonly inverses: Int32Array[] | null;
  /** Field i of the image under the permutation whose inverse is `inv`. */
  valueAt(state: StateVector, i: number, inv: Int32Array): number;
  /** Touched field k of the image under exact permutation p (`inverses[p]`), from tables. */
  imageAt(state: StateVector, p: number, k: number): number;
  /** Per exact permutation p: whether its image is less than the state itself (generated;
   *  null for groups of more than GENERATED_MEMBERS members, which use `imageAt`). */
  readonly lessThanState: ((state: StateVector) => boolean)[] | null;
  /** Per exact permutation p: whether its image is less than `image` (touched fields in order). */
  readonly lessThanImage: ((state: StateVector, image: Int32Array) => boolean)[] | null;
  /** Per exact permutation p: writes the image's touched fields, in order, to `image`. */
  readonly writeImage: ((state: StateVector, image: Int32Array) => void)[] | null;
  /** The text of touched field k of the image under exact permutation p, an expression over
   *  the state `s` for generated code that binds `map` and `slow` (see `packedCanonicaliser`). */
  readonly imageText: ((p: number, k: number) => string) | null;
  readonly mapData: Int32Array;
  sortInverse(state: StateVector): Int32Array;
  /** Sorted groups: writes the touched fields of the image under `sortInverse(state)` to
   *  `image` and returns true, or returns false when that image is the state itself. */
  sortImage(state: StateVector, image: Int32Array): boolean;
  /** Bit a * m + b (a < b) set where members a and b hold equal slots and nothing names
   *  either (no reference, no bitset bit): swapping them leaves the state as it is. */
  idlePairs(state: StateVector): number;
  /** The first touched field (by position in `touched`) where two images of the state can
   *  differ: before it every member holds the same slot values and no reference or bitset
   *  names a member, so every permutation's image equals the state there. */
  constantLead(state: StateVector): number;
  /** Per exact permutation p: bit a * m + b (a < b) set where p puts a after b. */
  readonly inversions: Int32Array;
  readonly members: number;
  /** inverses[p][r] at p * members + r. */
  readonly inverseTable: Int32Array;
  /** For touched field k, where every image of `state` agrees before k: `r << 8 | bits`
   *  where the images least at k are exactly those whose position r holds one of the members
   *  in `bits`; -1 where k is not such a field (a bitset, a renamed slot field). A slot field
   *  only moved: its position and the members holding the least value there. A reference
   *  outside the slots naming member x as its j-th number: x must take the position whose
   *  j-th number is least. */
  leadFilter(state: StateVector, k: number): number;
}

/** Groups of up to this many members get generated code per permutation (5 functions at 3
 *  members); larger exact groups (up to 119 permutations) compare through the tables. */
const GENERATED_MEMBERS = 3;

/** A renaming table (reference or bitset field) is built when the source field's range has at
 *  most this many values; a wider field is renamed by `valueAt`. */
const MAX_TABLE = 1 << 12;

const NONE = -0x80000000;

function compileGroup(g: SymmetryGroup, gi: number, n: number, fields: TransitionSystem['fields']): CompiledGroup {
  const m = g.slots.length;
  const width = m > 0 ? g.slots[0].length : 0;
  for (const slot of g.slots) {
    if (slot.length !== width) throw new ModelError(`symmetry group ${gi}: members own different numbers of fields`);
    for (const f of slot) if (!(f >= 0 && f < n)) throw new ModelError(`symmetry group ${gi}: field ${f} does not exist`);
  }
  const refs = g.references ?? [];
  for (const r of refs) {
    if (!(r.field >= 0 && r.field < n)) throw new ModelError(`symmetry group ${gi}: reference field ${r.field} does not exist`);
    const shift = r.shift ?? 0;
    if (!(Number.isInteger(shift) && shift >= 0 && shift <= 20)) throw new ModelError(`symmetry group ${gi}: reference field ${r.field}: shift must be an integer 0..20`);
    if (r.tag !== undefined && !(Number.isInteger(r.tag) && r.tag >= 0 && r.tag < 1 << shift)) throw new ModelError(`symmetry group ${gi}: reference field ${r.field}: tag must be a low part 0..2^shift-1`);
  }
  if (new Set(refs.map((r) => r.field)).size !== refs.length) throw new ModelError(`symmetry group ${gi}: a reference field is listed twice`);
  const bitsets = g.bitsets ?? [];
  for (const f of bitsets) if (!(f >= 0 && f < n)) throw new ModelError(`symmetry group ${gi}: bitset field ${f} does not exist`);
  const ids = g.ids ?? Array.from({ length: m }, (_, i) => i);
  if (ids.some((id) => !(Number.isInteger(id) && id >= 0 && id < 1 << 20))) throw new ModelError(`symmetry group ${gi}: ids must be integers 0..2^20`);
  if (ids.length !== m || new Set(ids).size !== m) throw new ModelError(`symmetry group ${gi}: ids must name each member once`);
  // ids are non-negative (checked above); a bit past 30 would reach the sign bit.
  if (bitsets.length > 0 && ids.some((id) => id >= 31)) throw new ModelError(`symmetry group ${gi}: bitset ids must be 0..30`);
  const maxId = Math.max(0, ...ids);
  // A renamed reference must stay a 32-bit value (`<<` works on int32).
  for (const r of refs) {
    if ((r.names === undefined ? maxId : 0) * 2 ** (r.shift ?? 0) + r.offset >= 2 ** 31 || r.offset < -(2 ** 30)) throw new ModelError(`symmetry group ${gi}: reference field ${r.field}: the encoded ids do not fit a 32-bit field`);
  }
  // Numberings: 0 is the group's ids (one per member); each reference with `names` adds one,
  // where member i's j-th number is names[i][j]. `at[number]` is i * k + j, -1 for a number
  // that names no member.
  const numberings: { readonly names: readonly (readonly number[])[]; readonly k: number; readonly at: Int32Array }[] = [];
  const addNumbering = (names: readonly (readonly number[])[]): number => {
    const k = names.length > 0 ? names[0].length : 1;
    const at = new Int32Array(Math.max(0, ...names.flat()) + 1).fill(-1);
    names.forEach((ns, i) => ns.forEach((x, j) => { at[x] = i * k + j; }));
    numberings.push({ names, k, at });
    return numberings.length - 1;
  };
  addNumbering(ids.map((id) => [id]));
  const refNumbering = new Int32Array(n);
  for (const r of refs) {
    if (r.names === undefined) continue;
    const k = r.names[0]?.length ?? 0;
    const all = r.names.flat();
    if (r.names.length !== m || k < 1 || r.names.some((ns) => ns.length !== k)) throw new ModelError(`symmetry group ${gi}: reference field ${r.field}: names must list the same number (at least one) of numbers for each member`);
    if (all.some((x) => !(Number.isInteger(x) && x >= 0 && x < 1 << 20)) || new Set(all).size !== all.length) throw new ModelError(`symmetry group ${gi}: reference field ${r.field}: names must be distinct integers 0..2^20`);
    if (Math.max(...all) * 2 ** (r.shift ?? 0) + r.offset >= 2 ** 31) throw new ModelError(`symmetry group ${gi}: reference field ${r.field}: the encoded ids do not fit a 32-bit field`);
    refNumbering[r.field] = addNumbering(r.names);
  }
  let memberBits = 0;
  for (const id of ids) memberBits |= 1 << id;
  // Per field: the member whose slot it is and its position there, a reference offset, a bitset.
  const owner = new Int32Array(n).fill(-1);
  const pos = new Int32Array(n);
  const refOffset = new Int32Array(n).fill(NONE);
  const refShift = new Int32Array(n);
  // The low part a reference must have (-1: any).
  const refTag = new Int32Array(n).fill(-1);
  const isBitset = new Uint8Array(n);
  g.slots.forEach((slot, i) => slot.forEach((f, j) => { owner[f] = i; pos[f] = j; }));
  for (const r of refs) {
    refOffset[r.field] = r.offset;
    refShift[r.field] = r.shift ?? 0;
    refTag[r.field] = r.tag ?? -1;
  }
  for (const f of bitsets) isBitset[f] = 1;
  const touched = Int32Array.from(new Set([...g.slots.flat(), ...refs.map((r) => r.field), ...bitsets])).sort();
  const valueAt = (state: StateVector, i: number, inv: Int32Array): number => {
    // Member a's slot in the image holds what member inv[a] had.
    let v = owner[i] >= 0 ? state[g.slots[inv[owner[i]]][pos[i]]] : state[i];
    if (refOffset[i] !== NONE) {
      const d = v - refOffset[i];
      const shift = refShift[i];
      const low = d & ((1 << shift) - 1);
      // A number that names no member (negative, outside the table: undefined, or a tagged
      // word whose tag says it holds something else) is left alone.
      const nb = numberings[refNumbering[i]];
      const at = d >= 0 && (refTag[i] < 0 || low === refTag[i]) ? nb.at[d >> shift] ?? -1 : -1;
      if (at >= 0) v = ((nb.names[permOf(inv, Math.floor(at / nb.k))][at % nb.k] << shift) | low) + refOffset[i];
    }
    if (isBitset[i] === 1) {
      let w = v & ~memberBits;
      for (let a = 0; a < m; a++) if ((v >> ids[a]) & 1) w |= 1 << ids[permOf(inv, a)];
      v = w;
    }
    return v;
  };
  const sortInverse = (state: StateVector): Int32Array => {
    // The image lists the members in ascending order of their slot values: position r holds
    // member order[r], i.e. inv[r] = order[r].
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => {
      for (let j = 0; j < width; j++) {
        const d = state[g.slots[a][j]] - state[g.slots[b][j]];
        if (d !== 0) return d;
      }
      return a - b;
    });
    return Int32Array.from(order);
  };
  // Why a second form of sortInverse + valueAt for sorted groups: every successor of a run with
  // six interchangeable threads is sorted, and the closures, the comparator and the arrays
  // they allocate per state cost more than the rest of the step. The same order (slot values
  // ascending, then member index) by insertion sort over preallocated arrays, the common case
  // (members already in order: the image is the state) found by one pass, and the image from
  // flat per-field tables.
  const slotFlat = Int32Array.from(g.slots.flat());
  const order = new Int32Array(m);
  const permOfOrder = new Int32Array(m);
  /** Member a's slot before member b's: slot values ascending, then index. */
  const before = (state: StateVector, a: number, b: number): boolean => {
    const oa = a * width, ob = b * width;
    for (let j = 0; j < width; j++) {
      const d = state[slotFlat[oa + j]] - state[slotFlat[ob + j]];
      if (d !== 0) return d < 0;
    }
    return a < b;
  };
  const Lt = touched.length;
  // Per touched field k: where its image reads from (slot position or the field itself) and
  // how it is renamed, flattened from owner/pos/ref*/numberings.
  const kOwner = new Int32Array(Lt), kPos = new Int32Array(Lt), kOff = new Int32Array(Lt), kShift = new Int32Array(Lt), kTag = new Int32Array(Lt);
  const kNb = new Int32Array(Lt), kBitset = new Uint8Array(Lt);
  for (let k = 0; k < Lt; k++) {
    const i = touched[k];
    kOwner[k] = owner[i];
    kPos[k] = pos[i];
    kOff[k] = refOffset[i];
    kShift[k] = refShift[i];
    kTag[k] = refTag[i];
    kNb[k] = refNumbering[i];
    kBitset[k] = isBitset[i];
  }
  const nbMember = numberings.map((nb) => Int32Array.from(nb.at, (at) => (at < 0 ? -1 : Math.floor(at / nb.k))));
  const nbPosition = numberings.map((nb) => Int32Array.from(nb.at, (at) => (at < 0 ? -1 : at % nb.k)));
  const nbNames = numberings.map((nb) => Int32Array.from(nb.names.flat()));
  const nbK = numberings.map((nb) => nb.k);
  const idsFlat = Int32Array.from(ids);
  const sortImage = (state: StateVector, image: Int32Array): boolean => {
    let sorted = true;
    for (let a = 0; a + 1 < m; a++) {
      if (!before(state, a, a + 1)) { sorted = false; break; }
    }
    // The identity renames nothing and moves nothing.
    if (sorted) return false;
    for (let a = 0; a < m; a++) {
      let r = a;
      while (r > 0 && before(state, a, order[r - 1])) { order[r] = order[r - 1]; r--; }
      order[r] = a;
    }
    // order is the inverse (position r holds member order[r]); permOfOrder[a] is a's position.
    for (let r = 0; r < m; r++) permOfOrder[order[r]] = r;
    return sortedImage!(state, image, order, permOfOrder);
  };
  // Why generated code for the image: with six threads most successors move a thread out of
  // order, and a loop reading the per-field tables costs several times the straight-line
  // function with the field numbers, offsets and shifts inlined (built only from this
  // declaration's numbers, as pack is). valueAt (declaredCanonicaliserByTable) is the
  // reference it is tested against (symmetry-fast-paths.test.ts).
  const sortedImage = m > EXACT_MEMBERS ? generateSortedImage() : null;
  function generateSortedImage(): (state: StateVector, image: Int32Array, order: Int32Array, perm: Int32Array) => boolean {
    const body: string[] = [];
    for (let a = 0; a < m; a++) body.push(`const o${a} = order[${a}] * ${width};`);
    for (let k = 0; k < Lt; k++) {
      const i = touched[k];
      body.push(kOwner[k] >= 0 ? `v = s[slot[o${kOwner[k]} + ${kPos[k]}]];` : `v = s[${i}];`);
      const off = kOff[k];
      if (off !== NONE) {
        const shift = kShift[k], nb = kNb[k];
        const tag = kTag[k] >= 0 ? ` && (d & ${(1 << shift) - 1}) === ${kTag[k]}` : '';
        body.push(`d = v - (${off}); if (d >= 0${tag}) { x = d >> ${shift}; if (x < ${nbMember[nb].length}) { b = member${nb}[x]; if (b >= 0) v = ((names${nb}[perm[b] * ${nbK[nb]} + position${nb}[x]] << ${shift}) | (d & ${(1 << shift) - 1})) + (${off}); } }`);
      }
      if (kBitset[k] === 1) {
        const bits = ids.map((id, a) => `if ((v >> ${id}) & 1) w |= 1 << ids[perm[${a}]];`).join(' ');
        body.push(`if ((v & ${memberBits}) !== 0) { w = v & ${~memberBits}; ${bits} v = w; }`);
      }
      body.push(`image[${k}] = v; if (v !== s[${i}]) same = false;`);
    }
    const tables = numberings.map((_, nb) => `const member${nb} = T.member[${nb}], names${nb} = T.names[${nb}], position${nb} = T.position[${nb}];`).join('\n');
    return generatedFactory(['T'], `${tables}\nconst slot = T.slot, ids = T.ids;\nreturn function sortedImage(s, image, order, perm) { let v = 0, d = 0, x = 0, b = 0, w = 0, same = true;\n${body.join('\n')}\nreturn !same; };`)(
      { member: nbMember, names: nbNames, position: nbPosition, slot: slotFlat, ids: idsFlat },
    ) as (state: StateVector, image: Int32Array, order: Int32Array, perm: Int32Array) => boolean;
  }
  // Why idle pairs: in a pool of page frames most states leave several frames free and equal;
  // every permutation of those gives one image, so all but one of them are skipped (a state
  // with three such frames of five needs 20 of the 120 permutations compared).
  const refKs = Int32Array.from(Array.from({ length: Lt }, (_, k) => k).filter((k) => kOff[k] !== NONE));
  const bitsetKs = Int32Array.from(Array.from({ length: Lt }, (_, k) => k).filter((k) => kBitset[k] === 1));
  const idlePairs = (state: StateVector): number => {
    let named = 0;
    for (let r = 0; r < refKs.length; r++) {
      const k = refKs[r];
      const off = kOff[k];
      const d = state[touched[k]] - off;
      const shift = kShift[k];
      if (d < 0 || (kTag[k] >= 0 && (d & ((1 << shift) - 1)) !== kTag[k])) continue;
      const x = d >> shift;
      const members = nbMember[kNb[k]];
      if (x < members.length && members[x] >= 0) named |= 1 << members[x];
    }
    for (let r = 0; r < bitsetKs.length; r++) {
      const v = state[touched[bitsetKs[r]]];
      for (let a = 0; a < m; a++) if ((v >> idsFlat[a]) & 1) named |= 1 << a;
    }
    let pairs = 0;
    for (let a = 0; a < m; a++) {
      if ((named >> a) & 1) continue;
      for (let b = a + 1; b < m; b++) {
        if ((named >> b) & 1) continue;
        let equal = true;
        for (let j = 0; j < width; j++) {
          if (state[slotFlat[a * width + j]] !== state[slotFlat[b * width + j]]) { equal = false; break; }
        }
        if (equal) pairs |= 1 << (a * m + b);
      }
    }
    return pairs;
  };
  // Why a constant lead: the comparisons of 119 permutations each start at the first touched
  // field; where a pool's leading fields (unused zspages' first pages, equal frame flags) are
  // the same in every image they are read once instead.
  const namesMember = (k: number, v: number): boolean => {
    if (kBitset[k] === 1 && (v & memberBits) !== 0) return true;
    const off = kOff[k];
    if (off === NONE) return false;
    const d = v - off;
    const shift = kShift[k];
    if (d < 0 || (kTag[k] >= 0 && (d & ((1 << shift) - 1)) !== kTag[k])) return false;
    const members = nbMember[kNb[k]];
    const x = d >> shift;
    return x < members.length && members[x] >= 0;
  };
  const constantLead = (state: StateVector): number => {
    for (let k = 0; k < Lt; k++) {
      const own = kOwner[k];
      const v = state[touched[k]];
      if (own >= 0) {
        const j = kPos[k];
        for (let a = 0; a < m; a++) if (state[slotFlat[a * width + j]] !== v) return k;
      }
      if (namesMember(k, v)) return k;
    }
    return Lt;
  };
  const inverses = m <= EXACT_MEMBERS
    ? permutations(m).filter((p) => p.some((x, i) => x !== i)).map((p) => {
      const inv = new Int32Array(m);
      p.forEach((to, from) => { inv[to] = from; });
      return inv;
    })
    : null;
  const inversions = Int32Array.from(inverses ?? [], (inv) => {
    let bits = 0;
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) if (permOf(inv, a) > permOf(inv, b)) bits |= 1 << (a * m + b);
    return bits;
  });
  const inverseTable = Int32Array.from((inverses ?? []).flatMap((inv) => Array.from(inv)));
  // Per numbering and number position j: the position whose j-th number is least.
  const leastPosition = numberings.map((nb) => Int32Array.from({ length: nb.k }, (_, j) => {
    let best = 0;
    for (let r = 1; r < m; r++) if (nb.names[r][j] < nb.names[best][j]) best = r;
    return best;
  }));
  const leadFilter = (state: StateVector, k: number): number => {
    if (kBitset[k] === 1) return -1;
    const own = kOwner[k];
    if (own >= 0) {
      if (kOff[k] !== NONE) return -1;
      const j = kPos[k];
      let least = state[slotFlat[j]], bits = 1;
      for (let a = 1; a < m; a++) {
        const v = state[slotFlat[a * width + j]];
        if (v < least) { least = v; bits = 1 << a; } else if (v === least) bits |= 1 << a;
      }
      return (own << 8) | bits;
    }
    const off = kOff[k];
    if (off === NONE) return -1;
    // A reference outside the slots that names member x (as constantLead found): its image
    // is x's number at x's new position, least where that position's number is least.
    const d = state[touched[k]] - off;
    const x = d >> kShift[k];
    const nb = kNb[k];
    const member = nbMember[nb][x];
    return (leastPosition[nb][nbPosition[nb][x]] << 8) | (1 << member);
  };
  // Per (permutation p, touched field k), at j = p * L + k: the field the image's value comes
  // from, and for a renamed field (reference, bitset) the table of its renamed values over the
  // source field's range (`mapAt[j]` -1: no renaming; -2: no table, use valueAt).
  const L = touched.length;
  const P = inverses?.length ?? 0;
  const srcOf = new Int32Array(P * L);
  const mapAt = new Int32Array(P * L).fill(-1);
  const mapMin = new Int32Array(P * L);
  const mapSpan = new Int32Array(P * L);
  // Stryker disable next-line ArrayDeclaration: a first entry shifts every table offset by one, consistently
  const tables: number[] = [];
  for (let p = 0; p < P; p++) {
    const inv = inverses![p];
    for (let k = 0; k < L; k++) {
      const i = touched[k];
      const j = p * L + k;
      const src = owner[i] >= 0 ? g.slots[inv[owner[i]]][pos[i]] : i;
      srcOf[j] = src;
      if (refOffset[i] === NONE && isBitset[i] === 0) continue;
      const lo = fields[src].min, hi = fields[src].max;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,BlockStatement: a table and valueAt give the same renamed values; only the memory and time used differ
      if (hi - lo >= MAX_TABLE) { mapAt[j] = -2; continue; }
      mapAt[j] = tables.length;
      mapMin[j] = lo;
      mapSpan[j] = hi - lo;
      // valueAt reads the source field; a state holding v there gives the renamed value.
      const probe = new Int32Array(n);
      for (let v = lo; v <= hi; v++) {
        probe[src] = v;
        tables.push(valueAt(probe, i, inv));
      }
    }
  }
  const mapData = Int32Array.from(tables);
  const imageAt = (state: StateVector, p: number, k: number): number => {
    const j = p * L + k;
    const v = state[srcOf[j]];
    const at = mapAt[j];
    if (at === -1) return v;
    const d = v - mapMin[j];
    // Out of the declared range (a value pack would refuse) or no table: rename directly.
    if (at === -2 || d < 0 || d > mapSpan[j]) return valueAt(state, touched[k], inverses![p]);
    return mapData[at + d];
  };
  // Why generated code: every successor is canonicalised, and with two interchangeable threads
  // most of the search's comparisons run over owner fields that hold no thread. One
  // straight-line function per permutation with the field numbers and table offsets inlined
  // (built only from this declaration's numbers, never from names) compiles to a few
  // instructions per field, as pack does.
  const expr = (j: number): string => {
    const at = mapAt[j];
    if (at === -1) return `s[${srcOf[j]}]`;
    if (at === -2) return `slow(s, ${Math.floor(j / L)}, ${j % L})`;
    return `((d = s[${srcOf[j]}] - (${mapMin[j]})) >>> 0 <= ${mapSpan[j]} ? map[${at} + d] : slow(s, ${Math.floor(j / L)}, ${j % L}))`;
  };
  // Stryker disable next-line ConditionalExpression,EqualityOperator: generated code or imageAt, for any group size, give the same images
  if (m > GENERATED_MEMBERS) return { touched, inverses, valueAt, imageAt, lessThanState: null, lessThanImage: null, writeImage: null, imageText: null, mapData, sortInverse, sortImage, idlePairs, constantLead, inversions, members: m, inverseTable, leadFilter };
  const lessThanState: ((state: StateVector) => boolean)[] = [];
  const lessThanImage: ((state: StateVector, image: Int32Array) => boolean)[] = [];
  const writeImage: ((state: StateVector, image: Int32Array) => void)[] = [];
  for (let p = 0; p < P; p++) {
    const less: string[] = [];
    const lessImage: string[] = [];
    const write: string[] = [];
    for (let k = 0; k < L; k++) {
      const j = p * L + k;
      write.push(`image[${k}] = ${expr(j)};`);
      lessImage.push(`v = ${expr(j)}; if (v !== b[${k}]) return v < b[${k}];`);
      // A field the permutation leaves where it is, unrenamed, is equal in both.
      if (mapAt[j] === -1 && srcOf[j] === touched[k]) continue;
      less.push(`v = ${expr(j)}; if (v !== s[${touched[k]}]) return v < s[${touched[k]}];`);
    }
    lessThanState.push(generatedFactory(['map', 'slow'], `return function lessThanState(s) { let v = 0, d = 0; ${less.join('')} return false; };`)(mapData, imageAt) as (s: StateVector) => boolean);
    lessThanImage.push(generatedFactory(['map', 'slow'], `return function lessThanImage(s, b) { let v = 0, d = 0; ${lessImage.join('')} return false; };`)(mapData, imageAt) as (s: StateVector, b: Int32Array) => boolean);
    writeImage.push(generatedFactory(['map', 'slow'], `return function writeImage(s, image) { let d = 0; ${write.join('')} };`)(mapData, imageAt) as (s: StateVector, image: Int32Array) => void);
  }
  return { touched, inverses, valueAt, imageAt, lessThanState, lessThanImage, writeImage, imageText: (p, k) => expr(p * L + k), mapData, sortInverse, sortImage, idlePairs, constantLead, inversions, members: m, inverseTable, leadFilter };
}

/** perm[a] from its inverse (m is small: a scan). */
function permOf(inv: Int32Array, a: number): number {
  // Stryker disable next-line EqualityOperator: `<=` also reads inv[inv.length], undefined, which equals no member
  for (let b = 0; b < inv.length; b++) if (inv[b] === a) return b;
  // Stryker disable next-line UnaryOperator: inv is a permutation of 0..m-1 and a < m, so the loop always returns
  return -1;
}
