import type { StateInvariant } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { LIST_SPLICED } from '../../model/zsmalloc/fields.js';
import { fullnessGroups } from '../../model/zsmalloc/shape.js';
import { headNode, listHeads, listReports, listWalk, localNode, migrateNode, pageNode, prevOf } from '../../model/zsmalloc/lists.js';
import { describedBy, live } from './helpers.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { fieldsOf } from './reads.js';

/** Lists as list_head words (config lists: 'list_head'; §5 inv. 14). */
export const docs: InvariantDoc[] = [
  { name: 'list-linkage', kind: 'state', designs: allDesigns,
    description: 'The list_head words are a consistent doubly linked list: no list_del of a poisoned or unlinked entry, every next/prev pair agrees, each class fullness list links exactly the zspages on it, async_free_zspage\'s local list only spliced ones, and a core thread\'s cc->migratepages only the page it holds.',
    kernelRule: 'include/linux/list.h list_add/list_del (LIST_POISON1/2), lib/list_debug.c __list_del_entry_valid/__list_add_valid (CONFIG_DEBUG_LIST); mm/zsmalloc.c insert_zspage/remove_zspage/async_free_zspage' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  const groups = fullnessGroups(m.design);
  return [{
    name: 'list-linkage',
    description: describedBy(docs, 'list-linkage'),
    reads: fieldsOf(f.listCorrupt, f.zListNext, f.zListPrev, f.headNext.flat(), f.headPrev.flat(), f.tListNext, f.tListPrev, f.pLruNext, f.pLruPrev, f.tMigNext, f.tMigPrev, f.zMagic, f.zClass, f.zList, f.pBuddy, f.tP),
    check(s) {
      if (!listHeads(m)) return null;
      const code = s[f.listCorrupt];
      if (code !== 0) return `CONFIG_DEBUG_LIST: ${listReports[code]}`;
      const check = (head: number, name: string, ok: (z: number) => boolean): string | null => {
        const entries = listWalk(m, s, head, m.K);
        let prev = head;
        for (const z of entries) {
          if (z < 0) return `${name} does not lead back to its head`;
          if (prevOf(m, s, z) !== prev) return `${name}: zspage[${z}].list.prev does not name the entry before it`;
          if (!ok(z)) return `${name} links zspage[${z}], which is not on that list`;
          prev = z;
        }
        if (prevOf(m, s, head) !== prev) return `${name}'s head.prev does not name its last entry`;
        return null;
      };
      for (let c = 0; c < m.pool.classes.length; c++) {
        for (let g = 0; g < groups.length; g++) {
          const name = `class[${c}].fullness_list[${groups[g]}]`;
          const bad = check(headNode(m, c, g), name, (z) => live(m, s, z) && s[f.zClass[z]] === c && s[f.zList[z]] === g);
          if (bad) return bad;
          const linked = listWalk(m, s, headNode(m, c, g), m.K).length;
          let members = 0;
          // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live); `>=` (no iteration) fails every test
          for (let z = 0; z < m.K; z++) {
            if (live(m, s, z) && s[f.zClass[z]] === c && s[f.zList[z]] === g) members++;
          }
          if (linked !== members) return `${name} links ${linked} zspages but ${members} are on it`;
        }
      }
      for (let t = 0; t < m.T; t++) {
        const bad = check(localNode(m, t), `${m.threadNames[t]}'s free_pages`, (z) => live(m, s, z) && s[f.zList[z]] === LIST_SPLICED);
        if (bad) return bad;
        if (m.design === 'memdesc') continue;
        const name = `${m.threadNames[t]}'s cc->migratepages`;
        const head = migrateNode(m, t);
        let prev = head;
        for (const id of listWalk(m, s, head, m.N, true)) {
          if (id < 0) return `${name} does not lead back to its head`;
          const p = id - pageNode(m, 0);
          if (prevOf(m, s, id) !== prev) return `${name}: page[${p}].lru.prev does not name the entry before it`;
          if (s[f.pBuddy[p]] === 1) return `${name} still links page[${p}], which is free in the buddy allocator`;
          if (s[f.tP[t]] !== p) return `${name} links page[${p}], which ${m.threadNames[t]} no longer holds`;
          prev = id;
        }
      }
      return null;
    },
  }];
}
