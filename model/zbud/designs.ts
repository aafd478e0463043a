/**
 * The three zbud designs (see the README's "Designs"), from the 2014 thread "mm/zbud: support
 * highmem pages" (an RFC series moving zbud_header into struct page) and the replies to it:
 * - `zbud-inline`: mm/zbud.c as merged: struct zbud_header in the first chunk of the data page,
 *   first/last buddies, unbuddied/buddied lists and the pool LRU, one pool lock, and a handle
 *   that is the data's address (encode_handle(): page address + offset).
 * - `zbud-page`: the same metadata in struct page fields (the 2014 series; the first zbud of
 *   2013 overlaid `struct zbud_page` on struct page the same way), handle encoded from the page.
 * - `zbud-indirect`: a per-allocation metadata object between user and data: the handle is a
 *   pointer to an allocator-owned word holding the data's address, as proposed in reply.
 */
export type ZbudDesign = 'zbud-inline' | 'zbud-page' | 'zbud-indirect';
export const zbudDesigns: readonly ZbudDesign[] = ['zbud-inline', 'zbud-page', 'zbud-indirect'];

export function isZbudDesign(s: string): s is ZbudDesign {
  return (zbudDesigns as readonly string[]).includes(s);
}

/**
 * Where `zbud-page` keeps first_chunks/last_chunks (struct page slots of Linux 6.18). A pfn
 * walker classifies a page from exactly these slots, so the assignment decides what it sees:
 * - `zbud_page-2013`: the 2013 `struct zbud_page` overlay { unsigned long donotuse; u16
 *   first_chunks; u16 last_chunks; struct list_head buddy; struct list_head lru; } laid on
 *   today's struct page: the two u16 land in the word at offset 8, `compound_head`, whose bit 0
 *   means "tail page" (include/linux/page-flags.h _compound_head()); an odd first_chunks makes
 *   the page look like a tail page.
 * - `counts-in-mapping`: the counts in `mapping`, whose low bits are PAGE_MAPPING_FLAGS
 *   (PAGE_MAPPING_MOVABLE = 0x2): a first_chunks of 2 (mod 4) makes the page look movable.
 * - `lru-private`: lists through `lru` (pointers, bit 0 clear), counts in `private`, which no
 *   walker interprets for a page without PG_private: walker-safe.
 */
export type ZbudPageFields = 'zbud_page-2013' | 'counts-in-mapping' | 'lru-private';
export const zbudPageFieldAssignments: readonly ZbudPageFields[] = ['zbud_page-2013', 'counts-in-mapping', 'lru-private'];

/** The struct page slot each zbud-page metadata field is stored in, per assignment. */
export interface SlotAssignment {
  readonly counts: 'compound_head' | 'mapping' | 'private';
  readonly buddy: string;
  readonly lru: string;
}

export const ZBUD_PAGE_SLOTS: Readonly<Record<ZbudPageFields, SlotAssignment>> = {
  'zbud_page-2013': { counts: 'compound_head', buddy: 'lru.prev+mapping', lru: '__folio_index+private' },
  'counts-in-mapping': { counts: 'mapping', buddy: 'lru', lru: 'private' },
  'lru-private': { counts: 'private', buddy: 'lru', lru: '__folio_index' },
};

export interface ZbudOptions {
  readonly zbudPageFields: ZbudPageFields;
}

export const defaultZbudOptions: ZbudOptions = { zbudPageFields: 'zbud_page-2013' };

/** What distinguishes a design, for people and for `memdesc-mc compare`. */
export interface ZbudDesignDoc {
  readonly design: ZbudDesign;
  readonly era: string;
  readonly summary: string;
}

export const zbudDesignDocs: readonly ZbudDesignDoc[] = [
  { design: 'zbud-inline', era: 'mm/zbud.c v3.11-v6.12',
    summary: 'zbud_header in the first chunk of the page; handle = page address + offset (encode_handle)' },
  { design: 'zbud-page', era: '2014 RFC "mm/zbud: support highmem pages"',
    summary: 'zbud_header fields in struct page; handle encoded from the page' },
  { design: 'zbud-indirect', era: 'proposed in reply (2014)',
    summary: 'handle = pointer to an allocator-owned word holding the address; the allocator may relocate' },
];
