import type { DesignDoc } from '../design-doc.js';

/**
 * legacy: zsmalloc 4.8–5.16 (E2) with the E3 pieces where the historical bugs lived. The
 * operations are the shared steps of model/zsmalloc/steps, which take these paths for it.
 */
export const legacyDesign: DesignDoc = {
  design: 'legacy',
  era: 'E2 (4.8–5.16), E3 pieces',
  summary: 'Metadata in struct page fields (private -> zspage, index -> next page or huge handle, PG_private first page); per-page PG_locked; trylock_zspage walks the chain.',
  mechanisms: [
    'no pool lock: zs_free and zs_map_object pin the handle (HANDLE_PIN_BIT), then take the zspage migrate read lock, then class->lock',
    'compaction runs under class->lock only; find_alloced_obj trypins each live handle, record_obj keeps the pin (A1 fix), unpin after the copy',
    'zs_page_isolate (under class->lock) refuses empty or compaction-held zspages, takes the zspage off its fullness list, increments zspage->isolated (A6 fix: same lock as fullness)',
    'zs_free leaves an isolated zspage alone; zs_page_putback and zs_page_migrate re-list it when the last page returns and schedule free_work if it is empty (A3 fix)',
    'zs_page_migrate takes the zspage migrate write lock (blocking) then class->lock and trypins the page\'s handles (-EAGAIN otherwise)',
    'reset_page clears the movable mapping (__ClearPageMovable); the core re-checks PageMovable under the page lock',
  ],
};
