import { describe, expect, it } from 'vitest';
import { buddyInvariantDocs, buddyStateInvariants } from '../../invariants/buddy/index.js';
import { BV, buddyDesigns, buildBuddyMachine, ZONE_ID, type BuddyDesign, type BuddyOp } from '../../model/buddy/index.js';

/**
 * The buddy allocator's state invariants on hand-built zones (no exploration), branch by
 * branch. The zone (8 pages, boot leaves them all allocated) after __free_pages of page[0]
 * (order 0), page[2] (order 0: not page[0]'s buddy, so no merge) and page[4] (order 2), counted
 * by hand from __free_one_page()/__add_to_free_list() (mm/page_alloc.c: list_add at the head):
 * free_area[0] = head -> page[2] -> page[0] -> head, nr_free 2; free_area[2] = head -> page[4],
 * nr_free 1; free_area[1] and [3] empty.
 */
const setup: BuddyOp[] = [{ kind: 'free', pfn: 0, order: 0 }, { kind: 'free', pfn: 2, order: 0 }, { kind: 'free', pfn: 4, order: 2 }];

function zone(design: BuddyDesign) {
  const m = buildBuddyMachine({ design, zone: { pages: 8 }, threads: [{ name: 't', ops: [] }], setup });
  const s = m.initialState(setup);
  const invs = buddyStateInvariants(m);
  /** The list reference of page p's node (its descriptor in buddy-descriptor). */
  const node = (p: number) => m.nodeOf(s, p) + 1;
  /** How a message names page p's node. */
  const name = (p: number) => m.refName(node(p));
  return { m, s, node, name, check: (inv: string) => invs.find((i) => i.name === inv)!.check(s) };
}

describe(`${BV.freeList}: every free list is a well-formed ring that nr_free counts, holding every free block once (mm/page_alloc.c __add_to_free_list/__del_page_from_free_list, lib/list_debug.c)`, () => {
  for (const d of buddyDesigns) {
    it(`the hand-counted zone holds (${d})`, () => {
      const z = zone(d);
      expect(z.m.next(z.s, z.m.HEAD(0))).toBe(z.node(2));
      expect(z.m.next(z.s, z.node(2))).toBe(z.node(0));
      expect(z.s[z.m.nrFree[0]]).toBe(2);
      expect(z.s[z.m.nrFree[2]]).toBe(1);
      expect(z.check(BV.freeList)).toBeNull();
      expect(z.check(BV.zone)).toBeNull();
    });

    it(`an entry whose next is NULL (not a node or a head) breaks the ring (${d})`, () => {
      const z = zone(d);
      z.s[z.m.nNext[z.node(0) - 1]] = 0;
      expect(z.check(BV.freeList)).toBe(`free_area[0]: ${z.name(0)}.next is NULL`);
    });

    it(`a head whose next is LIST_POISON1 (list_del'd entry left linked) breaks the ring (${d})`, () => {
      const z = zone(d);
      z.s[z.m.hNext[2]] = z.m.POISON1;
      expect(z.check(BV.freeList)).toBe('free_area[2]: free_area[2].next is LIST_POISON1');
    });

    it(`an entry pointing at another order's head is not a ring of its own (${d})`, () => {
      const z = zone(d);
      z.s[z.m.nNext[z.node(4) - 1]] = z.m.HEAD(1);
      expect(z.check(BV.freeList)).toBe(`free_area[2]: ${z.name(4)}.next is free_area[1]`);
    });

    it(`a loop back into the list is reported, not walked for ever (${d})`, () => {
      const z = zone(d);
      z.s[z.m.nNext[z.node(0) - 1]] = z.node(2);
      expect(z.check(BV.freeList)).toBe(`free_area[0]: ${z.name(2)} is reached twice (a loop)`);
    });

    it(`an entry whose prev does not name the entry before it (list_del would unlink the wrong node) (${d})`, () => {
      const z = zone(d);
      z.s[z.m.nPrev[z.node(0) - 1]] = z.m.HEAD(0);
      expect(z.check(BV.freeList)).toBe(`free_area[0]: ${z.name(0)}.prev is free_area[0], not ${z.name(2)}`);
    });

    it(`the first entry's prev must be the head (${d})`, () => {
      const z = zone(d);
      z.s[z.m.nPrev[z.node(4) - 1]] = 0;
      expect(z.check(BV.freeList)).toBe(`free_area[2]: ${z.name(4)}.prev is NULL, not free_area[2]`);
    });

    it(`a head whose prev is not the last entry (${d})`, () => {
      const z = zone(d);
      z.s[z.m.hPrev[0]] = z.node(2);
      expect(z.check(BV.freeList)).toBe(`free_area[0].free_list.prev is ${z.name(2)}, not the last entry ${z.name(0)}`);
    });

    it(`an empty list whose head.prev is not the head (${d})`, () => {
      const z = zone(d);
      z.s[z.m.hPrev[3]] = z.node(4);
      expect(z.check(BV.freeList)).toBe(`free_area[3].free_list.prev is ${z.name(4)}, not the last entry free_area[3]`);
    });

    it(`nr_free above and below the list length (${d})`, () => {
      const z = zone(d);
      z.s[z.m.nrFree[0]] = 1;
      expect(z.check(BV.freeList)).toBe('free_area[0].nr_free is 1 but the list has 2');
      z.s[z.m.nrFree[0]] = 2;
      z.s[z.m.nrFree[3]] = 1;
      expect(z.check(BV.freeList)).toBe('free_area[3].nr_free is 1 but the list has 0');
    });

    it(`a free block on no list is lost (${d})`, () => {
      const z = zone(d);
      z.s[z.m.block[6]] = 1;
      expect(z.check(BV.freeList)).toBe('page[6] heads a free order-1 block but is not on free_area[1] (a lost block)');
    });

    it(`a free order-0 block on no list is lost (${d})`, () => {
      const z = zone(d);
      z.s[z.m.block[1]] = 0;
      expect(z.check(BV.freeList)).toBe('page[1] heads a free order-0 block but is not on free_area[0] (a lost block)');
    });

    it(`a free block listed under another order is lost from its own (${d})`, () => {
      const z = zone(d);
      z.s[z.m.block[4]] = 1;
      expect(z.check(BV.freeList)).toBe('page[4] heads a free order-1 block but is not on free_area[1] (a lost block)');
    });

    it(`page[0], the lowest pfn, counts as listed (${d})`, () => {
      const z = zone(d);
      z.s[z.m.block[0]] = 2;
      expect(z.check(BV.freeList)).toBe('page[0] heads a free order-2 block but is not on free_area[2] (a lost block)');
    });
  }

  it('buddy-descriptor: two descriptors naming one pfn put the page on two lists', () => {
    const z = zone('buddy-descriptor');
    z.s[z.m.dPfn[z.node(4) - 1]] = 0;
    expect(z.check(BV.freeList)).toBe('page[0] is on free_area[0] and free_area[2]');
  });

  it('buddy-descriptor: a listed descriptor naming no pfn lists no page, so its block is lost; two such are not one page listed twice', () => {
    const z = zone('buddy-descriptor');
    z.s[z.m.dPfn[z.node(0) - 1]] = -1;
    expect(z.check(BV.freeList)).toBe('page[0] heads a free order-0 block but is not on free_area[0] (a lost block)');
    z.s[z.m.dPfn[z.node(2) - 1]] = -1;
    expect(z.check(BV.freeList)).toBe('page[0] heads a free order-0 block but is not on free_area[0] (a lost block)');
  });
});

