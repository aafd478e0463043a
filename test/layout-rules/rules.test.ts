import { describe, expect, it } from 'vitest';
import { Btf, structLayout } from '../../model/btf/index.js';
import {
  DESIGN_RULES,
  designRoles,
  evaluateDesign,
  evaluateRule,
  memdescPage,
  memdescPage2w,
  MissingStructError,
  units,
  type RoleLayouts,
  type RuleResult,
} from '../../model/layout-rules/index.js';
import { FIXTURE_BTF } from '../btf/fixture.js';
import { m, PAGE, PROPOSED_ZSPAGE, struct } from './hand-built.js';

const failuresOf = (results: RuleResult[]) => results.filter((r) => !r.passed).flatMap((r) => r.failures);

describe('layout rules on the real 6.18 structs (fixture BTF)', () => {
  const btf = Btf.load(FIXTURE_BTF);
  const layouts: RoleLayouts = {
    page: structLayout(btf, 'page', { expandNamed: true }),
    zpdesc: structLayout(btf, 'zpdesc', { expandNamed: true }),
    zspage: structLayout(btf, 'zspage', { expandNamed: true }),
    memdesc_page: memdescPage('lp64'),
    memdesc_page_2w: memdescPage2w('lp64'),
  };

  it('6.18 struct zpdesc passes every ZPDESC_MATCH, the size bound and the memcg_data bound', () => {
    const results = evaluateDesign('zpdesc', layouts);
    expect(results.map((r) => r.rule.id)).toEqual([
      'ZPDESC_MATCH(flags, flags)', 'ZPDESC_MATCH(lru, lru)', 'ZPDESC_MATCH(mapping, movable_ops)',
      'ZPDESC_MATCH(__folio_index, next)', 'ZPDESC_MATCH(__folio_index, handle)', 'ZPDESC_MATCH(private, zspage)',
      'ZPDESC_MATCH(page_type, first_obj_offset)', 'ZPDESC_MATCH(_refcount, _refcount)',
      'sizeof(zpdesc) <= sizeof(page)', 'zpdesc-before-memcg_data',
    ]);
    expect(failuresOf(results)).toEqual([]);
  });

  it('6.18 struct page has every field legacy zsmalloc uses', () => {
    expect(failuresOf(evaluateDesign('legacy', layouts))).toEqual([]);
  });

  it('6.18 struct zspage fails the memdesc rules, naming the real collisions', () => {
    const failures = failuresOf(evaluateDesign('memdesc', layouts));
    expect(failures).toEqual(
      expect.arrayContaining([
        'zspage.list (24..40; list.next 24..32) overlaps page.mapping (24..32): move list past 56 or put mapping at 24',
        'zspage.zsl (48..56; zsl.cnt 52..56) overlaps page._refcount (52..56): move zsl past 56 or put _refcount at 52',
        'zspage bitfield word huge/fullness/class/magic (0..4) overlaps page.flags (0..8): move it past 56 or put flags at 0',
        'zspage.inuse (4..8) overlaps page.flags (0..8): move inuse past 56 or put flags at 0',
        "struct zspage has no member 'flags': it must occupy 0..8, where struct page has flags",
        '_Alignof(struct zspage) is 8, under 16: the low 4 bits of a descriptor pointer must be free; add __aligned(16)',
      ]),
    );
    expect(failures.some((f) => f.startsWith('zspage.freeobj (8..12, unsigned int) overlaps page.lru (8..24)'))).toBe(true);
    // first_zpdesc (16..24) is a pointer: allowed over lru.
    expect(failures.some((f) => f.includes('first_zpdesc'))).toBe(false);
  });
});

