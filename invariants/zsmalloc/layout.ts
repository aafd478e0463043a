import type { StateInvariant } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { PGTY_ZSMALLOC } from '../../model/zsmalloc/fields.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { beingFreedTest, freeingPcs, live, describedBy, pcViews } from './helpers.js';
import { fieldsOf } from './reads.js';

/** Layout-facing behaviour (§5 inv. 2-4): what generic mm code writes through struct page
 *  offsets must land on the zspage fields meant for it, not on zsmalloc's own. */
export const docs: InvariantDoc[] = [
  { name: 'zspage-word-intact', kind: 'state', designs: allDesigns,
    description: 'The zspage bitfield word keeps its meaning: the huge bit matches the class (no page-flag bit landed on it).',
    kernelRule: 'memdesc: struct zspage must start with the page-flags word (PG_locked is bit 0 at offset 0); 6.18 has huge:1 there' },
  { name: 'page-type-preserved', kind: 'state', designs: ['zpdesc'],
    description: 'Every page of a live zspage keeps PGTY_zsmalloc in the top byte of page_type, and its first_obj_offset fits the low bits (under PAGE_SIZE).',
    kernelRule: 'mm/zsmalloc.c set_first_obj_offset (FIRST_OBJ_PAGE_TYPE_MASK), __SetPageZsmalloc in alloc_zspage/zs_page_migrate; include/linux/page-flags.h PGTY_zsmalloc' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const beingFreed = beingFreedTest(m);
  const chain = new Int32Array(5);
  return [{
    name: 'page-type-preserved',
    description: describedBy(docs, 'page-type-preserved'),
    reads: fieldsOf(m.f.zMagic, m.f.zFirst, m.f.pNext, m.f.pPageType, m.f.pFirstObjOffset),
    check(s) {
      if (m.design !== 'zpdesc') return null;
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z)) continue;
        const n = m.chainInto(s, z, chain);
        for (let k = 0; k < n; k++) {
          const p = chain[k];
          if (s[m.f.pPageType[p]] !== PGTY_ZSMALLOC) return `page[${p}] of zspage[${z}] has page type ${s[m.f.pPageType[p]]}, not PGTY_zsmalloc (0x${PGTY_ZSMALLOC.toString(16)})`;
          if (s[m.f.pFirstObjOffset[p]] >= m.pool.pageUnits) return `page[${p}] first_obj_offset ${s[m.f.pFirstObjOffset[p]]} does not fit in the page`;
        }
      }
      return null;
    },
  }, {
    name: 'zspage-word-intact',
    description: describedBy(docs, 'zspage-word-intact'),
    reads: fieldsOf(m.f.zMagic, m.f.zFirst, m.f.tZ, m.f.tPc, m.f.zClass, m.f.zHuge),
    views: pcViews(m, freeingPcs(m)),
    check(s) {
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || s[m.f.zFirst[z]] < 0 || beingFreed(s, z)) continue;
        const want = m.huge(m.classOf(s, z)) ? 1 : 0;
        if (s[m.f.zHuge[z]] !== want) return `zspage[${z}].huge is ${s[m.f.zHuge[z]]} but class[${m.classOf(s, z)}] is ${want ? '' : 'not '}huge: a PG_locked store through struct page offset 0 hit the bitfield word`;
      }
      return null;
    },
  }];
}
