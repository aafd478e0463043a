import { describe, expect, it } from 'vitest';
import type { Design } from '../../model/designs.js';
import { headNode, listReports, localNode, migrateNode, pageNode } from '../../model/zsmalloc/lists.js';
import { poolState, idleThread, type PoolState } from './pool.js';

/**
 * list-linkage on hand-built list_head words (config `lists: 'list_head'`; no exploration):
 * include/linux/list.h list_add/list_del and lib/list_debug.c __list_del_entry_valid. The pool
 * (test/invariants/pool.ts): zspage[0] alone on class[0]'s list of its fullness group (legacy
 * ZS_ALMOST_EMPTY, else ZS_INUSE_RATIO_70), zspage[1] alone on class[1]'s full list. A list
 * word stores node id + 1 (0: NULL, which for a head means "itself").
 */
const all: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];
const rule = 'list-linkage';
const group = (d: Design) => (d === 'legacy' ? { g: 1, name: 'ZS_ALMOST_EMPTY', higher: 3 } : { g: 7, name: 'ZS_INUSE_RATIO_70', higher: 9 });
const listName = (d: Design) => `class[0].fullness_list[${group(d).name}]`;

function lists(d: Design): PoolState {
  return poolState(d, [idleThread('t1'), { name: 'core', ops: [{ kind: 'migrate' }] }], { config: { lists: 'list_head' } });
}
/** Sets a list word to name node `id` (-1: NULL). */
const link = (p: PoolState, word: number, id: number) => { p.s[word] = id + 1; };

/** zspage[0] moved from its class list onto t1's local free_pages list (async_free_zspage's
 *  list_splice_init), as the kernel leaves it: spliced, on no class list. */
function spliced(d: Design): PoolState {
  const p = lists(d);
  const f = p.m.f;
  const t1 = p.m.threadNames.indexOf('t1');
  const { g } = group(d);
  link(p, f.headNext[0][g], -1);
  link(p, f.headPrev[0][g], -1);
  link(p, f.tListNext[t1], 0);
  link(p, f.tListPrev[t1], 0);
  link(p, f.zListNext[0], localNode(p.m, t1));
  link(p, f.zListPrev[0], localNode(p.m, t1));
  p.set('zspage[0].list', -2);
  return p;
}

/** The core thread holding page[2] isolated on its cc->migratepages. */
function migrating(d: Design): PoolState {
  const p = lists(d);
  const f = p.m.f;
  const c = p.m.threadNames.indexOf('core');
  link(p, f.tMigNext[c], pageNode(p.m, 2));
  link(p, f.tMigPrev[c], pageNode(p.m, 2));
  link(p, f.pLruNext[2], migrateNode(p.m, c));
  link(p, f.pLruPrev[2], migrateNode(p.m, c));
  p.set('core.page', 2);
  return p;
}

