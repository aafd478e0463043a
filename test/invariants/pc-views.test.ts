import { describe, expect, it } from 'vitest';
import { freeingPcs, pcTable, pcViews } from '../../invariants/zsmalloc/helpers.js';
import { propertiesFor } from '../../invariants/zsmalloc/index.js';
import { poolState, idleThread } from './pool.js';

/**
 * pcViews: the table an invariant declares for the threads' program counters must tell two pcs
 * apart whenever any table the invariant reads them through does (test/scenarios/
 * invariant-views.test.ts checks the declarations against the invariants on reachable states).
 */
describe('pcViews', () => {
  const { m } = poolState('zpdesc', [idleThread('t1'), idleThread('t2')]);
  const alloc = pcTable(m, (l) => l.startsWith('alloc_zspage:'));
  const free = freeingPcs(m);

  it('puts two pcs in one class exactly when every table agrees on them, over every label and DONE', () => {
    const [view] = pcViews(m, alloc, free);
    expect(view.fields).toEqual(m.f.tPc);
    expect(view.table.length).toBe(m.labels.length + 1);
    let pairs = 0;
    for (let a = 0; a <= m.labels.length; a++) {
      for (let b = 0; b <= m.labels.length; b++) {
        const agree = alloc[a] === alloc[b] && free[a] === free[b];
        expect(view.table[a] === view.table[b], `${m.labels[a] ?? 'DONE'} / ${m.labels[b] ?? 'DONE'}`).toBe(agree);
        if (!agree) pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('freeingPcs marks the build and teardown steps of a zspage and nothing else', () => {
    const marked = m.labels.filter((_, i) => free[i] === 1);
    expect(marked).toContain('alloc_zspage:alloc_page');
    expect(marked.every((l) => l.startsWith('__free_zspage:') || l.startsWith('alloc_zspage:'))).toBe(true);
    expect(free[m.labels.length]).toBe(0);
  });

  it('every invariant that declares views reads the threads\' pcs, and only the pcs are viewed', () => {
    const { invariants } = propertiesFor(m);
    const viewing = invariants.filter((i) => i.views !== undefined);
    expect(viewing.length).toBeGreaterThanOrEqual(9);
    for (const inv of viewing) {
      for (const v of inv.views!) {
        expect(v.fields).toEqual(m.f.tPc);
        for (const f of v.fields) expect(inv.reads).toContain(f);
      }
    }
  });
});
