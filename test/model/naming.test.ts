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
  for (const design of designs) {
    it(`locksHeld lists every kind of lock a thread holds, in a fixed order, and only its own (${design})`, () => {
      const sys = buildSystem({ scenario: findScenario('two-size-classes')!, design });
      const s = sys.initialStates()[0];
      const set = (name: string, v: number) => {
        const i = sys.fields.findIndex((f) => f.name === name);
        expect(i, name).toBeGreaterThanOrEqual(0);
        s[i] = v;
      };
      const zl = design === 'legacy' ? 'lock' : 'zsl';
      // Thread 0 (owner value 1, reader bit 0) holds one of each kind; thread 1 (value 2, bit 1)
      // holds the pool read side, class[1].lock and zspage[0]'s read side.
      if (design !== 'legacy') { set('pool.lock.writer', 1); set('pool.lock.readers', 0b11); }
      set('class[0].lock', 1);
      set('class[1].lock', 2);
      set(`zspage[0].${zl}.writer`, 1);
      set(`zspage[0].${zl}.readers`, 0b10);
      set(`zspage[1].${zl}.readers`, 0b01);
      if (design === 'memdesc') set('zspage[1].flags.PG_locked', 1);
      set('page[2].flags.PG_locked', 1);
      if (design === 'legacy') set('handle[A].HANDLE_PIN_BIT', 1);
      const pool = design === 'legacy' ? [] : ['pool.lock (write)', 'pool.lock (read)'];
      expect(sys.locksHeld!(s, 0)).toEqual([
        ...pool, 'class[0].lock', `zspage[0].${zl} (write)`, `zspage[1].${zl} (read)`,
        ...(design === 'memdesc' ? ['zspage[1].flags.PG_locked'] : []),
        'page[2].flags.PG_locked',
        ...(design === 'legacy' ? ['handle[A].HANDLE_PIN_BIT'] : []),
      ]);
      expect(sys.locksHeld!(s, 1)).toEqual([...(design === 'legacy' ? [] : ['pool.lock (read)']), 'class[1].lock', `zspage[0].${zl} (read)`]);
    });
  }
});
