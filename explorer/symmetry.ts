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
 * touched words again) cost more than a whole `pack` per successor. Null where it does not
 * apply (several groups, or groups too large for generated code): the search then canonicalises
 * the state and packs it.
 */
export function packedCanonicaliser(system: TransitionSystem, layout: StateLayout): ((state: StateVector, words: Uint32Array, offset: number, out: Uint32Array) => boolean) | null {
  const groups = system.symmetry;
  if (system.canonicalise !== undefined || groups === undefined || groups.length !== 1) return null;
  const g = compileGroup(groups[0], 0, system.fields.length, system.fields);
  // Generated code (imageText, lessThanState) exists exactly for the exact groups of up to
  // GENERATED_MEMBERS members (compileGroup), so one test covers all three.
  if (g.imageText === null) return null;
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
  const less = g.lessThanState!;
  const P = g.inverses!.length, L = g.touched.length;
  return (state, words, offset, out) => {
    // The least image, as declaredCanonicaliser's `into` picks it; -1 is the identity.
    let best = -1;
    for (let p = 0; p < P; p++) {
      if (best < 0) {
        if (less[p](state)) best = p;
        continue;
      }
      for (let k = 0; k < L; k++) {
        const v = g.imageAt(state, p, k), b = g.imageAt(state, best, k);
        if (v !== b) {
          if (v < b) best = p;
          break;
        }
      }
    }
    if (best < 0) return false;
    packers[best](state, words, offset, out);
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
        // The least image, compared field by field with an early exit; -1 is the identity.
        let best = -1;
        for (let p = 0; p < g.inverses.length; p++) {
          // Stryker disable next-line BlockStatement: without the generated comparison the table loop below finds the same least image
          if (best < 0 && g.lessThanState !== null) {
            if (g.lessThanState[p](cur)) best = p;
            continue;
          }
          for (let k = 0; k < L; k++) {
            const v = g.imageAt(cur, p, k);
            const b = best < 0 ? cur[touched[k]] : g.imageAt(cur, best, k);
            if (v !== b) {
              if (v < b) best = p;
              break;
            }
          }
        }
        if (best < 0) continue;
        if (g.writeImage !== null) g.writeImage[best](cur, image);
        else for (let k = 0; k < L; k++) image[k] = g.imageAt(cur, best, k);
      } else {
        const inv = g.sortInverse(cur);
        let same = true;
        for (let k = 0; k < L; k++) {
          image[k] = g.valueAt(cur, touched[k], inv);
          if (image[k] !== cur[touched[k]]) same = false;
        }
        if (same) continue;
      }
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
  /** Per exact permutation p: writes the image's touched fields, in order, to `image`. */
  readonly writeImage: ((state: StateVector, image: Int32Array) => void)[] | null;
  /** The text of touched field k of the image under exact permutation p, an expression over
   *  the state `s` for generated code that binds `map` and `slow` (see `packedCanonicaliser`). */
  readonly imageText: ((p: number, k: number) => string) | null;
  readonly mapData: Int32Array;
  sortInverse(state: StateVector): Int32Array;
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
  const inverses = m <= EXACT_MEMBERS
    ? permutations(m).filter((p) => p.some((x, i) => x !== i)).map((p) => {
      const inv = new Int32Array(m);
      p.forEach((to, from) => { inv[to] = from; });
      return inv;
    })
    : null;
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
  if (m > GENERATED_MEMBERS) return { touched, inverses, valueAt, imageAt, lessThanState: null, writeImage: null, imageText: null, mapData, sortInverse };
  const lessThanState: ((state: StateVector) => boolean)[] = [];
  const writeImage: ((state: StateVector, image: Int32Array) => void)[] = [];
  for (let p = 0; p < P; p++) {
    const less: string[] = [];
    const write: string[] = [];
    for (let k = 0; k < L; k++) {
      const j = p * L + k;
      write.push(`image[${k}] = ${expr(j)};`);
      // A field the permutation leaves where it is, unrenamed, is equal in both.
      if (mapAt[j] === -1 && srcOf[j] === touched[k]) continue;
      less.push(`v = ${expr(j)}; if (v !== s[${touched[k]}]) return v < s[${touched[k]}];`);
    }
    lessThanState.push(generatedFactory(['map', 'slow'], `return function lessThanState(s) { let v = 0, d = 0; ${less.join('')} return false; };`)(mapData, imageAt) as (s: StateVector) => boolean);
    writeImage.push(generatedFactory(['map', 'slow'], `return function writeImage(s, image) { let d = 0; ${write.join('')} };`)(mapData, imageAt) as (s: StateVector, image: Int32Array) => void);
  }
  return { touched, inverses, valueAt, imageAt, lessThanState, writeImage, imageText: (p, k) => expr(p * L + k), mapData, sortInverse };
}

/** perm[a] from its inverse (m is small: a scan). */
function permOf(inv: Int32Array, a: number): number {
  // Stryker disable next-line EqualityOperator: `<=` also reads inv[inv.length], undefined, which equals no member
  for (let b = 0; b < inv.length; b++) if (inv[b] === a) return b;
  // Stryker disable next-line UnaryOperator: inv is a permutation of 0..m-1 and a < m, so the loop always returns
  return -1;
}