describe(`${BV.zone}: every free block records its zone where the layout keeps it (include/linux/mm.h page_zone(), mm/page_alloc.c page_is_buddy())`, () => {
  for (const d of buddyDesigns) {
    it(`a free block head whose zone reads 0 fails (${d})`, () => {
      const z = zone(d);
      if (d === 'buddy-descriptor') z.s[z.m.dZone[z.node(4) - 1]] = 0;
      else z.s[z.m.pZone[4]] = 0;
      expect(z.check(BV.zone)).toBe(`page[4] heads a free block but its zone reads 0, not ${ZONE_ID}`);
    });

    it(`page[0]'s free block is checked too (${d})`, () => {
      const z = zone(d);
      if (d === 'buddy-descriptor') z.s[z.m.dZone[z.node(0) - 1]] = 0;
      else z.s[z.m.pZone[0]] = 0;
      expect(z.check(BV.zone)).toBe(`page[0] heads a free block but its zone reads 0, not ${ZONE_ID}`);
    });
  }

  it('an allocated page is not judged: buddy-in-page keeps no zone in an allocated page\'s free-page words', () => {
    const z = zone('buddy-in-page');
    expect(z.s[z.m.pZone[1]]).toBe(0);
    expect(z.check(BV.zone)).toBeNull();
  });
});

describe('the buddy catalogue', () => {
  it('every entry names a kernel rule, a one-line description and the buddy designs; the state entries are the machine\'s state invariants', () => {
    const m = buildBuddyMachine({ design: 'buddy-struct-page', zone: { pages: 2 }, threads: [] });
    const invs = buddyStateInvariants(m);
    expect(invs.map((i) => i.name)).toEqual(buddyInvariantDocs.filter((d) => d.kind === 'state').map((d) => d.name));
    for (const i of invs) expect(i.description).toBe(buddyInvariantDocs.find((d) => d.name === i.name)!.description);
    for (const doc of buddyInvariantDocs) {
      expect(doc.kernelRule, doc.name).toMatch(/^(mm|include\/linux)\/[a-z_]+\.[ch] /);
      expect(doc.description.length, doc.name).toBeGreaterThan(40);
      expect(doc.description).not.toContain('\n');
      expect(doc.designs, doc.name).toEqual(buddyDesigns);
    }
    expect(buddyInvariantDocs.map((d) => d.kind)).toEqual(['state', 'step', 'step', 'state', 'step', 'step', 'step']);
    expect(new Set(buddyInvariantDocs.map((d) => d.name)).size).toBe(buddyInvariantDocs.length);
  });
});
