import { describe, expect, it } from 'vitest';
import { invariantCatalogue } from '../../invariants/zsmalloc/index.js';
import { allScenarios, buildSystem, runScenario, type Scenario } from '../../scenarios/zsmalloc/index.js';
import { collectActions, applyAction } from '../explorer/reference.js';
import type { TransitionSystem } from '../../explorer/index.js';

/**
 * Every invariant of the catalogue fires in a reachable run of the default suite: a scenario
 * that re-introduces a kernel bug or removes a protection (a mutation), or runs a protocol
 * variant, under which the checker reports that invariant. Where the checker's first violation
 * is another invariant, a naive search of the same scenario (no reductions, past the first
 * violation) must still reach a state (or, for a terminal property, an end state) that breaks
 * it. The test lists what nothing reaches.
 */
const variants = allScenarios().filter((s) => s.mutation !== undefined || s.options !== undefined);

function firstViolations(): Set<string> {
  const got = new Set<string>();
  for (const s of variants) {
    for (const d of s.designs) {
      const v = runScenario(s, d).result.violation;
      if (v) got.add(v.invariant);
    }
  }
  return got;
}

/** State invariants broken by some reachable state, and terminal properties broken by some
 *  reachable end state (bounded naive BFS that keeps going past violations). */
function brokenAnywhere(sys: TransitionSystem, limit = 20_000): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  let frontier = sys.initialStates();
  while (frontier.length > 0 && seen.size < limit) {
    const next = [];
    for (const s of frontier) {
      const key = s.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const inv of sys.invariants) if (inv.check(s) !== null) out.add(inv.name);
      const acts = collectActions(sys, s);
      if (acts.length === 0 && sys.threads.every((_, t) => sys.threadDone(s, t))) {
        for (const p of sys.terminalProperties ?? []) if (p.check(s) !== null) out.add(p.name);
      }
      for (const a of acts) next.push(applyAction(sys, s, a).next);
    }
    frontier = next;
  }
  return out;
}

describe('every catalogued invariant is reached by a mutation run', () => {
  it('lists no invariant that no mutation or protocol variant of the suite reaches', () => {
    const reached = firstViolations();
    const missing = invariantCatalogue.map((d) => d.name).filter((n) => !reached.has(n));
    // Second chance for state invariants and terminal properties: anywhere in a variant's run.
    const stillMissing = missing.filter((n) => !variants.some((s: Scenario) =>
      s.designs.some((d) => brokenAnywhere(buildSystem({ scenario: s, design: d })).has(n))));
    expect(stillMissing, `invariants no mutation reaches: ${stillMissing.join(', ')}`).toEqual([]);
  }, 120_000);
});
