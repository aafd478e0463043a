import { describe, expect, it } from 'vitest';
import { check, replay, type TransitionSystem } from '../../explorer/index.js';
import { allScenarios, buildSystem } from '../../scenarios/zsmalloc/index.js';
import type { Scenario } from '../../scenarios/zsmalloc/types.js';
import { A, B, asyncFree, free, malloc, migrate, read } from '../../scenarios/zsmalloc/ops.js';
import type { ModelConfig } from '../../model/zsmalloc/config.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import { swapMembers, symmetryProblem } from '../explorer/symmetry-check.js';
import { referenceExplore } from '../explorer/reference.js';

/** The spanning pool (3-unit pages, one class of 2-unit objects on 2-page zspages) with `n` frames. */
const pool = (n: number, handles = 2) => ({ pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: n, zspageSlots: 2, handles });

function scenario(id: string, shape: Scenario['shape'], setup: Scenario['setup'], threads: Scenario['threads'], config: Partial<ModelConfig> = {}): Scenario {
  return {
    id, title: id, description: id, designs: ['legacy', 'zpdesc', 'memdesc'], shape, setup, threads,
    bounds: { maxStates: 100_000 }, expect: {}, config: { picks: 'any', ...config },
  };
}

/** Small pools where alloc_pages may hand out any free frame (`picks: 'any'`): zs_malloc's
 *  alloc_zspage and compaction_alloc choose frames, migration moves objects between them (obj
 *  values change their pfn), list words name pages (list_head), and the free_work worker keeps
 *  the page it waits on in its `idx` local (legacy and zpdesc). */
const small: readonly Scenario[] = [
  scenario('malloc-vs-migrate', pool(5), [malloc(A, 1)], [{ name: 'malloc', ops: [malloc(B, 2)] }, { name: 'core', ops: [migrate(undefined, false)] }]),
  scenario('free-read-vs-migrate', pool(4), [malloc(A, 1), malloc(B, 2)], [{ name: 'user', ops: [free(A), read(B)] }, { name: 'core', ops: [migrate()] }]),
  scenario('two-named-cores', pool(5), [malloc(A, 1), malloc(B, 2)], [{ name: 'core0', ops: [migrate([0], false)] }, { name: 'core1', ops: [migrate([1], false)] }]),
  scenario('list-heads', pool(4), [malloc(A, 1), malloc(B, 2)], [{ name: 'user', ops: [free(A)] }, { name: 'core', ops: [migrate(undefined, false)] }], { lists: 'list_head' }),
  scenario('deferred-free', pool(4), [malloc(A, 1)], [{ name: 'free', ops: [free(A)] }, { name: 'migrate', ops: [migrate(undefined, true)] }, { name: 'free_work', ops: [asyncFree()] }]),
];

const frameGroups = (sys: TransitionSystem) => (sys.symmetry ?? []).filter((g) => g.name === 'page frames');

