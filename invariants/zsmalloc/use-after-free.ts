import type { StateInvariant } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { V } from '../../model/zsmalloc/violations.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { live, describedBy } from './helpers.js';
import { fieldsOf } from './reads.js';

/** Use-after-free (§5 inv. 23-25). The step-time ones are reported by the model's steps. */
export const docs: InvariantDoc[] = [
  { name: V.zspageUseAfterFree, kind: 'step', designs: allDesigns,
    description: 'No step touches a struct zspage after cache_free_zspage (or frees it twice).',
    kernelRule: 'mm/zsmalloc.c get_zspage(): BUG_ON(zspage->magic != ZSPAGE_MAGIC)' },
  { name: V.pageUseAfterFree, kind: 'step', designs: allDesigns,
    description: 'No step touches a page frame that is free in the buddy allocator.',
    kernelRule: 'mm/page_alloc.c free pages are PageBuddy with refcount 0' },
  { name: V.pageFreeClean, kind: 'step', designs: allDesigns,
    description: 'A page reaches the buddy allocator unlocked, not PagePrivate, not isolated, off every chain, with no live obj naming its PFN.',
    kernelRule: 'mm/page_alloc.c PAGE_FLAGS_CHECK_AT_FREE; mm/zsmalloc.c __free_zspage/reset_zpdesc' },
  { name: 'no-dangling-descriptor', kind: 'state', designs: allDesigns,
    description: 'No allocated page names a freed zspage (page->zspage / page->private / page->memdesc).',
    kernelRule: 'mm/zsmalloc.c reset_zpdesc() before cache_free_zspage(); memdesc: free the zspage only when no page->memdesc names it (mutation M2)' },
  { name: 'buddy-page-clean', kind: 'state', designs: allDesigns,
    description: 'A page in the buddy allocator has _refcount 0, no lock, no zspage link and no isolated flag.',
    kernelRule: 'mm/page_alloc.c free_pages_prepare(); buddy free-page state' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  return [
    {
      name: 'no-dangling-descriptor',
      description: describedBy(docs, 'no-dangling-descriptor'),
      reads: fieldsOf(f.pZspage, f.pBuddy, f.zMagic),
      check(s) {
        // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let p = 0; p < m.N; p++) {
          const z = s[f.pZspage[p]];
          if (s[f.pBuddy[p]] === 0 && z >= 0 && !live(m, s, z)) return `page[${p}] still names zspage[${z}], which is freed`;
        }
        return null;
      },
    },
    {
      name: 'buddy-page-clean',
      description: describedBy(docs, 'buddy-page-clean'),
      reads: fieldsOf(f.pBuddy, f.pRefcount, f.pLocked, f.pZspage, f.pIsolated),
      check(s) {
        // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let p = 0; p < m.N; p++) {
          if (s[f.pBuddy[p]] !== 1) continue;
          if (s[f.pRefcount[p]] !== 0 || s[f.pLocked[p]] !== 0 || s[f.pZspage[p]] !== -1 || s[f.pIsolated[p]] !== 0) {
            return `page[${p}] is free in the buddy allocator but has _refcount ${s[f.pRefcount[p]]}, PG_locked ${s[f.pLocked[p]]}, zspage ${s[f.pZspage[p]]}, isolated ${s[f.pIsolated[p]]}`;
          }
        }
        return null;
      },
    },
  ];
}
