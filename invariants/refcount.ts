import type { StateInvariant, TerminalProperty } from '../explorer/system.js';
import type { Machine } from '../model/zsmalloc/machine.js';
import { V } from '../model/zsmalloc/violations.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { beingFreed, live, describedBy } from './helpers.js';

/** Refcounts (§3, §5 inv. 5-8). */
export const docs: InvariantDoc[] = [
  { name: V.refcountNonNegative, kind: 'step', designs: allDesigns,
    description: 'No put drops a _refcount below zero (every put matches a get on the same object).',
    kernelRule: 'include/linux/mm.h put_page/folio_put VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow); §5 inv. 6, 8' },
  { name: 'owner-reference', kind: 'state', designs: allDesigns,
    description: 'zsmalloc holds its reference on what it owns: each chain page (legacy/zpdesc) or each live zspage (memdesc) has _refcount >= 1.',
    kernelRule: 'mm/zsmalloc.c alloc_zspage (alloc_pages ref), zs_page_migrate get(new)/put(old); E7 §6.3.2; §5 inv. 5' },
  { name: 'refcount-balance', kind: 'terminal', designs: allDesigns,
    description: 'At the end every page is either free in the buddy allocator or a chain page of a live zspage holding exactly zsmalloc\'s reference, and pages_allocated counts them.',
    kernelRule: 'mm/zsmalloc.c pool->pages_allocated; mm/migrate.c one put per get; E7 explicit page release §6.3.2; §5 inv. 8' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  return [{
    name: 'owner-reference',
    description: describedBy(docs, 'owner-reference'),
    check(s) {
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || beingFreed(m, s, z)) continue;
        if (m.design === 'memdesc') {
          if (s[f.zRefcount[z]] < 1) return `zspage[${z}] is live but its _refcount is ${s[f.zRefcount[z]]}`;
          continue;
        }
        for (const p of m.chain(s, z)) if (s[f.pRefcount[p]] < 1) return `page[${p}] of zspage[${z}] has _refcount ${s[f.pRefcount[p]]}`;
      }
      return null;
    },
  }];
}

export function terminalProperties(m: Machine): TerminalProperty[] {
  const f = m.f;
  return [{
    name: 'refcount-balance',
    description: describedBy(docs, 'refcount-balance'),
    check(s) {
      const owned = new Set<number>();
      let chainPages = 0;
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z)) continue;
        const chain = m.chain(s, z);
        chainPages += chain.length;
        chain.forEach((p) => owned.add(p));
        if (m.design === 'memdesc') {
          const want = m.protocol.refPerZspage ? 1 : chain.length;
          if (s[f.zRefcount[z]] !== want) return `zspage[${z}] ends with _refcount ${s[f.zRefcount[z]]}, expected ${want}`;
        }
      }
      for (let p = 0; p < m.N; p++) {
        if (s[f.pBuddy[p]] === 1) continue;
        if (!owned.has(p)) return `page[${p}] is neither free nor in a live zspage: it leaked (_refcount ${s[f.pRefcount[p]]})`;
        const want = m.design === 'memdesc' ? 0 : 1;
        if (s[f.pRefcount[p]] !== want) return `page[${p}] ends with _refcount ${s[f.pRefcount[p]]}, expected ${want}`;
      }
      if (s[f.pagesAllocated] !== chainPages) return `pool.pages_allocated is ${s[f.pagesAllocated]} but ${chainPages} pages are in zspages`;
      return null;
    },
  }];
}