describe('zsmalloc: page frames are interchangeable under picks \'any\'', () => {
  for (const sc of small) {
    for (const design of sc.designs) {
      it(`${sc.id} (${design}): every swap of two frames maps each reachable state's successors to its swap's, and the reduced search agrees with the full one`, () => {
        const sys = buildSystem({ scenario: sc, design });
        expect(frameGroups(sys).length).toBe(1);
        expect(symmetryProblem(sys)).toBeNull();
        const full = check(sys, { symmetry: false, checkProgress: false });
        const reduced = check(sys, { checkProgress: false });
        expect(reduced.verdict).toBe(full.verdict);
        expect(reduced.violation?.invariant).toBe(full.violation?.invariant);
        expect(reduced.stats.distinctStates).toBeLessThanOrEqual(full.stats.distinctStates);
        expect(reduced.stats.reductions?.symmetryGroups).toEqual((sys.symmetry ?? []).map((g) => g.name));
        // The progress pass too: on the quotient with the group, on the full graph without.
        const declared = check(sys);
        const fullProgress = check(sys, { symmetry: false });
        expect(declared.verdict).toBe(fullProgress.verdict);
        expect(declared.violation?.invariant).toBe(fullProgress.violation?.invariant);
      }, 60_000);
    }
  }

  it('malloc-vs-migrate: the reduced search visits one state per orbit of the reachable states (orbits closed by hand-written frame swaps over the naive explorer\'s states), fewer than the full search', () => {
    for (const design of ['zpdesc'] as const) {
      const sys = buildSystem({ scenario: small[0], design });
      const group = frameGroups(sys)[0];
      const seen = new Set<string>();
      let orbits = 0;
      for (const k of referenceExplore(sys, false).states.keys()) {
        if (seen.has(k)) continue;
        orbits++;
        const todo = [k];
        seen.add(k);
        while (todo.length > 0) {
          const s = Int32Array.from(JSON.parse(todo.pop()!) as number[]);
          for (let a = 0; a < group.slots.length; a++) {
            for (let b = a + 1; b < group.slots.length; b++) {
              const t = JSON.stringify(Array.from(swapMembers(group, s, a, b)));
              if (!seen.has(t)) { seen.add(t); todo.push(t); }
            }
          }
        }
      }
      const reduced = check(sys, { checkProgress: false });
      expect(reduced.stats.distinctStates).toBe(orbits);
      expect(orbits).toBeLessThan(check(sys, { checkProgress: false, symmetry: false }).stats.distinctStates);
    }
  }, 60_000);

  it('the frames a migrate op names, and frames of another zone, are left out of the group', () => {
    const named = buildSystem({ scenario: small[2], design: 'zpdesc' });
    expect(frameGroups(named).map((g) => g.ids)).toEqual([[2, 3, 4]]);
    const zoned = buildSystem({ scenario: { ...small[0], shape: { ...pool(5), zones: [0, 1, 0, 1, 0] } }, design: 'zpdesc' });
    expect(frameGroups(zoned).map((g) => g.ids)).toEqual([[0, 2, 4], [1, 3]]);
  });

  it('no frame group where frames are picked lowest first, where nothing allocates, or where a free_work thread also mallocs (its idx local then holds numbers that are not frames)', () => {
    const lowest = buildSystem({ scenario: { ...small[0], config: { picks: 'lowest' } }, design: 'zpdesc' });
    expect(frameGroups(lowest)).toEqual([]);
    const noAlloc = buildSystem({ scenario: scenario('free-only', pool(4), [malloc(A, 1)], [{ name: 'user', ops: [free(A)] }]), design: 'zpdesc' });
    expect(frameGroups(noAlloc)).toEqual([]);
    const mixed = scenario('mixed', pool(4), [malloc(A, 1)], [{ name: 'user', ops: [free(A)] }, { name: 'worker', ops: [asyncFree(), malloc(B, 2)] }]);
    expect(frameGroups(buildSystem({ scenario: mixed, design: 'zpdesc' }))).toEqual([]);
    expect(frameGroups(buildSystem({ scenario: mixed, design: 'memdesc' })).length).toBe(1);
  });

  it('the naive check fails the same group under picks \'lowest\' (alloc_pages takes the lowest pfn, so pfn order decides the future) and a group that does not rename obj values', () => {
    const sc = small[0];
    const any = buildSystem({ scenario: sc, design: 'zpdesc' });
    const group = frameGroups(any)[0];
    const lowest = buildSystem({ scenario: { ...sc, config: { picks: 'lowest' } }, design: 'zpdesc' });
    expect(symmetryProblem({ ...lowest, symmetry: [group] })).toMatch(/do not map/);
    const noObj = { ...group, references: group.references!.filter((r) => r.shift === undefined) };
    expect(symmetryProblem({ ...any, symmetry: [noObj] })).toMatch(/do not map|invariants differ/);
  });

  it('the naive check fails a group that does not rename the page the free_work worker waits on (its idx local, steps/async-free.ts lock_zspage)', () => {
    for (const design of ['legacy', 'zpdesc'] as const) {
      const sys = buildSystem({ scenario: small[4], design });
      const group = frameGroups(sys)[0];
      const idx = sys.fields.findIndex((f) => f.name === 'free_work.idx');
      expect(group.references!.some((r) => r.field === idx)).toBe(true);
      expect(symmetryProblem({ ...sys, symmetry: [{ ...group, references: group.references!.filter((r) => r.field !== idx) }] })).toMatch(/do not map/);
    }
  });
});

describe('zsmalloc: every bug scenario of the default suite re-run with picks \'any\' (so with a frame group)', () => {
  it('finds the same verdict and violated invariant with the frame group as without, and its trace replays concretely', () => {
    const runs: string[] = [];
    for (const base of allScenarios()) {
      if (base.mutation === undefined) continue;
      const sc: Scenario = { ...base, config: { ...(base.config ?? {}), picks: 'any' } };
      for (const design of sc.designs as readonly Design[]) {
        const sys = buildSystem({ scenario: sc, design });
        if (frameGroups(sys).length === 0) continue;
        const reduced = check(sys, { checkProgress: false, maxStates: 200_000 });
        const full = check(sys, { checkProgress: false, symmetry: false, maxStates: 200_000 });
        const at = `${sc.id}/${design}`;
        expect(reduced.verdict, at).toBe(full.verdict);
        expect(reduced.violation?.invariant, at).toBe(full.violation?.invariant);
        if (reduced.violation !== undefined) {
          const r = replay(sys, reduced.violation.trace);
          expect(r.divergence, at).toBeUndefined();
          expect(r.violation?.invariant, at).toBe(reduced.violation.invariant);
        }
        runs.push(at);
      }
    }
    // A floor (64 runs today): a change that stopped declaring the group would leave few.
    expect(runs.length).toBeGreaterThan(40);
  }, 120_000);
});
