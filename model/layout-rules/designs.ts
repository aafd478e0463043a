/**
 * The layout rules of each design. Sources: mm/zpdesc.h and mm/zsmalloc.c of Linux 6.18, and the
 * memdesc end state (a one-word struct page pointing at the allocator's descriptor).
 */
import { match } from 'ts-pattern';
import type { Design, FieldRef, LayoutRule, StructRole } from './rules.js';

const page = (...paths: string[]): FieldRef => ({ struct: 'page', paths });
const zpdesc = (...paths: string[]): FieldRef => ({ struct: 'zpdesc', paths });
const zspage = (...paths: string[]): FieldRef => ({ struct: 'zspage', paths });

/** struct page's `index`, renamed `__folio_index` in 6.18's struct page (folio keeps `index`);
 *  6.18's mm/zpdesc.h matches against `__folio_index`, older kernels' against `index`. */
const PAGE_INDEX = ['__folio_index', 'index'];

/**
 * ZPDESC_MATCH of mm/zpdesc.h (6.18): each (page, zpdesc) pair must share an offset because
 * zsmalloc hands a zpdesc to code that reads the same bytes as struct page (folio_lock() of
 * zpdesc_folio(), page migration's movable_ops in `mapping`, page_type for PageZsmalloc).
 */
const ZPDESC_MATCH: readonly [pagePaths: readonly string[], zpdescField: string, why: string][] = [
  [['flags'], 'flags', 'folio_lock()/PG_private on the zpdesc are struct page flag bits'],
  [['lru'], 'lru', 'page migration links isolated pages through page->lru'],
  [['mapping'], 'movable_ops', 'migration finds the movable_operations through page->mapping'],
  [PAGE_INDEX, 'next', 'the zspage chain link overlays page->index'],
  [PAGE_INDEX, 'handle', "a huge class's handle overlays page->index"],
  [['private'], 'zspage', 'the owning zspage overlays page->private'],
  [['page_type'], 'first_obj_offset', 'PageZsmalloc() reads the top byte of page_type; the low 24 bits are first_obj_offset'],
  [['_refcount'], '_refcount', 'get_page_unless_zero()/folio_put() act on page->_refcount'],
];

const zpdescRules: readonly LayoutRule[] = [
  ...ZPDESC_MATCH.map(
    ([pagePaths, field, why]): LayoutRule => ({
      kind: 'offset-match',
      id: `ZPDESC_MATCH(${pagePaths[0]}, ${field})`,
      left: page(...pagePaths),
      right: zpdesc(field),
      why: `mm/zpdesc.h: ${why}`,
    }),
  ),
  {
    kind: 'size-at-most',
    id: 'sizeof(zpdesc) <= sizeof(page)',
    struct: 'zpdesc',
    limit: 'page',
    why: 'mm/zpdesc.h: struct zpdesc overlays struct page',
  },
  {
    kind: 'ends-before',
    id: 'zpdesc-before-memcg_data',
    struct: 'zpdesc',
    limit: page('memcg_data'),
    why: 'mm/zpdesc.h: "do not expand into the overlap with memcg_data" (memcg code reads it on every page)',
  },
];

const legacyRules: readonly LayoutRule[] = [
  ...(
    [
      [['private'], 'zsmalloc keeps the owning zspage in page->private'],
      [PAGE_INDEX, 'zsmalloc links component pages (or keeps a huge object\'s handle) in page->index'],
      [['page_type', 'units'], 'zsmalloc keeps first_obj_offset in page_type (page->units before 6.x)'],
      [['flags'], 'PG_private marks the first page, PG_locked serialises migration'],
      [['lru'], 'migration isolates pages onto a list through page->lru'],
      [['mapping'], 'movable pages carry their movable_operations in page->mapping'],
      [['_refcount'], 'migration takes page references'],
    ] as const
  ).map(
    ([paths, why]): LayoutRule => ({
      kind: 'field-exists',
      id: `page.${paths[0]}`,
      field: page(...paths),
      why: `mm/zsmalloc.c: ${why}`,
    }),
  ),
  {
    kind: 'offset-match',
    id: 'compound_head == lru.next',
    left: page('compound_head'),
    right: page('lru'),
    why: 'include/linux/page-flags.h: bit 0 of compound_head marks a tail page; it aliases lru.next, a pointer, so a listed zsmalloc page is never a false tail',
  },
];

