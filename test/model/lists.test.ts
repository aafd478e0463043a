import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMachine } from '../../model/zsmalloc/system.js';
import { headNode, listAdd, listDel, listFirst, listSpliceInit, listWalk, localNode, nextOf, listReports } from '../../model/zsmalloc/lists.js';

/** The list_head word operations against a plain array model of each list (independent of
 *  the words): list_add puts at the front, list_del_init/list_del remove, list_splice_init
 *  moves a whole list to the front of another. */
const pool = { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 3, zspageSlots: 4, handles: 1 };

describe('list_head words', () => {
  it('follow an array model of the lists through random add/del/splice sequences', () => {
    const m = buildMachine({ design: 'zpdesc', pool, threads: [{ name: 't', ops: [] }], config: { lists: 'list_head' } });
    const ops = fc.array(fc.tuple(fc.constantFrom('add', 'del', 'splice'), fc.nat(3), fc.nat(1)), { maxLength: 30 });
    fc.assert(fc.property(ops, (seq) => {
      const s = m.initialState();
      const heads = [headNode(m, 0, 0), headNode(m, 0, 1), localNode(m, 0)];
      const model: number[][] = [[], [], []];
      for (const [op, z, h] of seq) {
        const where = model.findIndex((l) => l.includes(z));
        if (op === 'add' && where < 0) { listAdd(m, s, z, heads[h]); model[h].unshift(z); }
        if (op === 'del' && where >= 0) { listDel(m, s, z, h === 0); model[where].splice(model[where].indexOf(z), 1); }
        if (op === 'splice') { listSpliceInit(m, s, heads[h], heads[2]); model[2] = [...model[h], ...model[2]]; model[h] = []; }
      }
      expect(s[m.f.listCorrupt]).toBe(0);
      heads.forEach((hd, i) => {
        expect(listWalk(m, s, hd, 8)).toEqual(model[i]);
        expect(listFirst(m, s, hd)).toBe(model[i].length ? model[i][0] : -1);
      });
    }));
  });

  it('reports list_del of a poisoned entry as CONFIG_DEBUG_LIST does', () => {
    const m = buildMachine({ design: 'zpdesc', pool, threads: [{ name: 't', ops: [] }], config: { lists: 'list_head' } });
    const s = m.initialState();
    listAdd(m, s, 1, headNode(m, 0, 0));
    listDel(m, s, 1, false);
    expect(nextOf(m, s, 1)).toBe(-2); // LIST_POISON1
    listDel(m, s, 1, true);
    expect(listReports[s[m.f.listCorrupt]]).toMatch(/LIST_POISON1/);
  });
});
