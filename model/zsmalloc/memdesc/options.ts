/**
 * Protocol switches of the memdesc (E7) design, §6.1/§6.3. The default is the FIXED protocol;
 * turning a switch off models "today's generic migration core, unchanged" for that aspect.
 */
import type { ZspageLayoutChoice } from './zspage-layout.js';

export interface ProtocolOptions {
  /** Willy's get-then-recheck (Jan 2023 review): after try-getting the descriptor read from
   *  `page->memdesc`, re-read it and put+fail if it changed; and, because the reference pins
   *  the descriptor but not the page's membership, re-validate under the lock in
   *  zs_page_isolate (M1 when off). */
  readonly recheckMemdesc: boolean;
  /** zsmalloc holds one reference per zspage and releases physical pages explicitly (§6.3.2).
   *  Off: one reference per page on the shared zspage `_refcount`, pages "freed at refcount 0",
   *  which no longer names a page, so old pages leak. */
  readonly refPerZspage: boolean;
  /** What the core's isolated list holds: the page (`'page'`), or `page_folio(page)` (`'folio'`),
   *  which is the zspage and loses which page was isolated (§6.3.3). */
  readonly isolationIdentity: 'page' | 'folio';
  /** Free the zspage descriptor only when its `_refcount` reaches 0 (§6.3.8; M2 when off). */
  readonly descriptorLifetime: boolean;
  /** The core unlocks/puts the folio pointers it cached at lock/get time; off: it recomputes
   *  `page_folio()` after replace_sub_page/reset, which now names another object (§6.3.7). */
  readonly cachedFolioPointers: boolean;
  /** Which `struct zspage` the generic mm steps reach through struct page offsets: a shipped
   *  header (`proposed`, `6.18`), a header file of the user's, or its resolved table. */
  readonly zspageLayout: ZspageLayoutChoice;
}

export const fixedProtocol: ProtocolOptions = {
  recheckMemdesc: true,
  refPerZspage: true,
  isolationIdentity: 'page',
  descriptorLifetime: true,
  cachedFolioPointers: true,
  zspageLayout: 'proposed',
};

/** Today's generic migration core applied unchanged to one-word pages. */
export const unchangedCore: ProtocolOptions = {
  recheckMemdesc: false,
  refPerZspage: false,
  isolationIdentity: 'folio',
  descriptorLifetime: false,
  cachedFolioPointers: false,
  zspageLayout: 'proposed',
};

export function resolveProtocol(o?: Partial<ProtocolOptions>): ProtocolOptions {
  return { ...fixedProtocol, ...(o ?? {}) };
}
