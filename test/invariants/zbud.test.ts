import { describe, expect, it } from 'vitest';
import { ZBUD_PAGE_NOT_FREED, zbudInvariantDocs, zbudStateInvariants } from '../../invariants/zbud/index.js';
import { buildZbudMachine, zbudDesigns, ZV, type ZbudDesign } from '../../model/zbud/index.js';
import { A, B, C, store } from '../../scenarios/zbud/types.js';

/**
 * The zbud state invariants on hand-built pools (no exploration), branch by branch. The pool,
 * counted by hand from zbud_alloc()'s best fit (mm/zbud.c): A (3 chunks) is page[0]'s first
 * buddy, B (3) page[1]'s first, C (1) page[0]'s last; page[2] is free. Entries A..C are in the
 * zswap tree. Handles: inline and zbud-page encode the address (page[0].FIRST = 1,
 * page[0].LAST = 2, page[1].FIRST = 3); zbud-indirect hands out words 1..3 holding them.
 */
function pool(design: ZbudDesign) {
  const m = buildZbudMachine({ design, pool: { pages: 3, entries: 3 }, threads: [{ name: 't', ops: [] }] });
  const s = m.initialState([store(A, 3), store(B, 3), store(C, 1)]);
  const index = (name: string) => {
    const i = m.table.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new Error(`no field ${name} in ${design}`);
    return i;
  };
  const invs = zbudStateInvariants(m);
  return {
    m,
    s,
    set: (name: string, v: number) => { s[index(name)] = v; },
    check: (name: string) => invs.find((i) => i.name === name)!.check(s),
  };
}

/** A handle's name in a message: the address for inline/zbud-page, the word for indirect. */
const handle = (d: ZbudDesign, addr: string, word: number) => (d === 'zbud-indirect' ? `zbud_handle[${word}]` : `handle ${addr}`);

