import { describe, expect, it } from 'vitest';
import type { StateVector, TransitionSystem } from '../../explorer/index.js';
import { allScenarios, buildSystem } from '../../scenarios/zsmalloc/index.js';

/**
 * The zsmalloc action properties that declare `changes` or `labels` keep the promise the search
 * relies on to skip them: on a transition that leaves every one of those fields alone, or whose
 * action has a label they do not list, `check` returns null. Checked on every transition out of
 * the first 3,000 reachable states of every scenario of the default suite (the mutation
 * scenarios with their mutation, where the properties do fail), against the properties' own
 * checks: a property that finds something on such a transition is a broken declaration.
 */

function breaches(sys: TransitionSystem, limit: number): string[] {
  const props = (sys.actionProperties ?? []).filter((p) => p.changes !== undefined || p.labels !== undefined);
  const out: string[] = [];
  const seen = new Set<string>();
  const queue: StateVector[] = sys.initialStates();
  for (const s of queue) seen.add(s.join(','));
  for (let i = 0; i < queue.length && i < limit; i++) {
    const s = queue[i];
    const acts: [number, number, number][] = [];
    sys.actions(s, { push: (thread, label, choice) => acts.push([thread, label, choice]) });
    for (const [thread, label, choice] of acts) {
      const a = { thread, label, choice };
      const next = Int32Array.from(s);
      let failed = false;
      sys.apply(s, a, next, { fail: () => { failed = true; } });
      for (const p of props) {
        const skipped = (p.changes !== undefined && !p.changes.some((f) => s[f] !== next[f])) ||
          (p.labels !== undefined && !p.labels.includes(label));
        if (!skipped) continue;
        const m = p.check(s, a, next);
        if (m !== null) out.push(`${p.name} at ${sys.labels[label]}: ${m}`);
      }
      const k = next.join(',');
      if (failed || seen.has(k)) continue;
      seen.add(k);
      queue.push(next);
    }
  }
  return out;
}

describe('zsmalloc action properties fail only on transitions that change a field they declare in changes, by actions of labels they declare in labels', () => {
  const scenarios = allScenarios();
  it('three properties declare changes (guarded-by, get-from-zero, lock-order)', () => {
    const sys = buildSystem({ scenario: scenarios[0], design: scenarios[0].designs[0] });
    expect((sys.actionProperties ?? []).filter((p) => p.changes !== undefined).map((p) => p.name).sort()).toEqual(['get-from-zero', 'guarded-by', 'lock-order']);
  });
  it('the check catches a declaration that leaves fields out: guarded-by declaring no field breaches where A6 breaks it', () => {
    const scenario = scenarios.find((sc) => sc.mutation === 'A6')!;
    const sys = buildSystem({ scenario, design: scenario.designs[0] });
    const narrowed = { ...sys, actionProperties: sys.actionProperties!.map((p) => (p.name === 'guarded-by' ? { ...p, changes: [] } : p)) };
    expect(breaches(narrowed, 3000).some((b) => b.startsWith('guarded-by at '))).toBe(true);
  });
  it('two properties declare labels (lock-order, no-sleep-under-spinlock)', () => {
    const sys = buildSystem({ scenario: scenarios[0], design: scenarios[0].designs[0] });
    expect((sys.actionProperties ?? []).filter((p) => p.labels !== undefined).map((p) => p.name).sort()).toEqual(['lock-order', 'no-sleep-under-spinlock']);
  });
  it('the check catches a declaration that leaves labels out: no-sleep-under-spinlock listing none breaches where SL1 breaks it', () => {
    const scenario = scenarios.find((sc) => sc.mutation === 'SL1')!;
    const sys = buildSystem({ scenario, design: scenario.designs[0] });
    const narrowed = { ...sys, actionProperties: sys.actionProperties!.map((p) => (p.name === 'no-sleep-under-spinlock' ? { ...p, labels: [] } : p)) };
    expect(breaches(narrowed, 3000).some((b) => b.startsWith('no-sleep-under-spinlock at '))).toBe(true);
  });
  for (const scenario of scenarios) {
    for (const design of scenario.designs) {
      it(`${scenario.id} under ${design}`, () => {
        expect(breaches(buildSystem({ scenario, design }), 3000)).toEqual([]);
      }, 120_000);
    }
  }
});
