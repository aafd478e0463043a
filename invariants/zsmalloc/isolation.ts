import type { StateInvariant, TerminalProperty } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { V } from '../../model/zsmalloc/violations.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { beingFreedTest, freeingPcs, live, describedBy, pcTable, pcViews } from './helpers.js';
import { fieldsOf } from './reads.js';

/** Isolation, chain integrity and liveness (§5 inv. 26-30). */
export const docs: InvariantDoc[] = [
  { name: V.isolationIdentity, kind: 'step', designs: ['memdesc'],
    description: 'migrate_page receives the page the core isolated (the core list must hold the page, not the descriptor).',
    kernelRule: 'mm/migrate.c migrate_movable_ops_page(dst, &folio->page); memdesc: the isolated list holds the page (mutation M4)' },
  { name: 'isolated-page-held', kind: 'state', designs: ['legacy', 'zpdesc'],
    description: 'A page has its isolated flag set exactly while one migration-core thread holds it isolated (on its list, with its reference): never isolated twice, never left isolated by nobody.',
    kernelRule: 'mm/migrate.c isolate_movable_ops_page ("if (PageMovableOpsIsolated(page)) goto out_no_isolated"), migrate_folio_move/putback_movable_ops_page ClearPageMovableOpsIsolated; E2-E5 PG_isolated' },
  { name: 'movable-when-ready', kind: 'state', designs: allDesigns,
    description: 'A page is movable (PG_movable_ops / PAGE_MAPPING_MOVABLE; memdesc: the zspage\'s mapping) only once its zspage is fully built and listed; in E2-E5 a movable page always belongs to a live zspage (zsmalloc clears it on release), in E6 the flag is sticky until the buddy allocator frees the page.',
    kernelRule: 'mm/zsmalloc.c zs_malloc: SetZsPageMovable after insert_zspage; reset_zpdesc/__ClearPageMovable (E2-E5); E6 PageZsmalloc/PG_movable_ops sticky until free' },
  { name: 'chain-integrity', kind: 'state', designs: allDesigns,
    description: 'A live zspage\'s chain has pages_per_zspage distinct pages, each pointing back at it, only the first PagePrivate, none in two chains.',
    kernelRule: 'mm/zsmalloc.c create_page_chain/replace_sub_page' },
  { name: 'no-empty-zspage-left', kind: 'terminal', designs: allDesigns,
    description: 'At the end no live zspage is empty unless free_work is still pending.',
    kernelRule: 'mm/zsmalloc.c putback_zspage_deferred + schedule free_work, 1a87aa03597e (mutation A3)' },
  { name: 'nothing-isolated-at-end', kind: 'terminal', designs: allDesigns,
    description: 'When the core has finished no page is left isolated (legacy: every zspage->isolated is 0).',
    kernelRule: 'mm/migrate.c putback_movable_pages; mm/zsmalloc.c dec_zspage_isolation' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  // The step sets are built with the machine's tables, not at module load, so that mutation
  // testing reruns only this property's tests for a change to them (not the whole suite).
  /** Core steps taken while the thread holds its page isolated: after set_isolated ran, before
   *  clear_isolated has run. */
  const holding = new Set([
    'isolate_movable_ops_page:unlock', 'migrate_folio_unmap:alloc_dst', 'migrate_folio_unmap:lock_src', 'migrate_folio_unmap:trylock_dst',
    'migrate_folio_move:clear_isolated', 'migrate_folios_undo:unlock_dst', 'migrate_folios_undo:put_dst', 'migrate_folios_undo:unlock_src',
    'putback_movable_ops_page:lock', 'zs_page_putback:lock_class', 'zs_page_putback:dec_isolated', 'zs_page_putback:unlock_class',
    'putback_movable_ops_page:clear_isolated',
  ]);

  /** zs_malloc steps before SetZsPageMovable, while the new zspage is being built. */
  const building = new Set(['alloc_zspage:cache_alloc_zspage', 'alloc_zspage:alloc_page', 'alloc_zspage:init_zspage', 'zs_malloc:lock_class_new_zspage', 'zs_malloc:insert_zspage']);
  const f = m.f;
  const beingFreed = beingFreedTest(m);
  const buildingPc = pcTable(m, (l) => building.has(l));
  const holdingPc = pcTable(m, (l) => holding.has(l) || l.startsWith('zs_page_migrate:'));
  const holders = new Int32Array(m.N);
  const seen = new Int32Array(m.N);
  const chain = new Int32Array(5);
  const underConstruction = (s: Int32Array, z: number): boolean => {
    // Stryker disable next-line EqualityOperator: `<=` also visits thread T, whose label does not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
    for (let t = 0; t < m.T; t++) {
      if (buildingPc[s[f.tPc[t]]] === 1 && s[f.tZ[t]] === z) return true;
    }
    return false;
  };
  return [{
    name: 'movable-when-ready',
    description: describedBy(docs, 'movable-when-ready'),
    reads: fieldsOf(f.zMagic, f.zMapping, f.tPc, f.tZ, f.pBuddy, f.pMovable, f.pZspage),
    views: pcViews(m, buildingPc),
    check(s) {
      if (m.design === 'memdesc') {
        // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live), and the body skips it; `>=` (no iteration) fails every test
        for (let z = 0; z < m.K; z++) {
          if (live(m, s, z) && s[f.zMapping[z]] === 1 && underConstruction(s, z)) return `zspage[${z}] is movable while zs_malloc is still building it`;
        }
        return null;
      }
      // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose PG_movable does not exist (undefined, not 1), and the body skips it; `>=` (no iteration) fails every test
      for (let p = 0; p < m.N; p++) {
        if (s[f.pBuddy[p]] === 1 || s[f.pMovable[p]] !== 1) continue;
        const z = s[f.pZspage[p]];
        if (z >= 0 && underConstruction(s, z)) return `page[${p}] is movable while zs_malloc is still building zspage[${z}]`;
        if (m.design === 'legacy' && (z < 0 || !live(m, s, z))) return `page[${p}] is still PAGE_MAPPING_MOVABLE after zsmalloc released it`;
      }
      return null;
    },
  }, {
    name: 'isolated-page-held',
    description: describedBy(docs, 'isolated-page-held'),
    reads: fieldsOf(f.tPc, f.tP, f.pIsolated),
    views: pcViews(m, holdingPc),
    check(s) {
      // Loops, not fill (a runtime call on every new state).
      // Stryker disable next-line EqualityOperator: `<=` also writes index N, past the end of the typed array (ignored); `>=` (no iteration) fails every test
      for (let p = 0; p < m.N; p++) holders[p] = 0;
      // Stryker disable next-line EqualityOperator: `<=` also visits thread T, whose label does not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let t = 0; t < m.T; t++) {
        if (holdingPc[s[f.tPc[t]]] !== 1) continue;
        const p = s[f.tP[t]];
        if (p >= 0) holders[p]++;
      }
      // Stryker disable next-line EqualityOperator: `<=` also visits index N: no holder count, no isolated flag (undefined), no report; `>=` (no iteration) fails every test
      for (let p = 0; p < m.N; p++) {
        if (holders[p] > 1) return `page[${p}] is isolated by ${holders[p]} core threads at once`;
        if (s[f.pIsolated[p]] === 1 && holders[p] === 0) return `page[${p}] is marked isolated but no core thread holds it`;
        if (s[f.pIsolated[p]] === 0 && holders[p] === 1) return `a core thread holds page[${p}] isolated but its isolated flag is clear`;
      }
      return null;
    },
  }, {
    name: 'chain-integrity',
    description: describedBy(docs, 'chain-integrity'),
    reads: fieldsOf(f.zMagic, f.zFirst, f.tZ, f.tPc, f.pNext, f.zClass, f.pBuddy, f.pZspage, f.pPrivate),
    views: pcViews(m, freeingPcs(m)),
    check(s) {
      // The zspage whose chain each page was seen in, -1 for none yet.
      // Stryker disable next-line EqualityOperator: `<=` also writes index N, past the end of the typed array (ignored); `>=` (no iteration) fails every test
      for (let p = 0; p < m.N; p++) seen[p] = -1;
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || s[f.zFirst[z]] < 0 || beingFreed(s, z)) continue;
        const n = m.chainInto(s, z, chain);
        const pp = m.pool.classes[m.classOf(s, z)].pagesPerZspage;
        if (n !== pp) return `zspage[${z}] chain has ${n} pages, expected ${pp}`;
        for (let k = 0; k < n; k++) {
          const p = chain[k];
          if (seen[p] >= 0) return `page[${p}] is in the chains of zspage[${seen[p]}] and zspage[${z}]`;
          seen[p] = z;
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