describe('list-linkage: the list_head words form consistent lists holding exactly their members (include/linux/list.h, lib/list_debug.c)', () => {
  for (const d of all) {
    it(`the pool's lists hold; with membership lists the words are not judged (${d})`, () => {
      expect(lists(d).check(rule)).toBeNull();
      const p = poolState(d, [idleThread('t1')]);
      p.set('CONFIG_DEBUG_LIST.report', 1);
      p.s[p.m.f.zListNext[0]] = 0;
      expect(p.check(rule)).toBeNull();
    });
    it(`a CONFIG_DEBUG_LIST report a step recorded is the violation (${d})`, () => {
      for (const code of [1, 6]) {
        const p = lists(d);
        p.set('CONFIG_DEBUG_LIST.report', code);
        expect(p.check(rule)).toBe(`CONFIG_DEBUG_LIST: ${listReports[code]}`);
      }
    });
    it(`a class list whose entry leads to another list's head does not lead back (${d})`, () => {
      const p = lists(d);
      link(p, p.m.f.zListNext[0], headNode(p.m, 1, 0));
      expect(p.check(rule)).toBe(`${listName(d)} does not lead back to its head`);
    });
    it(`an entry whose prev does not name the entry before it (${d})`, () => {
      const p = lists(d);
      link(p, p.m.f.zListPrev[0], -1);
      expect(p.check(rule)).toBe(`${listName(d)}: zspage[0].list.prev does not name the entry before it`);
    });
    it(`a head whose prev does not name its last entry (${d})`, () => {
      const p = lists(d);
      link(p, p.m.f.headPrev[0][group(d).g], -1);
      expect(p.check(rule)).toBe(`${listName(d)}'s head.prev does not name its last entry`);
    });
    it(`a class list linking a zspage that is on another group, of another class, or freed (${d})`, () => {
      const p = lists(d);
      p.set('zspage[0].list', group(d).higher);
      expect(p.check(rule)).toBe(`${listName(d)} links zspage[0], which is not on that list`);
      const q = lists(d);
      q.set('zspage[0].class', 1);
      expect(q.check(rule)).toBe(`${listName(d)} links zspage[0], which is not on that list`);
      const r = lists(d);
      r.set('zspage[0].magic', 0);
      expect(r.check(rule)).toBe(`${listName(d)} links zspage[0], which is not on that list`);
    });
    it(`a zspage on a list by its field but not linked into it (${d})`, () => {
      const p = lists(d);
      p.set('zspage[2].magic', 0x58);
      p.set('zspage[2].list', group(d).g);
      expect(p.check(rule)).toBe(`${listName(d)} links 1 zspages but 2 are on it`);
      const q = lists(d);
      q.set('zspage[0].list', 0);
      expect(q.check(rule)).toBe(`class[0].fullness_list[${d === 'legacy' ? 'ZS_EMPTY' : 'ZS_INUSE_RATIO_0'}] links 0 zspages but 1 are on it`);
    });
    it(`each class's first list is its own, not the previous class's list past its last group (${d})`, () => {
      // zspage[1] (class 1) moved by hand from its full list to class[1]'s first list.
      const p = lists(d);
      const f = p.m.f;
      const full = d === 'legacy' ? 3 : 11;
      link(p, f.headNext[1][full], -1);
      link(p, f.headPrev[1][full], -1);
      link(p, f.headNext[1][0], 1);
      link(p, f.headPrev[1][0], 1);
      link(p, f.zListNext[1], headNode(p.m, 1, 0));
      link(p, f.zListPrev[1], headNode(p.m, 1, 0));
      p.set('zspage[1].list', 0);
      expect(p.check(rule)).toBeNull();
      link(p, f.zListPrev[1], -1);
      expect(p.check(rule)).toBe(`class[1].fullness_list[${d === 'legacy' ? 'ZS_EMPTY' : 'ZS_INUSE_RATIO_0'}]: zspage[1].list.prev does not name the entry before it`);
    });
    it(`the last class's last group is checked too (${d})`, () => {
      const p = lists(d);
      link(p, p.m.f.zListPrev[1], -1);
      expect(p.check(rule)).toBe(`class[1].fullness_list[${d === 'legacy' ? 'ZS_FULL' : 'ZS_INUSE_RATIO_100'}]: zspage[1].list.prev does not name the entry before it`);
    });
    it(`async_free_zspage's local list holds spliced zspages; a freed one fails (${d})`, () => {
      expect(spliced(d).check(rule)).toBeNull();
      const p = spliced(d);
      p.set('zspage[0].magic', 0);
      expect(p.check(rule)).toBe('t1\'s free_pages links zspage[0], which is not on that list');
      const q = spliced(d);
      q.set('zspage[0].list', -1);
      expect(q.check(rule), 'a live zspage not spliced').toBe('t1\'s free_pages links zspage[0], which is not on that list');
    });
    it(`a local list that does not lead back, or with a bad prev (${d})`, () => {
      const p = spliced(d);
      link(p, p.m.f.zListNext[0], headNode(p.m, 1, 0));
      expect(p.check(rule)).toBe('t1\'s free_pages does not lead back to its head');
      const q = spliced(d);
      link(q, q.m.f.zListPrev[0], 1);
      expect(q.check(rule)).toBe('t1\'s free_pages: zspage[0].list.prev does not name the entry before it');
    });
  }
  for (const d of ['legacy', 'zpdesc'] as const) {
    it(`a core thread's cc->migratepages links only the page it holds (${d})`, () => {
      expect(migrating(d).check(rule)).toBeNull();
      const p = migrating(d);
      p.set('core.page', -1);
      expect(p.check(rule)).toBe('core\'s cc->migratepages links page[2], which core no longer holds');
      const q = migrating(d);
      q.set('page[2].PageBuddy', 1);
      expect(q.check(rule)).toBe('core\'s cc->migratepages still links page[2], which is free in the buddy allocator');
    });
    it(`a cc->migratepages that does not lead back, or with a bad prev (${d})`, () => {
      const p = migrating(d);
      link(p, p.m.f.pLruNext[2], 0);
      expect(p.check(rule)).toBe('core\'s cc->migratepages does not lead back to its head');
      const q = migrating(d);
      link(q, q.m.f.pLruPrev[2], pageNode(q.m, 1));
      expect(q.check(rule)).toBe('core\'s cc->migratepages: page[2].lru.prev does not name the entry before it');
    });
    it(`page[0] on a cc->migratepages is a page like any other (${d})`, () => {
      const p = lists(d);
      const f = p.m.f;
      const c = p.m.threadNames.indexOf('core');
      link(p, f.tMigNext[c], pageNode(p.m, 0));
      link(p, f.tMigPrev[c], pageNode(p.m, 0));
      link(p, f.pLruNext[0], migrateNode(p.m, c));
      link(p, f.pLruPrev[0], migrateNode(p.m, c));
      expect(p.check(rule)).toBe('core\'s cc->migratepages links page[0], which core no longer holds');
      p.set('core.page', 0);
      expect(p.check(rule)).toBeNull();
    });
  }
  it('memdesc keeps no cc->migratepages of pages (the lru would be the descriptor\'s): its words are not judged', () => {
    const p = migrating('memdesc');
    p.set('core.page', -1);
    expect(p.check(rule)).toBeNull();
  });
});
