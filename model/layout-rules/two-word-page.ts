/**
 * The `two-word-page` rule set: does a free page's state fit in a two-word struct page
 * ({allocator, allocatee}, the 2021 linux-mm discussion of shrinking struct page)? A free page
 * needs PageBuddy, PageReported, its order, node and zone, and a doubly linked free-list node
 * (removable from the middle: __free_one_page() deletes the buddy it merges with, page reporting
 * isolates pages from the middle of a list). Each item is packed, first fit, into the two words:
 * the allocator word's low 4 bits are the memdesc type tag (PageBuddy is that type), the rest of
 * it and the whole allocatee word (a free page has no allocatee) are free. A field never
 * straddles the two words.
 *
 * Widths are the kernel's for the configurations named in `ABI_CONFIG`; the list node is tried
 * as today's two pointers and as two pfns (a compressed list).
 */
import type { Abi } from '../layout/types.js';

export interface AbiConfig {
  readonly bitsPerLong: number;
  /** CONFIG_NODES_SHIFT: x86_64 MAXSMP allows 10; x86_32 NUMA at most 3. */
  readonly nodesShift: number;
  /** ZONES_SHIFT: x86_64 has DMA, DMA32, NORMAL, MOVABLE, DEVICE (3 bits); 32-bit DMA, NORMAL, HIGHMEM, MOVABLE (2). */
  readonly zonesShift: number;
  /** MAX_PHYSMEM_BITS - PAGE_SHIFT: x86_64 52 - 12; x86_32 PAE 36 - 12. */
  readonly pfnBits: number;
}

export const ABI_CONFIG: Readonly<Record<Abi, AbiConfig>> = {
  lp64: { bitsPerLong: 64, nodesShift: 10, zonesShift: 3, pfnBits: 40 },
  ilp32: { bitsPerLong: 32, nodesShift: 3, zonesShift: 2, pfnBits: 24 },
};

/** MAX_PAGE_ORDER (include/linux/mmzone.h, default 10): orders 0..10 need 4 bits. */
export const MAX_PAGE_ORDER = 10;
/** The memdesc type tag in the low bits of the allocator word (descriptors 16-byte aligned). */
export const TYPE_TAG_BITS = 4;

export type ListEncoding = 'pointers' | 'pfns';

export interface FreePageItem {
  readonly name: string;
  readonly bits: number;
  /** Where today's (6.18) struct page keeps it: member paths of struct page. */
  readonly today: readonly string[];
  readonly why: string;
}

/** The free-page state, in packing order. PageBuddy first: it is the type tag itself. */
export function freePageItems(abi: Abi, list: ListEncoding): FreePageItem[] {
  const c = ABI_CONFIG[abi];
  const link = list === 'pointers' ? c.bitsPerLong : c.pfnBits;
  const linkWhy = list === 'pointers' ? 'a struct list_head pointer' : `a pfn (MAX_PHYSMEM_BITS - PAGE_SHIFT = ${c.pfnBits} bits)`;
  return [
    { name: 'PageBuddy', bits: TYPE_TAG_BITS, today: ['page_type'], why: 'the memdesc type of a free page (PGTY_buddy in page_type today)' },
    { name: 'order', bits: Math.ceil(Math.log2(MAX_PAGE_ORDER + 1)), today: ['private'], why: `set_buddy_order(): 0..MAX_PAGE_ORDER (${MAX_PAGE_ORDER})` },
    { name: 'zone', bits: c.zonesShift, today: ['flags'], why: 'page_zone(): ZONES_SHIFT bits of page->flags today' },
    { name: 'node', bits: c.nodesShift, today: ['flags'], why: 'page_to_nid(): NODES_SHIFT bits of page->flags today' },
    { name: 'PageReported', bits: 1, today: ['flags'], why: 'page reporting\'s "already reported" bit (a page flag today)' },
    { name: 'list.next', bits: link, today: ['buddy_list.next', 'lru.next'], why: `free_list link: ${linkWhy}` },
    { name: 'list.prev', bits: link, today: ['buddy_list.prev', 'lru.prev'], why: `free_list link: ${linkWhy}; removal from the middle needs it` },
  ];
}

export interface Placement {
  readonly item: FreePageItem;
  /** The word and bit range it is packed into, or undefined when it does not fit. */
  readonly word?: 'allocator' | 'allocatee';
  readonly lo?: number;
  readonly hi?: number;
  /** When it does not fit: the bits left in each word. */
  readonly left?: { readonly allocator: number; readonly allocatee: number };
}

export interface FitResult {
  readonly abi: Abi;
  readonly list: ListEncoding;
  readonly bitsPerLong: number;
  readonly placements: readonly Placement[];
  readonly fits: boolean;
}

/** First-fit packing of the free-page items into the two words. */
export function twoWordPageFit(abi: Abi, list: ListEncoding): FitResult {
  const w = ABI_CONFIG[abi].bitsPerLong;
  const next = { allocator: 0, allocatee: 0 };
  const placements: Placement[] = [];
  for (const item of freePageItems(abi, list)) {
    let placed: Placement | undefined;
    for (const word of ['allocator', 'allocatee'] as const) {
      if (item.name === 'PageBuddy' && word !== 'allocator') continue;
      if (next[word] + item.bits <= w) {
        placed = { item, word, lo: next[word], hi: next[word] + item.bits - 1 };
        next[word] += item.bits;
        break;
      }
    }
    placements.push(placed ?? { item, left: { allocator: w - next.allocator, allocatee: w - next.allocatee } });
  }
  return { abi, list, bitsPerLong: w, placements, fits: placements.every((p) => p.word !== undefined) };
}

/** Both ABIs, both list encodings: the rule set's answer. */
export function twoWordPageReport(): FitResult[] {
  return (['lp64', 'ilp32'] as const).flatMap((abi) => (['pointers', 'pfns'] as const).map((l) => twoWordPageFit(abi, l)));
}
