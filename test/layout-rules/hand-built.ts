/**
 * StructLayouts written out by hand from the C definitions, independent of both layout producers
 * (BTF reader, C layout engine): the 6.18 struct page fields the rules use, and the proposed
 * memdesc struct zspage of scenarios/layouts/memdesc-zspage.h for LP64 (checked against gcc in
 * proposed-header.test.ts).
 */
import type { MemberLayout, StructLayout } from '../../model/layout/types.js';

/** A member at byte `off` (bitfields: `bit` within the struct, in bits). */
export const m = (name: string, typeName: string, off: number, size: number, extra: Partial<MemberLayout> = {}): MemberLayout => ({
  name,
  typeName,
  bitOffset: off * 8,
  size,
  ...extra,
});
export const listHead = (name: string, off: number): MemberLayout =>
  m(name, 'struct list_head', off, 16, {
    aggregate: 'struct',
    members: [m('next', 'struct list_head *', off, 8), m('prev', 'struct list_head *', off + 8, 8)],
  });
export const struct = (name: string, size: number, align: number, members: MemberLayout[]): StructLayout => ({ kind: 'struct', name, size, align, members });

/** struct page of 6.18 as kernel-6.18-layouts.txt prints it (the fields the rules use). */
export const PAGE = struct('page', 64, 8, [
  m('flags', 'memdesc_flags_t', 0, 8),
  m('', 'union', 8, 40, {
    aggregate: 'union',
    members: [
      m('', 'struct', 8, 40, {
        aggregate: 'struct',
        members: [listHead('lru', 8), m('mapping', 'struct address_space *', 24, 8), m('__folio_index', 'long unsigned int', 32, 8), m('private', 'long unsigned int', 40, 8)],
      }),
      m('', 'struct', 8, 8, { aggregate: 'struct', members: [m('compound_head', 'long unsigned int', 8, 8)] }),
    ],
  }),
  m('', 'union', 48, 4, { aggregate: 'union', members: [m('page_type', 'unsigned int', 48, 4), m('_mapcount', 'atomic_t', 48, 4)] }),
  m('_refcount', 'atomic_t', 52, 4),
  m('memcg_data', 'long unsigned int', 56, 8),
]);

/** The proposed memdesc zspage (scenarios/layouts/memdesc-zspage.h), laid out by hand for LP64. */
export const PROPOSED_ZSPAGE = struct('zspage', 160, 16, [
  m('flags', 'long unsigned int', 0, 8),
  listHead('lru', 8),
  m('mapping', 'long unsigned int', 24, 8),
  m('pool', 'struct zs_pool *', 32, 8),
  m('handle', 'long unsigned int', 40, 8),
  { name: 'huge', typeName: 'unsigned int', bitOffset: 48 * 8, size: 4, bitSize: 1 },
  { name: 'fullness', typeName: 'unsigned int', bitOffset: 48 * 8 + 1, size: 4, bitSize: 4 },
  { name: 'class', typeName: 'unsigned int', bitOffset: 48 * 8 + 5, size: 4, bitSize: 9 },
  { name: 'magic', typeName: 'unsigned int', bitOffset: 48 * 8 + 14, size: 4, bitSize: 8 },
  m('_refcount', 'atomic_t', 52, 4),
  m('inuse', 'unsigned int', 56, 4),
  m('freeobj', 'unsigned int', 60, 4),
  m('zsl', 'struct zspage_lock', 64, 8, { aggregate: 'struct', members: [m('lock', 'spinlock_t', 64, 4), m('cnt', 'int', 68, 4)] }),
  listHead('list', 72),
  m('pfn', 'long unsigned int[8]', 88, 64),
]);