describe('layout rules on hand-built layouts', () => {
  const base: RoleLayouts = { page: PAGE, memdesc_page: memdescPage('lp64'), memdesc_page_2w: memdescPage2w('lp64') };

  it('the proposed memdesc zspage passes every memdesc rule', () => {
    expect(failuresOf(evaluateDesign('memdesc', { ...base, zspage: PROPOSED_ZSPAGE }))).toEqual([]);
  });

  it('moving mapping off 24 fails both its slot and exclusivity, naming both ranges', () => {
    const moved = struct('zspage', 160, 16, PROPOSED_ZSPAGE.members.map((x) => (x.name === 'mapping' ? m('mapping', 'long unsigned int', 32, 8) : x.name === 'pool' ? m('pool', 'struct zs_pool *', 24, 8) : x)));
    const failures = failuresOf(evaluateDesign('memdesc', { ...base, zspage: moved }));
    expect(failures).toEqual([
      'zspage.mapping (32..40) is not at page.mapping (24..32): put mapping at 24 with size 8',
      'zspage.pool (24..32) overlaps page.mapping (24..32): move pool past 56 or put mapping at 24',
    ]);
  });

  it('a scalar over the compound_head word fails the bit-0 rule; pointers and list heads pass', () => {
    const rule = DESIGN_RULES.memdesc.find((r) => r.kind === 'pointers-only')!;
    const withScalar = struct('zspage', 32, 8, [m('flags', 'long unsigned int', 0, 8), m('count', 'long unsigned int', 8, 8), m('p', 'void *', 16, 8)]);
    const r = evaluateRule(rule, { page: PAGE, zspage: withScalar });
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      'zspage.count (8..16, long unsigned int) overlaps page.lru (8..24) and may have bit 0 set: only pointers or list heads may sit there; move it past 24',
    ]);
    const withPointers = struct('zspage', 32, 8, [m('flags', 'long unsigned int', 0, 8), m('lru', 'struct list_head', 8, 16), m('f', 'void (*)(void)', 24, 8)]);
    expect(evaluateRule(rule, { page: PAGE, zspage: withPointers }).passed).toBe(true);
  });

  it('a zpdesc that grew into memcg_data or past struct page fails with the overflow named', () => {
    const grown = struct('zpdesc', 72, 8, [m('flags', 'long unsigned int', 0, 8), m('extra', 'long unsigned int', 56, 16)]);
    const failures = failuresOf(evaluateDesign('zpdesc', { page: PAGE, zpdesc: grown }));
    expect(failures).toContain('sizeof(struct zpdesc) is 72, over sizeof(struct page) 64: shrink it by 8 bytes');
    expect(failures).toContain('zpdesc.extra (56..72) reaches page.memcg_data (56..64): it must end by 56');
    expect(failures).toContain("struct zpdesc has no member 'movable_ops'");
  });

  it('ZPDESC_MATCH names both offsets and where the zpdesc field must move', () => {
    const shifted = struct('zpdesc', 56, 8, [m('flags', 'long unsigned int', 0, 8), m('lru', 'struct list_head', 16, 16)]);
    const rule = DESIGN_RULES.zpdesc.find((r) => r.id === 'ZPDESC_MATCH(lru, lru)')!;
    const r = evaluateRule(rule, { page: PAGE, zpdesc: shifted });
    expect(r.assertion).toBe('offsetof(struct page, lru) == offsetof(struct zpdesc, lru)');
    expect(r.failures).toEqual(['zpdesc.lru (16..32) is not at page.lru (8..24): move lru to 8']);
  });

  it('the one- and two-word struct page must be exactly unsigned long words', () => {
    const rules = DESIGN_RULES.memdesc.filter((r) => r.kind === 'tagged-words');
    const bad1 = struct('memdesc_page', 16, 8, [m('memdesc', 'long unsigned int', 0, 8), m('extra', 'int', 8, 4)]);
    const bad2 = struct('memdesc_page_2w', 16, 8, [{ name: 'allocator', typeName: 'long unsigned int', bitOffset: 0, size: 8, bitSize: 63 }, m('allocatee', 'long unsigned int', 8, 8)]);
    const [r1, r2] = rules.map((r) => evaluateRule(r, { page: PAGE, memdesc_page: bad1, memdesc_page_2w: bad2 }));
    expect(r1!.failures).toEqual(['memdesc_page.extra (8..12) is more than the 1-word struct page: remove it', 'sizeof(struct memdesc_page) is 16, not 1 word (8)']);
    expect(r2!.failures).toEqual(['memdesc_page_2w.allocator (0..8) must be one unsigned long at 0..8']);
  });

  it('a struct a rule needs but nobody supplied is a usage error, not a failed rule', () => {
    expect(() => evaluateDesign('zpdesc', { page: PAGE })).toThrow(MissingStructError);
    expect(designRoles('memdesc')).toEqual(['page', 'zspage', 'memdesc_page', 'memdesc_page_2w']);
  });

  it('groups bitfields sharing a storage word into one unit', () => {
    expect(units(PROPOSED_ZSPAGE).map((u) => [u.label, u.start, u.end]).slice(3, 7)).toEqual([
      ['pool', 32, 40],
      ['handle', 40, 48],
      ['bitfield word huge/fullness/class/magic', 48, 52],
      ['_refcount', 52, 56],
    ]);
  });
});
