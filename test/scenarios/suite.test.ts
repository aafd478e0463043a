import { describe, expect, it } from 'vitest';
import { replay } from '../../explorer/index.js';
import { allScenarios, buildSystem, findScenario, runScenario } from '../../scenarios/zsmalloc/index.js';
import { findInvariant } from '../../invariants/zsmalloc/index.js';
import { findMutation } from '../../model/zsmalloc/mutations/index.js';

/** The regression suite: every scenario under every design it lists meets its expectation. */
describe('default scenario suite', () => {
  for (const scenario of allScenarios()) {
    for (const design of scenario.designs) {
      it(`${scenario.id} under ${design} meets its expectation`, () => {
        const run = runScenario(scenario, design);
        const v = run.result.violation;
        expect(run.met, `${run.result.verdict} ${v?.invariant ?? ''}: ${v?.message ?? run.result.incompleteReason ?? ''}`).toBe(true);
        if (v) {
          // A counterexample is short, and re-executing it reproduces the same violation.
          expect(v.trace.steps.length).toBeLessThanOrEqual(40);
          const again = replay(buildSystem({ scenario, design }), v.trace);
          expect(again.divergence).toBeUndefined();
          expect(again.violation?.invariant).toBe(v.invariant);
        }
      });
      if (scenario.mutation) {
        it(`${scenario.id} under ${design} holds without mutation ${scenario.mutation}`, () => {
          const run = runScenario(scenario, design, { mutations: [] });
          expect(run.result.verdict, run.result.violation?.message).toBe('holds');
        });
      }
    }
  }

  it('the 6.18-layout scenario holds with the proposed struct zspage layout', () => {
    const s = findScenario('layout-618-zspage')!;
    expect(runScenario(s, 'memdesc').met).toBe(true);
    const run = runScenario(s, 'memdesc', { options: { zspageLayout: 'proposed' } });
    expect(run.result.verdict, run.result.violation?.message).toBe('holds');
  });

  it('names only catalogued invariants (or non-progress) and documented mutations in expectations', () => {
    for (const s of allScenarios()) {
      for (const e of Object.values(s.expect)) if (e && 'violates' in e) expect(findInvariant(e.violates) ?? (e.violates === 'non-progress' || undefined), e.violates).toBeDefined();
      if (s.mutation) {
        const doc = findMutation(s.mutation);
        expect(doc).toBeDefined();
        for (const d of s.designs) expect(doc!.designs).toContain(d);
      }
    }
  });

  it('has a mutation scenario for every BUGS.md entry, expecting the invariant its doc names', () => {
    for (const id of ['A1', 'A3', 'A5', 'A6', 'B1', 'M1', 'M2'] as const) {
      const s = allScenarios().find((x) => x.mutation === id);
      expect(s, id).toBeDefined();
      const doc = findMutation(id)!;
      const e = s!.expect[s!.designs[0]];
      expect(e && 'violates' in e ? e.violates : undefined).toBe(doc.invariant);
    }
  });

  it('finds scenarios by id and builds identical systems for identical specs', () => {
    const s = findScenario('free-vs-migrate')!;
    const a = buildSystem({ scenario: s, design: 'zpdesc' });
    const b = buildSystem({ scenario: s, design: 'zpdesc' });
    expect(a.labels).toEqual(b.labels);
    expect(Array.from(a.initialStates()[0])).toEqual(Array.from(b.initialStates()[0]));
    expect(findScenario('no-such-scenario')).toBeUndefined();
    expect(() => buildSystem({ scenario: findScenario('bug-a1-pin-lost')!, design: 'memdesc' })).toThrow(/does not run under design memdesc/);
  });
});
