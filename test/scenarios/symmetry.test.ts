import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { buildSystem, findScenario } from '../../scenarios/zsmalloc/index.js';
import type { Scenario } from '../../scenarios/zsmalloc/types.js';
import { symmetryProblem } from '../explorer/symmetry-check.js';

/** reisolate-after-putback's two identical core threads, with a smaller rest around them. */
function twoCores(): Scenario {
  const base = findScenario('reisolate-after-putback')!;
  return { ...base, id: 'two-cores', threads: [{ name: 'user', ops: [{ kind: 'free', handle: 0 }] }, base.threads[1], base.threads[2]] };
}

describe('zsmalloc: threads with identical programs are interchangeable', () => {
  for (const design of ['legacy', 'zpdesc', 'memdesc'] as const) {
    it(`every swap of the two core threads maps each reachable state's successors to its swap's (${design})`, () => {
      const sys = buildSystem({ scenario: twoCores(), design });
      expect(sys.symmetry?.length).toBe(1);
      expect(symmetryProblem(sys)).toBeNull();
      const full = check(sys, { symmetry: false, checkProgress: false });
      const sym = check(sys, { checkProgress: false });
      expect(sym.verdict).toBe(full.verdict);
      expect(sym.stats.distinctStates).toBeLessThan(full.stats.distinctStates);
    }, 120_000);
  }
});

describe('zsmalloc: progress under thread symmetry', () => {
  it('six-readers-migrate-spanning (memdesc) checks progress on the quotient: its 57,662 representatives, not the full graph beyond the progress limit', () => {
    const scenario = findScenario('six-readers-migrate-spanning')!;
    const sys = buildSystem({ scenario, design: 'memdesc' });
    expect(sys.symmetry?.map((g) => g.slots.length)).toEqual([6]);
    const r = check(sys, { maxStates: scenario.bounds.maxStates });
    expect(r.verdict).toBe('holds');
    expect(r.stats.progress).toMatchObject({ quotient: true, states: r.stats.distinctStates });
    expect(r.stats.distinctStates).toBe(57_662);
  }, 120_000);
});