describe('zbud invariants on hand-built pools', () => {
  for (const d of zbudDesigns) {
    it(`the hand-counted pool holds both invariants (${d})`, () => {
      const p = pool(d);
      expect(p.check(ZBUD_PAGE_NOT_FREED)).toBeNull();
      expect(p.check(ZV.ownData)).toBeNull();
      expect(p.s[p.m.eRb[A]] + p.s[p.m.eRb[B]] + p.s[p.m.eRb[C]]).toBe(3);
    });

    it(`${ZBUD_PAGE_NOT_FREED}: a held handle whose page went back to the page allocator fails; zbud_free frees a page only when both buddies are free (${d})`, () => {
      const p = pool(d);
      p.set('page[1].PageBuddy', 1);
      expect(p.check(ZBUD_PAGE_NOT_FREED)).toBe(`entry B holds ${handle(d, 'page[1].FIRST', 2)}, which names page[1]: free in the page allocator`);
      // own-data leaves the freed page to this invariant (one report per fault).
      expect(p.check(ZV.ownData)).toBeNull();
    });

    it(`${ZBUD_PAGE_NOT_FREED}: the last buddy of a freed page is reported too (${d})`, () => {
      const p = pool(d);
      p.set('page[0].PageBuddy', 1);
      expect(p.check(ZBUD_PAGE_NOT_FREED)).toBe(`entry A holds ${handle(d, 'page[0].FIRST', 1)}, which names page[0]: free in the page allocator`);
      p.set('entry[A].rbnode', 0);
      expect(p.check(ZBUD_PAGE_NOT_FREED)).toBe(`entry C holds ${handle(d, 'page[0].LAST', 3)}, which names page[0]: free in the page allocator`);
    });

    it(`${ZBUD_PAGE_NOT_FREED}: an entry out of the tree (zswap_invalidate erased it) may name a freed page (${d})`, () => {
      const p = pool(d);
      p.set('page[1].PageBuddy', 1);
      p.set('entry[B].rbnode', 0);
      expect(p.check(ZBUD_PAGE_NOT_FREED)).toBeNull();
      expect(p.check(ZV.ownData)).toBeNull();
    });

    it(`${ZV.ownData}: a held handle that names nothing fails; ${ZBUD_PAGE_NOT_FREED} leaves it (${d})`, () => {
      const p = pool(d);
      if (d === 'zbud-indirect') p.set('zbud_handle[2].addr', 0);
      else p.set('entry[B].handle', 0);
      expect(p.check(ZV.ownData)).toBe(`entry B holds ${d === 'zbud-indirect' ? 'zbud_handle[2]' : 'handle nothing'}, which names nothing`);
      expect(p.check(ZBUD_PAGE_NOT_FREED)).toBeNull();
    });

    it(`${ZV.ownData}: a handle resolving to a freed first buddy fails (zbud_free cleared first_chunks) (${d})`, () => {
      const p = pool(d);
      p.s[p.m.pChunks[1][0]] = 0; // first_chunks, wherever the design keeps it
      expect(p.check(ZV.ownData)).toBe('entry B\'s handle resolves to page[1].FIRST, a free buddy (first_chunks is 0)');
    });

    it(`${ZV.ownData}: a handle resolving to a freed last buddy fails (${d})`, () => {
      const p = pool(d);
      p.s[p.m.pChunks[0][1]] = 0; // last_chunks
      expect(p.check(ZV.ownData)).toBe('entry C\'s handle resolves to page[0].LAST, a free buddy (last_chunks is 0)');
    });

    it(`${ZV.ownData}: a buddy holding another entry's data fails (reused after free) (${d})`, () => {
      const p = pool(d);
      p.set('page[1].data[FIRST]', A + 1);
      expect(p.check(ZV.ownData)).toBe('entry B\'s handle resolves to page[1].FIRST, which holds entry A\'s data');
    });

    it(`${ZV.ownData}: a buddy allocated but not yet written fails for the entry already in the tree (${d})`, () => {
      const p = pool(d);
      p.set('page[0].data[LAST]', 0);
      expect(p.check(ZV.ownData)).toBe('entry C\'s handle resolves to page[0].LAST, which holds nothing yet');
      p.set('entry[C].rbnode', 0);
      expect(p.check(ZV.ownData)).toBeNull();
    });
  }

  it('zbud-indirect: the handle word, not the handle, decides where an entry\'s data is (relocation rewrites the word)', () => {
    const p = pool('zbud-indirect');
    // Point B's word at A's buddy: B now resolves to A's data.
    p.set('zbud_handle[2].addr', 1);
    expect(p.check(ZV.ownData)).toBe('entry B\'s handle resolves to page[0].FIRST, which holds entry A\'s data');
    // Point it at the free page: the page-not-freed invariant reports it, own-data does not.
    p.set('zbud_handle[2].addr', 5);
    expect(p.check(ZBUD_PAGE_NOT_FREED)).toBe('entry B holds zbud_handle[2], which names page[2]: free in the page allocator');
    expect(p.check(ZV.ownData)).toBeNull();
  });

  it('every zbud catalogue entry names a kernel rule, a one-line description and the zbud designs, and names a state invariant of the machine where its kind is state', () => {
    const m = buildZbudMachine({ design: 'zbud-inline', pool: { pages: 1, entries: 1 }, threads: [] });
    const invs = zbudStateInvariants(m);
    expect(invs.map((i) => i.name)).toEqual(zbudInvariantDocs.filter((d) => d.kind === 'state').map((d) => d.name));
    for (const doc of zbudInvariantDocs) {
      expect(doc.kernelRule, doc.name).toMatch(/^mm\/[a-z_]+\.c /);
      expect(doc.description.length, doc.name).toBeGreaterThan(40);
      expect(doc.description).not.toContain('\n');
      expect(doc.designs, doc.name).toEqual(zbudDesigns);
      expect(['state', 'step'], doc.name).toContain(doc.kind);
    }
    for (const i of invs) expect(i.description).toBe(zbudInvariantDocs.find((d) => d.name === i.name)!.description);
    expect(new Set(zbudInvariantDocs.map((d) => d.name)).size).toBe(zbudInvariantDocs.length);
    expect(zbudInvariantDocs.map((d) => d.kind)).toEqual(['state', 'state', 'step', 'step']);
    // The name scenario files and reports use for the page-not-freed invariant.
    expect(ZBUD_PAGE_NOT_FREED).toBe('zbud-handle-page-not-freed');
  });
});
