import { describe, expect, it } from 'vitest';
import { buildSystem, findScenario } from '../../scenarios/zsmalloc/index.js';
import type { Design } from '../../model/zsmalloc/designs.js';

/** Traces print field names and step labels: they must read like the kernel. */
describe('kernel-style names', () => {
  const designs: Design[] = ['legacy', 'zpdesc', 'memdesc'];
  for (const design of designs) {
    it(`labels of ${design} are function:step and fields use kernel names`, () => {
      const sys = buildSystem({ scenario: findScenario('two-size-classes')!, design });
      for (const l of sys.labels) expect(l).toMatch(/^[A-Za-z_]+:[a-z_0-9]+$/);
      const names = new Set(sys.fields.map((f) => f.name));
      for (const n of ['page[3]._refcount', 'page[1].flags.PG_locked', 'zspage[0].inuse', 'zspage[0].fullness',
        'class[0].stats[ZS_OBJS_INUSE]', 'handle[A].obj', 'pool.pages_allocated']) expect(names).toContain(n);
      expect(names.has('zspage[0]._refcount')).toBe(design === 'memdesc');
      expect(names.has('handle[A].HANDLE_PIN_BIT')).toBe(design === 'legacy');
      expect(names.has('pool.lock.writer')).toBe(design !== 'legacy');
      expect(sys.labels).toContain('isolate_movable_ops_page:trylock');
      expect(sys.labels).toContain('zs_page_migrate:replace_sub_page');
      expect(sys.labels).toContain('zs_free:lock_class');
    });
  }
  it('locksHeld names the locks a thread holds', () => {
    const sys = buildSystem({ scenario: findScenario('free-vs-migrate')!, design: 'zpdesc' });
    const s = sys.initialStates()[0];
    const i = sys.fields.findIndex((f) => f.name === 'class[0].lock');
    s[i] = 1;
    expect(sys.locksHeld!(s, 0)).toEqual(['class[0].lock']);
    expect(sys.locksHeld!(s, 1)).toEqual([]);
  });
});
