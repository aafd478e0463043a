import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { buildMachine, toTransitionSystem } from '../../model/zsmalloc/system.js';
import { propertiesFor } from '../../invariants/zsmalloc/index.js';
import { findScenario } from '../../scenarios/zsmalloc/index.js';
import { applyAction, collectActions } from '../explorer/reference.js';

/**
 * alloc_zspage's -ENOMEM undo against the migration core's speculative reference: in the
 * kernel free_zpdesc is __free_page, which only drops the allocation's reference, so a page
 * isolate_movable_ops_page took with get_page_unless_zero (before SetZsPageMovable) stays out
 * of the buddy allocator until the core's put_page, which frees it. The probe invariant below
 * fails exactly in such a state (a page off every zspage, out of the buddy allocator, with the
 * core's reference alone), so the search proves the scope reaches it; the core's own steps
 * from there must free the page without a violation.
 */
describe('zsmalloc alloc_zspage undo under a speculative reference', () => {
  for (const design of ['legacy', 'zpdesc'] as const) {
    it(`${design}: the core's reference outlives the undo, and the core's put frees the page to the buddy allocator`, () => {
      const sc = findScenario('malloc-enomem-vs-migrate')!;
      const m = buildMachine({ design, pool: sc.shape, setup: sc.setup, threads: sc.threads, config: { picks: 'lowest' } });
      const sys = toTransitionSystem(m, propertiesFor);
      const f = m.f;
      const core = sc.threads.findIndex((t) => t.name === 'migrate');
      const heldByCoreOnly = (s: ArrayLike<number>): number => {
        const p = s[f.tP[core]];
        return p >= 0 && s[f.pBuddy[p]] === 0 && s[f.pZspage[p]] < 0 && s[f.pRefcount[p]] === 1 ? p : -1;
      };
      // The unmodified system holds (the undo leaves the page to the core's put).
      expect(check(sys, { checkProgress: false }).verdict).toBe('holds');
      const probe = { name: 'probe', description: 'a page only the core holds after alloc_zspage undid it', check: (s: ArrayLike<number>) => (heldByCoreOnly(s) >= 0 ? 'reached' : null) };
      const found = check({ ...sys, invariants: [...sys.invariants, probe], symmetry: undefined }, { checkProgress: false });
      expect(found.violation?.invariant).toBe('probe');
      const labels = found.violation!.trace.steps.map((st) => sys.labels[st.action.label]);
      expect(labels).toContain('alloc_zspage:undo');
      let s = replay(sys, found.violation!.trace).states.at(-1)!;
      const p = heldByCoreOnly(s);
      // Run the core alone until it finishes its op.
      for (let n = 0; n < 20 && !sys.threadDone(s, core); n++) {
        const a = collectActions(sys, s).find((x) => x.thread === core);
        expect(a, `core step ${n}`).toBeDefined();
        const r = applyAction(sys, s, a!);
        expect(r.failed, `core step ${sys.labels[a!.label]}`).toBe(false);
        s = r.next;
        for (const inv of sys.invariants) expect(inv.check(s), inv.name).toBeNull();
      }
      expect(sys.threadDone(s, core)).toBe(true);
      expect([s[f.pBuddy[p]], s[f.pRefcount[p]]]).toEqual([1, 0]);
    });
  }
});
