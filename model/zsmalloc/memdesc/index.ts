import type { DesignDoc } from '../design-doc.js';

export type { ProtocolOptions } from './options.js';
export { fixedProtocol, unchangedCore, resolveProtocol } from './options.js';

/** memdesc: the pageless end-state (E7, §6): struct page is one word naming the zspage. */
export const memdescDesign: DesignDoc = {
  design: 'memdesc',
  era: 'E7 (proposed)',
  summary: 'Every zsmalloc page is a tail whose one word points at its struct zspage; PG_locked, _refcount, mapping live in the zspage at struct page offsets.',
  mechanisms: [
    'page_folio(page) is the zspage: the core\'s lock/get/put of "the page" act on the zspage; the core keeps the identities it locked/got (cached folio pointers)',
    'trylock_zspage and lock_zspage are one lock operation on the zspage',
    'isolation reads page->memdesc, try-gets the zspage, re-checks page->memdesc, and re-validates under the lock (the reference pins the descriptor, not the page)',
    'zsmalloc holds one reference per zspage; physical pages are released explicitly, by zsmalloc at __free_zspage, or by the core thread that clears the isolated flag of a page that already left its zspage',
    'the zspage descriptor is freed only when its _refcount reaches 0 (the core may still hold a reference)',
    'ProtocolOptions turn each of these off (today\'s generic core unchanged) or put the 6.18 struct zspage behind the page offsets',
  ],
};
