/**
 * The `zbud-page` rule set: zbud's metadata laid over the real struct page, and what a pfn walker
 * would read there. The fields are the first zbud's `struct zbud_page` overlay (2013:
 * `union { struct page page; struct { unsigned long donotuse; u16 first_chunks; u16 last_chunks;
 * struct list_head buddy; struct list_head lru; }; }`), the layout the 2014 highmem series returned
 * to when it moved zbud_header's fields back into struct page. Each field is checked against the
 * struct page members that code which does not own the page interprets:
 * - flags (PG_lru, PG_head, ...), page_type (PageBuddy, ...), _refcount (get_page_unless_zero()):
 *   nothing of zbud's may sit there;
 * - compound_head: bit 0 means "tail page" (_compound_head()); only a pointer (bit 0 clear) may
 *   cover its low byte;
 * - mapping: the low two bits are PAGE_MAPPING_FLAGS (anon, movable); only a pointer may cover
 *   its low byte.
 */
import { readHeader } from '../layout/index.js';
import type { Abi, StructLayout } from '../layout/types.js';
import { formatRange, isPointerType, leaves, overlaps, resolve, type ByteRange, type Leaf } from './members.js';

export const ZBUD_PAGE_2013 = `/* mm/zbud.c, 2013: the zbud fields of struct zbud_page (overlaying struct page) */
struct zbud_page_fields {
	unsigned long donotuse;		/* page->flags */
	u16 first_chunks;
	u16 last_chunks;
	struct list_head buddy;
	struct list_head lru;
};
`;

export function zbudPageFields(abi: Abi): StructLayout {
  const r = readHeader(ZBUD_PAGE_2013, { file: '<zbud_page-2013>', abi, preprocessor: 'builtin' });
  const l = r.layouts.find((x) => x.name === 'zbud_page_fields');
  if (!l) throw new Error('zbud_page_fields did not lay out');
  return l;
}

type Reader = 'any' | 'low-byte';

/** The struct page members walkers interpret, and how much of each they look at. */
const WALKED: readonly { readonly paths: readonly string[]; readonly reads: Reader; readonly why: string }[] = [
  { paths: ['flags'], reads: 'any', why: 'PageLRU()/PageHead()/... of a page the walker does not own' },
  { paths: ['compound_head'], reads: 'low-byte', why: 'bit 0 set reads as PageTail() (_compound_head())' },
  { paths: ['mapping'], reads: 'low-byte', why: 'PAGE_MAPPING_FLAGS in bits 0-1 read as PageAnon()/__PageMovable()' },
  { paths: ['page_type'], reads: 'any', why: 'PageBuddy()/PageSlab()/... (page_type)' },
  { paths: ['_refcount'], reads: 'any', why: 'get_page_unless_zero() by compaction and memory-failure' },
];
/** Members shown as "what is underneath" even though walkers ignore them. */
const SHOWN = ['lru.prev', '__folio_index', 'index', 'private', 'memcg_data'];

export interface ZbudFieldCheck {
  readonly field: Leaf;
  /** Struct page members under the field's bytes. */
  readonly under: readonly string[];
  /** Why a walker misreads it; empty when nothing does. */
  readonly failures: readonly string[];
}

export function checkZbudPage(page: StructLayout, fields: StructLayout): ZbudFieldCheck[] {
  const out: ZbudFieldCheck[] = [];
  for (const leaf of leaves(fields)) {
    if (leaf.path === 'donotuse') continue; // page->flags itself, untouched by zbud
    const under: string[] = [];
    const failures: string[] = [];
    for (const w of WALKED) {
      const m = resolve(page, w.paths);
      if (!m || !overlaps(leaf, m.range)) continue;
      under.push(`${m.path} (${formatRange(m.range)})`);
      const lowByte: ByteRange = { start: m.range.start, end: m.range.start + 1 };
      const pointer = isPointerType(leaf.typeName) || /^struct list_head \*/.test(leaf.typeName);
      if (w.reads === 'any') failures.push(`${leaf.path} (${formatRange(leaf)}) overlaps page.${m.path}: ${w.why}`);
      else if (overlaps(leaf, lowByte) && !pointer) failures.push(`${leaf.path} (${formatRange(leaf)}, ${leaf.typeName}) covers the low byte of page.${m.path}: ${w.why}`);
    }
    for (const p of SHOWN) {
      const m = resolve(page, [p]);
      if (m && overlaps(leaf, m.range) && !under.some((u) => u.startsWith(`${m.path} `))) under.push(`${m.path} (${formatRange(m.range)})`);
    }
    out.push({ field: leaf, under, failures });
  }
  return out;
}
