import { describe, expect, it } from 'vitest';
import { buildMachine } from '../../model/zsmalloc/system.js';
import { defaultConfig, resolveConfig } from '../../model/zsmalloc/config.js';
import type { Design } from '../../model/zsmalloc/designs.js';

const pool = { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 3, zspageSlots: 1, handles: 1 };

/** Movability after zs_malloc, as the state names it (page flag or memdesc `mapping`). */
function movable(design: Design, compaction: boolean): number[] {
  const m = buildMachine({ design, pool, setup: [{ kind: 'malloc', handle: 0, cls: 0, payload: 1 }], threads: [{ name: 't', ops: [] }], config: { compaction } });
  const s = m.initialState();
  const names = design === 'memdesc' ? ['zspage[0].mapping'] : [0, 1].map((p) => `page[${p}].${design === 'legacy' ? 'mapping.PAGE_MAPPING_MOVABLE' : 'flags.PG_movable_ops'}`);
  return names.map((n) => s[m.f.fields.findIndex((f) => f.name === n)]);
}

describe('CONFIG_COMPACTION as a scenario parameter', () => {
  it('defaults to a CONFIG_COMPACTION=y build with lowest-index picks', () => {
    expect(resolveConfig()).toEqual(defaultConfig);
    expect(resolveConfig({ picks: 'any' })).toEqual({ compaction: true, picks: 'any', lists: 'membership' });
  });
  for (const design of ['legacy', 'zpdesc', 'memdesc'] as const) {
    it(`${design}: SetZsPageMovable marks the new zspage movable only with CONFIG_COMPACTION`, () => {
      expect(movable(design, true).every((v) => v === 1)).toBe(true);
      expect(movable(design, false).every((v) => v === 0)).toBe(true);
    });
  }
});

describe('list representation as a scenario parameter', () => {
  const listWord = /(\.list\.(next|prev)|fullness_list\[.*\]\.(next|prev)|\.lru\.(next|prev)|free_pages\.(next|prev)|migratepages\.(next|prev)|^CONFIG_DEBUG_LIST\.report)$/;
  for (const design of ['legacy', 'zpdesc', 'memdesc'] as const) {
    it(`${design}: the list_head words carry values only with lists: 'list_head'; with membership they are declared constant 0 (no packed bits)`, () => {
      const words = (lists: 'membership' | 'list_head') => buildMachine({ design, pool, threads: [{ name: 't', ops: [] }], config: { lists } })
        .f.fields.filter((f) => listWord.test(f.name));
      const heads = words('list_head');
      const membership = words('membership');
      // 1 zspage, 1 class's fullness lists, 3 pages' lru, one thread's two heads, the report.
      expect(heads.length).toBe(2 + 2 * (design === 'legacy' ? 4 : 12) + 2 * 3 + 4 + 1);
      expect(membership.map((f) => f.name)).toEqual(heads.map((f) => f.name));
      expect(heads.every((f) => f.max > f.min)).toBe(true);
      expect(membership.every((f) => f.min === 0 && f.max === 0)).toBe(true);
    });
  }
});