/** The byte ranges of struct page that generic mm code reaches on a memdesc-tagged page. */
const MEMDESC_SLOTS: readonly [field: string, why: string][] = [
  ['flags', 'trylock_page()/folio_lock() of any component page locks the zspage: PG_locked lives in the word at 0'],
  ['mapping', 'isolate_movable_page()/page_movable_ops() read the movable ops through page->mapping'],
  ['_refcount', 'get_page_unless_zero()/put_page() during isolation and migration act on _refcount'],
];

const memdescRules: readonly LayoutRule[] = [
  ...MEMDESC_SLOTS.map(
    ([field, why]): LayoutRule => ({
      kind: 'same-slot',
      id: `zspage.${field} at page.${field}`,
      field: zspage(field),
      slot: page(field),
      why,
    }),
  ),
  ...MEMDESC_SLOTS.map(
    ([field]): LayoutRule => ({
      kind: 'exclusive-range',
      id: `nothing else over page.${field}`,
      struct: 'zspage',
      range: page(field),
      owner: field,
      why: `generic mm code writes page.${field} of the descriptor; any other zspage field there is corrupted`,
    }),
  ),
  {
    kind: 'pointers-only',
    id: 'bit 0 clear at page.lru',
    struct: 'zspage',
    range: page('lru'),
    why: 'the word at 8 is compound_head: with bit 0 set the core would take the descriptor for a tail page, so only pointers/list heads may sit at 8..24',
  },
  {
    kind: 'min-align',
    id: '_Alignof(zspage) >= 16',
    struct: 'zspage',
    align: 16,
    why: 'the memdesc word is the descriptor pointer with its type in the low 4 bits (bit 0: tail tag)',
  },
  {
    kind: 'tagged-words',
    id: 'one-word struct page',
    struct: 'memdesc_page',
    words: ['memdesc'],
    why: 'every zsmalloc page is a tail: its only word is (unsigned long)zspage | type, bit 0 set',
  },
  {
    kind: 'tagged-words',
    id: 'two-word struct page',
    struct: 'memdesc_page_2w',
    words: ['allocator', 'allocatee'],
    why: 'variant: the allocator word carries the tagged descriptor, the allocatee word belongs to the user of the page',
  },
];

export const DESIGN_RULES: Readonly<Record<Design, readonly LayoutRule[]>> = {
  legacy: legacyRules,
  zpdesc: zpdescRules,
  memdesc: memdescRules,
};

/** The C struct each role is read from (BTF or a header), per design. */
export const ROLE_STRUCT: Readonly<Record<StructRole, string>> = {
  page: 'page',
  zpdesc: 'zpdesc',
  zspage: 'zspage',
  memdesc_page: 'memdesc_page',
  memdesc_page_2w: 'memdesc_page_2w',
};

/** The roles a design's rules use, in the order tables are printed. */
export function designRoles(design: Design): StructRole[] {
  const roles = new Set<StructRole>();
  for (const rule of DESIGN_RULES[design]) {
    const used = match(rule)
      .returnType<StructRole[]>()
      .with({ kind: 'offset-match' }, (r) => [r.left.struct, r.right.struct])
      .with({ kind: 'same-slot' }, (r) => [r.slot.struct, r.field.struct])
      .with({ kind: 'size-at-most' }, (r) => [r.limit, r.struct])
      .with({ kind: 'ends-before' }, (r) => [r.limit.struct, r.struct])
      .with({ kind: 'exclusive-range' }, { kind: 'pointers-only' }, (r) => [r.range.struct, r.struct])
      .with({ kind: 'min-align' }, { kind: 'tagged-words' }, (r) => [r.struct])
      .with({ kind: 'field-exists' }, (r) => [r.field.struct])
      .exhaustive();
    for (const role of used) roles.add(role);
  }
  return [...roles];
}
