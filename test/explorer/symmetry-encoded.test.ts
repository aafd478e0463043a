import { describe, expect, it } from 'vitest';
import { check, ModelError, replay, type StateVector, type SymmetryGroup, type TransitionSystem } from '../../explorer/index.js';
import { referenceExplore } from './reference.js';
import { symmetryProblem } from './symmetry-check.js';

/**
 * A toy allocator whose interchangeable members are not threads but page frames, referenced
 * through encoded values, as a kernel obj is `pfn << bits | index`:
 * - frame f: `used[f]`, `data[f]`;
 * - thread t (each its own program, so no thread symmetry): `pc`, `ptr` (-1, or
 *   `frame << 2 | t`: an encoded reference whose low part is the thread's object index), and
 *   `hdr`, a tagged word: `frame * 2 + 1` while the thread owns a frame (tag 1), `count * 2`
 *   (tag 0, not a frame) after it freed one.
 * Thread t: alloc (every free frame is a choice) -> write t + 1 into the frame through `ptr`
 * -> free it (used and data cleared, ptr -1, hdr = (t + 1) * 2) -> done. Frame 0 starts used
 * with data 7 (a setup's object), so the initial state is not symmetric: only the steps are.
 * `bug: 'no-mark'` allocates without marking the frame used (two threads can share one:
 * `frames_exclusive` fails); `bug: 'ordered'` writes only to frames below 2 (a step that
 * compares frame numbers, so no frame permutation is a symmetry).
 */
const F = 4, T = 3;
const USED = (f: number) => f;
const DATA = (f: number) => F + f;
const PC = (t: number) => 2 * F + 3 * t;
const PTR = (t: number) => PC(t) + 1;
const HDR = (t: number) => PC(t) + 2;

function frames(bug?: 'no-mark' | 'ordered', group: Partial<SymmetryGroup> = {}): TransitionSystem {
  const fields = [
    ...Array.from({ length: F }, (_, f) => ({ name: `used[${f}]`, min: 0, max: 1 })),
    ...Array.from({ length: F }, (_, f) => ({ name: `data[${f}]`, min: 0, max: 7 })),
    ...Array.from({ length: T }, (_, t) => [
      { name: `t${t}.pc`, min: 0, max: 3 },
      { name: `t${t}.ptr`, min: -1, max: 4 * F - 1 },
      { name: `t${t}.hdr`, min: 0, max: 2 * F + 2 * T },
    ]).flat(),
  ];
  const free = (s: StateVector) => Array.from({ length: F }, (_, f) => f).filter((f) => s[USED(f)] === 0);
  return {
    fields,
    threads: Array.from({ length: T }, (_, t) => `t${t}`),
    labels: ['alloc', 'write', 'free'],
    initialStates: () => {
      const s = new Int32Array(fields.length);
      s[USED(0)] = 1;
      s[DATA(0)] = 7;
      for (let t = 0; t < T; t++) s[PTR(t)] = -1;
      return [s];
    },
    actions(s, sink) {
      for (let t = 0; t < T; t++) {
        const pc = s[PC(t)];
        if (pc === 0) free(s).forEach((_, c) => sink.push(t, 0, c));
        else if (pc < 3) sink.push(t, pc, 0);
      }
    },
    apply(s, a, next) {
      const t = a.thread;
      next[PC(t)] = s[PC(t)] + 1;
      if (a.label === 0) {
        const f = free(s)[a.choice];
        if (bug !== 'no-mark') next[USED(f)] = 1;
        next[PTR(t)] = (f << 2) | t;
        next[HDR(t)] = 2 * f + 1;
      } else if (a.label === 1) {
        const f = s[PTR(t)] >> 2;
        if (bug !== 'ordered' || f < 2) next[DATA(f)] = t + 1;
      } else {
        const f = s[PTR(t)] >> 2;
        next[USED(f)] = 0;
        next[DATA(f)] = 0;
        next[PTR(t)] = -1;
        next[HDR(t)] = 2 * (t + 1);
      }
    },
    threadDone: (s, t) => s[PC(t)] === 3,
    invariants: [{
      name: 'frames_exclusive',
      description: 'no two threads hold the same frame',
      check(s) {
        for (let a = 0; a < T; a++) {
          for (let b = a + 1; b < T; b++) {
            if (s[PTR(a)] >= 0 && s[PTR(b)] >= 0 && s[PTR(a)] >> 2 === s[PTR(b)] >> 2) return `t${a} and t${b} share frame ${s[PTR(a)] >> 2}`;
          }
        }
        return null;
      },
    }],
    symmetry: [{
      name: 'frames',
      slots: Array.from({ length: F }, (_, f) => [USED(f), DATA(f)]),
      references: [
        ...Array.from({ length: T }, (_, t) => ({ field: PTR(t), offset: 0, shift: 2 })),
        ...Array.from({ length: T }, (_, t) => ({ field: HDR(t), offset: 0, shift: 1, tag: 1 })),
      ],
      ...group,
    }],
  };
}

