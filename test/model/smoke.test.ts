import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { buildMachine, toTransitionSystem } from '../../model/zsmalloc/system.js';
import { propertiesFor } from '../../invariants/index.js';

describe('smoke', () => {
  it('runs', () => {
    for (const design of ['zpdesc', 'legacy', 'memdesc'] as const) {
      const m = buildMachine({
        design,
        pool: { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 4, zspageSlots: 2, handles: 2 },
        setup: [{ kind: 'malloc', handle: 0, cls: 0, payload: 1 }],
        threads: [
          { name: 'free', ops: [{ kind: 'free', handle: 0 }] },
          { name: 'migrate', ops: [{ kind: 'migrate' }] },
          { name: 'reader', ops: [{ kind: 'malloc', handle: 1, cls: 0, payload: 2 }, { kind: 'read', handle: 1 }] },
        ],
      });
      const sys = toTransitionSystem(m, propertiesFor);
      const r = check(sys, {});
      console.log(design, r.verdict, r.stats.distinctStates, r.stats.elapsedMs, r.violation?.invariant, r.violation?.message);
      expect(r.verdict).not.toBe('incomplete');
    }
  });
});
