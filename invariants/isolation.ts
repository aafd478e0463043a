import type { StateInvariant, TerminalProperty } from '../explorer/system.js';
import type { Machine } from '../model/zsmalloc/machine.js';
import { V } from '../model/zsmalloc/violations.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { beingFreed, live, describedBy } from './helpers.js';

/** Isolation, chain integrity and liveness (§5 inv. 26-30). */
export const docs: InvariantDoc[] = [
  { name: V.isolationIdentity, kind: 'step', designs: ['memdesc'],
    description: 'migrate_page receives the page the core isolated (the core list must hold the page, not the descriptor).',
    kernelRule: 'mm/migrate.c migrate_movable_ops_page(dst, &folio->page); E7 §6.3.3; §5 inv. 26' },
  { name: 'chain-integrity', kind: 'state', designs: allDesigns,
    description: 'A live zspage\'s chain has pages_per_zspage distinct pages, each pointing back at it, only the first PagePrivate, none in two chains.',
    kernelRule: 'mm/zsmalloc.c create_page_chain/replace_sub_page; §5 inv. 30' },
  { name: 'no-empty-zspage-left', kind: 'terminal', designs: allDesigns,
    description: 'At the end no live zspage is empty unless free_work is still pending.',
    kernelRule: 'mm/zsmalloc.c putback_zspage_deferred + schedule free_work, 1a87aa03597e (BUGS.md A3); §5 inv. 28' },
  { name: 'nothing-isolated-at-end', kind: 'terminal', designs: allDesigns,
    description: 'When the core has finished no page is left isolated (legacy: every zspage->isolated is 0).',
    kernelRule: 'mm/migrate.c putback_movable_pages; mm/zsmalloc.c dec_zspage_isolation; §5 inv. 26-28' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  return [{
    name: 'chain-integrity',
    description: describedBy(docs, 'chain-integrity'),
    check(s) {
      const seen = new Map<number, number>();
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || s[f.zFirst[z]] < 0 || beingFreed(m, s, z)) continue;
        const chain = m.chain(s, z);
        const pp = m.pool.classes[m.classOf(s, z)].pagesPerZspage;
        if (chain.length !== pp) return `zspage[${z}] chain has ${chain.length} pages, expected ${pp}`;
        for (let k = 0; k < chain.length; k++) {
          const p = chain[k];
          if (seen.has(p)) return `page[${p}] is in the chains of zspage[${seen.get(p)}] and zspage[${z}]`;
          seen.set(p, z);
          if (s[f.pBuddy[p]] === 1) return `page[${p}] of zspage[${z}] is free in the buddy allocator`;
          if (s[f.pZspage[p]] !== z) return `page[${p}] is in zspage[${z}]'s chain but names zspage[${s[f.pZspage[p]]}]`;
          if (k === 0 && s[f.pPrivate[p]] !== 1) return `first page[${p}] of zspage[${z}] lacks PG_private`;
          if (k > 0 && s[f.pPrivate[p]] !== 0) return `page[${p}] of zspage[${z}] is not first but has PG_private`;
        }
      }
      return null;
    },
  }];
}

export function terminalProperties(m: Machine): TerminalProperty[] {
  const f = m.f;
  return [
    {
      name: 'no-empty-zspage-left',
      description: describedBy(docs, 'no-empty-zspage-left'),
      check(s) {
        if (s[f.freeWork] === 1) return null;
        // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let z = 0; z < m.K; z++) {
          if (live(m, s, z) && s[f.zInuse[z]] === 0) return `zspage[${z}] is empty, still allocated, and no free_work is pending`;
        }
        return null;
      },
    },
    {
      name: 'nothing-isolated-at-end',
      description: describedBy(docs, 'nothing-isolated-at-end'),
      check(s) {
        for (let p = 0; p < m.N; p++) if (s[f.pIsolated[p]] !== 0) return `page[${p}] is still isolated`;
        // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let z = 0; z < m.K; z++) {
          if (f.zIsolated[z] >= 0 && live(m, s, z) && s[f.zIsolated[z]] !== 0) return `zspage[${z}].isolated is ${s[f.zIsolated[z]]} with no page isolated`;
        }
        return null;
      },
    },
  ];
}