/** The image of a toy state under the frame permutation `perm` (frame f becomes perm[f]),
 *  written from the toy's layout, independent of the declaration and of explorer/symmetry.ts. */
function permute(s: StateVector, perm: readonly number[]): StateVector {
  const out = Int32Array.from(s);
  for (let f = 0; f < F; f++) {
    out[USED(perm[f])] = s[USED(f)];
    out[DATA(perm[f])] = s[DATA(f)];
  }
  for (let t = 0; t < T; t++) {
    if (s[PTR(t)] >= 0) out[PTR(t)] = perm[Math.floor(s[PTR(t)] / 4)] * 4 + (s[PTR(t)] % 4);
    if (s[HDR(t)] % 2 === 1) out[HDR(t)] = perm[(s[HDR(t)] - 1) / 2] * 2 + 1;
  }
  return out;
}

function allPermutations(n: number): number[][] {
  if (n === 0) return [[]];
  return allPermutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** The orbits of the toy's reachable states under every frame permutation, counted by brute force. */
function orbitCount(sys: TransitionSystem): number {
  const perms = allPermutations(F);
  const seen = new Set<string>();
  let orbits = 0;
  for (const k of referenceExplore(sys, false).states.keys()) {
    if (seen.has(k)) continue;
    orbits++;
    const s = Int32Array.from(JSON.parse(k) as number[]);
    for (const p of perms) seen.add(JSON.stringify(Array.from(permute(s, p))));
  }
  return orbits;
}

describe('symmetry over members named by encoded references (frame << shift | low, tagged words)', () => {
  it('every swap of two frames maps each reachable state\'s successors to its swap\'s (the naive commutation check)', () => {
    expect(symmetryProblem(frames())).toBeNull();
  });

  it('the reduced search visits exactly one state per orbit of the reachable states (brute force over all 24 frame permutations), and the same verdict as the full search', () => {
    const sys = frames();
    const full = check(sys, { symmetry: false, checkProgress: false });
    const reduced = check(sys, { checkProgress: false });
    expect(full.verdict).toBe('holds');
    expect(reduced.verdict).toBe('holds');
    expect(full.stats.distinctStates).toBe(referenceExplore(sys, false).states.size);
    expect(reduced.stats.distinctStates).toBe(orbitCount(sys));
    expect(reduced.stats.distinctStates).toBeLessThan(full.stats.distinctStates);
    expect(reduced.stats.reductions).toMatchObject({ symmetry: true, symmetryGroups: ['frames'] });
    expect(full.stats.reductions).toMatchObject({ symmetry: false, symmetryGroups: [] });
  });

  it('a violation found under the reduction is the full search\'s, and its trace replays concretely without canonicalising', () => {
    const sys = frames('no-mark');
    const full = check(sys, { symmetry: false, checkProgress: false });
    const reduced = check(sys, { checkProgress: false });
    expect(full.violation?.invariant).toBe('frames_exclusive');
    expect(reduced.violation?.invariant).toBe('frames_exclusive');
    expect(reduced.violation!.trace.steps.length).toBe(full.violation!.trace.steps.length);
    const r = replay(sys, reduced.violation!.trace);
    expect(r.divergence).toBeUndefined();
    expect(r.violation?.invariant).toBe('frames_exclusive');
  });

  it('the naive check rejects a declaration that misses the encoding (shift left out: ptr read as a plain frame number)', () => {
    const sys = frames(undefined, {
      references: Array.from({ length: T }, (_, t) => ({ field: PTR(t), offset: 0 })),
    });
    expect(symmetryProblem(sys)).toMatch(/do not map/);
  });

  it('the naive check rejects a declaration without the tag (a count in hdr renamed as if it were a frame)', () => {
    const sys = frames(undefined, {
      references: [
        ...Array.from({ length: T }, (_, t) => ({ field: PTR(t), offset: 0, shift: 2 })),
        ...Array.from({ length: T }, (_, t) => ({ field: HDR(t), offset: 0, shift: 1 })),
      ],
    });
    expect(symmetryProblem(sys)).toMatch(/do not map/);
  });

  it('the naive check rejects frames a step compares by number', () => {
    expect(symmetryProblem(frames('ordered'))).toMatch(/do not map/);
  });
});

describe('an encoded reference that cannot be right is a ModelError naming the group and the field', () => {
  const base = frames();
  const withRef = (r: { field: number; offset: number; shift?: number; tag?: number }[]): TransitionSystem =>
    ({ ...base, symmetry: [{ ...base.symmetry![0], references: r, ...(r.some((x) => x.shift === 12) ? { ids: [0, 1, 2, 2 ** 20 - 1] } : {}) }] });
  const cases: [string, { field: number; offset: number; shift?: number; tag?: number }[], string][] = [
    ['a negative shift', [{ field: PTR(0), offset: 0, shift: -1 }], `symmetry group 0: reference field ${PTR(0)}: shift must be an integer 0..20`],
    ['a shift past 20', [{ field: PTR(0), offset: 0, shift: 21 }], `symmetry group 0: reference field ${PTR(0)}: shift must be an integer 0..20`],
    ['a tag that does not fit below the shift', [{ field: HDR(0), offset: 0, shift: 1, tag: 2 }], `symmetry group 0: reference field ${HDR(0)}: tag must be a low part 0..2^shift-1`],
    ['a tag without a shift', [{ field: HDR(0), offset: 0, tag: 1 }], `symmetry group 0: reference field ${HDR(0)}: tag must be a low part 0..2^shift-1`],
    ['one field listed twice', [{ field: PTR(0), offset: 0, shift: 2 }, { field: PTR(0), offset: 0 }], 'symmetry group 0: a reference field is listed twice'],
    // Member ids up to 2^20 - 1 shifted by 12 reach 2^32.
    ['encoded ids past 32 bits', [{ field: PTR(0), offset: 0, shift: 12 }], `symmetry group 0: reference field ${PTR(0)}: the encoded ids do not fit a 32-bit field`],
  ];
  for (const [what, refs, message] of cases) {
    it(what, () => {
      let err: unknown;
      try { check(withRef(refs), { checkProgress: false }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toBe(message);
    });
  }
});

describe('a reference that names members by their own numbers (names: each member owns several)', () => {
  /** Two members (ids 0 and 1), slot fields 0 and 1; field 2 names members by thread-like
   *  ids + 1; field 3 names their "handles": member 0 owns 4 and 5, member 1 owns 6 and 7. */
  const group: SymmetryGroup = {
    slots: [[0], [1]],
    references: [{ field: 2, offset: 1 }, { field: 3, offset: 0, names: [[4, 5], [6, 7]] }],
  };
  const sys: TransitionSystem = {
    fields: [0, 1, 2, 3].map((i) => ({ name: `f${i}`, min: 0, max: 9 })),
    threads: ['t'], labels: ['none'], initialStates: () => [new Int32Array(4)], actions() {}, apply() {},
    symmetry: [group],
  };

  it('swapping the members renames each owned number to the one at the same position, and leaves numbers that name no member', async () => {
    const { declaredCanonicaliser, declaredCanonicaliserByTable } = await import('../../explorer/symmetry.js');
    // (3, 1, ...) sorts to (1, 3, ...) by the swap: worked out by hand.
    const cases: [number[], number[]][] = [
      [[3, 1, 1, 4], [1, 3, 2, 6]],
      [[3, 1, 2, 5], [1, 3, 1, 7]],
      [[3, 1, 0, 7], [1, 3, 0, 5]],
      [[3, 1, 0, 8], [1, 3, 0, 8]],
      [[3, 1, 0, 3], [1, 3, 0, 3]],
      [[1, 3, 1, 4], [1, 3, 1, 4]],
    ];
    for (const fn of [declaredCanonicaliser(sys)!.inPlace, declaredCanonicaliserByTable(sys)!]) {
      for (const [state, expected] of cases) {
        const s = Int32Array.from(state);
        fn(s);
        expect(Array.from(s)).toEqual(expected);
      }
    }
  });

  const bad: [string, number[][], string][] = [
    ['names for fewer members than the group has', [[4, 5]], 'symmetry group 0: reference field 3: names must list the same number (at least one) of numbers for each member'],
    ['members owning different numbers of names', [[4, 5], [6]], 'symmetry group 0: reference field 3: names must list the same number (at least one) of numbers for each member'],
    ['no names at all', [[], []], 'symmetry group 0: reference field 3: names must list the same number (at least one) of numbers for each member'],
    ['a number named twice', [[4, 5], [5, 6]], 'symmetry group 0: reference field 3: names must be distinct integers 0..2^20'],
    ['a negative number', [[4, -1], [6, 7]], 'symmetry group 0: reference field 3: names must be distinct integers 0..2^20'],
  ];
  for (const [what, names, message] of bad) {
    it(`${what} is a ModelError`, () => {
      let err: unknown;
      try { check({ ...sys, symmetry: [{ ...group, references: [{ field: 3, offset: 0, names }] }] }, { checkProgress: false }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toBe(message);
    });
  }
});
