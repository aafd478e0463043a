import { describe, expect, it } from 'vitest';
import { check, replay, type TransitionSystem } from '../../explorer/index.js';
import { buildSystem } from '../../scenarios/zsmalloc/index.js';
import type { Scenario } from '../../scenarios/zsmalloc/types.js';
import { A, B, C, compact, free, malloc, read, write } from '../../scenarios/zsmalloc/ops.js';
import { mutations } from '../../model/zsmalloc/mutations/index.js';
import type { ModelConfig } from '../../model/zsmalloc/config.js';
import { symmetryProblem } from '../explorer/symmetry-check.js';

const pool = (n: number, handles = 2) => ({ pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: n, zspageSlots: 2, handles });
/** One class of 3-unit objects on 1-page zspages of 3-unit pages: huge (the handle is page->handle). */
const hugePool = { pageUnits: 3, classes: [{ size: 3, pagesPerZspage: 1 }], pageFrames: 3, zspageSlots: 2, handles: 2 };

function scenario(id: string, shape: Scenario['shape'], setup: Scenario['setup'], threads: Scenario['threads'], config: Partial<ModelConfig> = {}): Scenario {
  return { id, title: id, description: id, designs: ['legacy', 'zpdesc', 'memdesc'], shape, setup, threads, bounds: { maxStates: 100_000 }, expect: {}, config };
}
const user = (name: string, h: number, extra: Scenario['threads'][number]['ops'] = []) => ({ name, ops: [malloc(h, 1), ...extra, free(h)] });

/** Threads whose programs differ only in the handle they use (each allocates its own). */
const twoUsers = scenario('two-users', pool(4), [], [user('u0', A), user('u1', B)]);
/** The same with compaction moving their objects (legacy pins handles: HANDLE_PIN_BIT records a thread). */
const withCompaction = scenario('two-users-compact', pool(4, 3), [malloc(C, 2)], [user('u0', A, [write(A, 3)]), user('u1', B, [write(B, 3)]), { name: 'compact', ops: [compact()] }]);
/** Huge class: the handle lives in page->handle, not in an object header. */
const huge = scenario('huge-users', hugePool, [], [user('u0', A), user('u1', B)]);
/** Both kinds of member at once: frames picked 'any' and the users' handles. */
const withFrames = scenario('huge-users-any-frame', hugePool, [], [user('u0', A), user('u1', B)], { picks: 'any' });

const named = (sys: TransitionSystem, name: string) => (sys.symmetry ?? []).filter((g) => g.name === name);

describe('zsmalloc: threads that differ only in their own handles are interchangeable with them', () => {
  const runs: [Scenario, readonly ('legacy' | 'zpdesc' | 'memdesc')[]][] = [
    [twoUsers, ['legacy', 'zpdesc', 'memdesc']],
    [withCompaction, ['legacy', 'zpdesc']],
    [huge, ['zpdesc']],
    [withFrames, ['legacy', 'memdesc']],
  ];
  for (const [sc, designs] of runs) {
    for (const design of designs) {
      it(`${sc.id} (${design}): every swap maps each reachable state's successors to its swap's; the reduced search has the full one's verdict in fewer states`, () => {
        const sys = buildSystem({ scenario: sc, design });
        expect(named(sys, 'threads with their handles').map((g) => g.ids)).toEqual([[0, 1]]);
        expect(symmetryProblem(sys)).toBeNull();
        const full = check(sys, { symmetry: false });
        const reduced = check(sys);
        expect(reduced.verdict).toBe(full.verdict);
        expect(reduced.violation?.invariant).toBe(full.violation?.invariant);
        expect(reduced.stats.distinctStates).toBeLessThan(full.stats.distinctStates);
        expect(reduced.stats.reductions?.symmetryGroups).toContain('threads with their handles');
      }, 60_000);
    }
  }

  it('the naive check fails the group when object headers or the threads\' handle locals are not renamed', () => {
    const sys = buildSystem({ scenario: twoUsers, design: 'zpdesc' });
    const g = named(sys, 'threads with their handles')[0];
    const headers = new Set(sys.fields.flatMap((f, i) => (f.name.includes('obj_header') ? [i] : [])));
    expect(symmetryProblem({ ...sys, symmetry: [{ ...g, references: g.references!.filter((r) => !headers.has(r.field)) }] })).not.toBeNull();
    const locals = new Set(sys.fields.flatMap((f, i) => (/^u\d\.handle$/.test(f.name) ? [i] : [])));
    expect(locals.size).toBe(2);
    expect(symmetryProblem({ ...sys, symmetry: [{ ...g, references: g.references!.filter((r) => !locals.has(r.field)) }] })).not.toBeNull();
  });

  it('is not declared where the handles are not the members\' own: allocated by the setup, named by another thread, or programs that differ in more than the handle', () => {
    const groupsOf = (sc: Scenario) => (buildSystem({ scenario: sc, design: 'zpdesc' }).symmetry ?? []).map((g) => g.name);
    expect(groupsOf(scenario('setup', pool(4, 3), [malloc(A, 1), malloc(B, 1)], [{ name: 'u0', ops: [free(A)] }, { name: 'u1', ops: [free(B)] }]))).toEqual([]);
    expect(groupsOf(scenario('shared', pool(4, 3), [], [user('u0', A), user('u1', B), { name: 'r', ops: [malloc(C, 1), read(A)] }]))).toEqual([]);
    expect(groupsOf(scenario('payloads', pool(4), [], [{ name: 'u0', ops: [malloc(A, 1), free(A)] }, { name: 'u1', ops: [malloc(B, 2), free(B)] }]))).toEqual([]);
    // Identical programs (the same handle) stay a plain thread group.
    expect(groupsOf(scenario('same', pool(4, 1), [malloc(A, 1)], [{ name: 'r0', ops: [read(A)] }, { name: 'r1', ops: [read(A)] }]))).toEqual(['threads']);
  });
});

describe('zsmalloc: with every mutation, the group gives the full search\'s verdict', () => {
  it('two users and compaction under each mutation of each design: the same verdict and violated invariant with and without the group, and the trace replays', () => {
    let violated = 0;
    for (const mu of mutations) {
      for (const design of mu.designs) {
        const sys = buildSystem({ scenario: withCompaction, design, mutations: [mu.id] });
        const reduced = check(sys, { checkProgress: false });
        const full = check(sys, { checkProgress: false, symmetry: false });
        const at = `${mu.id}/${design}`;
        expect(reduced.verdict, at).toBe(full.verdict);
        expect(reduced.violation?.invariant, at).toBe(full.violation?.invariant);
        if (reduced.violation !== undefined) {
          violated++;
          const r = replay(sys, reduced.violation.trace);
          expect(r.divergence, at).toBeUndefined();
          expect(r.violation?.invariant, at).toBe(reduced.violation.invariant);
        }
      }
    }
    // O2 (obj_free writes no free link) breaks zspage-objects in all three designs.
    expect(violated).toBe(3);
  }, 120_000);
});
