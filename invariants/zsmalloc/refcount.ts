import type { ActionProperty, StateInvariant, TerminalProperty } from '../../explorer/system.js';
import { ZSPAGE_MAGIC } from '../../model/zsmalloc/fields.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { V } from '../../model/zsmalloc/violations.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { beingFreedTest, freeingPcs, live, describedBy, pcTable, pcViews } from './helpers.js';
import { fieldsOf } from './reads.js';

/** Refcounts (§3, §5 inv. 5-8). */
export const docs: InvariantDoc[] = [
  { name: V.refcountNonNegative, kind: 'step', designs: allDesigns,
    description: 'No put drops a _refcount below zero (every put matches a get on the same object).',
    kernelRule: 'include/linux/mm.h put_page/folio_put VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow)' },
  { name: 'get-from-zero', kind: 'step', designs: allDesigns,
    description: 'No step raises a _refcount from 0 except the allocation that hands the page (or zspage descriptor) out: a get on a count of 0 resurrects a page being freed, a free page or a memdesc tail page.',
    kernelRule: 'include/linux/page_ref.h get_page_unless_zero / folio_try_get (page_ref_add_unless), VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow) in folio_get; E7: tail pages have no count' },
  { name: 'refcount-exact', kind: 'state', designs: ['legacy', 'zpdesc'],
    description: 'Each chain page of a live zspage has _refcount exactly 1 (zsmalloc) + 1 per core thread holding it (isolation get to its put, or as compaction_alloc\'s dst) + 1 per lock_zspage waiter, outside zs_page_migrate\'s replace-to-get window.',
    kernelRule: 'mm/zsmalloc.c alloc_zspage/zs_page_migrate get(new)/put(old)/lock_zspage zpdesc_get+put; mm/migrate.c get_page_unless_zero ... folio_put' },
  { name: 'owner-reference', kind: 'state', designs: allDesigns,
    description: 'zsmalloc holds its reference on what it owns: each chain page (legacy/zpdesc) or each live zspage (memdesc) has _refcount >= 1.',
    kernelRule: 'mm/zsmalloc.c alloc_zspage (alloc_pages ref), zs_page_migrate get(new)/put(old); memdesc: explicit page reference' },
  { name: 'refcount-balance', kind: 'terminal', designs: allDesigns,
    description: 'At the end every page is either free in the buddy allocator or a chain page of a live zspage holding exactly zsmalloc\'s reference, and pages_allocated counts them.',
    kernelRule: 'mm/zsmalloc.c pool->pages_allocated; mm/migrate.c one put per get; memdesc: explicit page release' },
];

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  const beingFreed = beingFreedTest(m);
  const chain = new Int32Array(5);
  return [refcountExact(m), {
    name: 'owner-reference',
    description: describedBy(docs, 'owner-reference'),
    reads: fieldsOf(f.zMagic, f.tZ, f.tPc, f.zRefcount, f.zFirst, f.pNext, f.pRefcount),
    views: pcViews(m, freeingPcs(m)),
    check(s) {
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || beingFreed(s, z)) continue;
        if (m.design === 'memdesc') {
          if (s[f.zRefcount[z]] < 1) return `zspage[${z}] is live but its _refcount is ${s[f.zRefcount[z]]}`;
          continue;
        }
        const n = m.chainInto(s, z, chain);
        for (let k = 0; k < n; k++) {
          const p = chain[k];
          if (s[f.pRefcount[p]] < 1) return `page[${p}] of zspage[${z}] has _refcount ${s[f.pRefcount[p]]}`;
        }
      }
      return null;
    },
  }];
}

/** Core labels at which the thread holds its reference on page tP (after the get). */
function holdsSrcRef(l: string): boolean {
  if (l === 'isolate_movable_ops_page:get_page_unless_zero') return false;
  return l.startsWith('isolate_movable_ops_page:') || l.startsWith('zs_page_isolate:') || l.startsWith('migrate_folio_unmap:')
    || l.startsWith('zs_page_migrate:') || l.startsWith('migrate_folio_move:') || l.startsWith('migrate_folio_done:')
    || l.startsWith('migrate_folios_undo:') || l.startsWith('putback_movable_ops_page:') || l.startsWith('zs_page_putback:');
}
/** ... and its compaction_alloc reference on the destination tQ (until put_dst). */
function holdsDstRef(l: string): boolean {
  return l === 'migrate_folio_unmap:lock_src' || l === 'migrate_folio_unmap:trylock_dst' || l.startsWith('zs_page_migrate:')
    || l === 'migrate_folio_move:clear_isolated' || l === 'migrate_folio_move:unlock_dst' || l === 'migrate_folio_move:put_dst'
    || l === 'migrate_folios_undo:unlock_dst' || l === 'migrate_folios_undo:put_dst';
}

export function refcountExact(m: Machine): StateInvariant {
  /** zs_page_migrate steps after replace_sub_page and up to the get on the new page (legacy has
   *  no pool->lock nor zspage write unlock between them: unlock_class, get_new). */
  const replaceToGet = new Set(['zs_page_migrate:write_unlock_pool', 'zs_page_migrate:unlock_class', 'zs_page_migrate:zspage_write_unlock', 'zs_page_migrate:get_new']);
  const f = m.f;
  const beingFreed = beingFreedTest(m);
  const srcRef = pcTable(m, holdsSrcRef);
  const dstRef = pcTable(m, holdsDstRef);
  const replacing = pcTable(m, (l) => replaceToGet.has(l));
  const waiting = pcTable(m, (l) => l === 'lock_zspage:read_unlock_wait' || l === 'lock_zspage:wait_locked' || l === 'lock_zspage:put');
  const building = pcTable(m, (l) => l.startsWith('alloc_zspage:') || l === 'zs_malloc:enomem');
  const want = new Int32Array(m.N);
  const skip = new Uint8Array(m.N);
  const chain = new Int32Array(5);
  // Per thread, 1 at each op index of its program that is a migration (read on every state:
  // one array read instead of a property read on op objects of many shapes).
  const migrating = m.programs.map((ops) => Uint8Array.from(ops, (op) => (op.kind === 'migrate' ? 1 : 0)));
  return {
    name: 'refcount-exact',
    description: describedBy(docs, 'refcount-exact'),
    reads: fieldsOf(f.tPc, f.tOp, f.tP, f.tQ, f.tI, f.tZ, f.zFirst, f.pNext, f.zMagic, f.pRefcount),
    views: pcViews(m, srcRef, dstRef, replacing, waiting, building, freeingPcs(m)),
    check(s) {
      // Plain loops: TypedArray fill is a call into the runtime, several times the cost of these
      // few stores on every new state.
      // Stryker disable next-line EqualityOperator: `<=` also writes index N, past the end of the typed array (ignored); `>=` (no iteration) fails every test
      for (let p = 0; p < m.N; p++) { want[p] = 1; skip[p] = 0; }
      // Stryker disable next-line EqualityOperator: `<=` also visits thread T, whose label does not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
      for (let t = 0; t < m.T; t++) {
        const pc = s[f.tPc[t]];
        if (pc === m.DONE) continue;
        if (migrating[t][s[f.tOp[t]]] === 1) {
          if (srcRef[pc] === 1 && s[f.tP[t]] >= 0) want[s[f.tP[t]]]++;
          if (dstRef[pc] === 1 && s[f.tQ[t]] >= 0) want[s[f.tQ[t]]]++;
          if (replacing[pc] === 1 && s[f.tQ[t]] >= 0) skip[s[f.tQ[t]]] = 1;
        }
        if (waiting[pc] === 1 && s[f.tI[t]] >= 0) want[s[f.tI[t]]]++;
        if (building[pc] === 1) {
          const z = s[f.tZ[t]];
          if (z >= 0) {
            const n = m.chainInto(s, z, chain);
            for (let k = 0; k < n; k++) skip[chain[k]] = 1;
          }
        }
      }
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (!live(m, s, z) || beingFreed(s, z)) continue;
        const n = m.chainInto(s, z, chain);
        for (let k = 0; k < n; k++) {
          const p = chain[k];
          if (skip[p] === 1) continue;
          if (s[f.pRefcount[p]] !== want[p]) return `page[${p}] of zspage[${z}] has _refcount ${s[f.pRefcount[p]]}, expected ${want[p]} (zsmalloc + holders)`;
        }
      }
      return null;
    },
  };
}

export function actionProperties(m: Machine): ActionProperty[] {
  const f = m.f;
  return [{
    name: 'get-from-zero',
    description: describedBy(docs, 'get-from-zero'),
    reads: fieldsOf(f.pRefcount, f.pBuddy, f.zRefcount, f.zMagic),
    // Only a _refcount that moves off 0 can break it.
    changes: [...f.pRefcount, ...f.zRefcount].filter((i) => i >= 0),
    check(before, a, after) {
      // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose _refcount does not exist (undefined, not 0), and the body skips it; `>=` (no iteration) fails every test
      for (let p = 0; p < m.N; p++) {
        if (before[f.pRefcount[p]] !== 0 || after[f.pRefcount[p]] === 0) continue;
        if (before[f.pBuddy[p]] === 1 && after[f.pBuddy[p]] === 0) continue; // alloc_pages
        return `${m.threadNames[a.thread]} takes a reference on page[${p}] at ${m.labels[a.label]} while its _refcount is 0`;
      }
      // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose _refcount does not exist (undefined, not 0), and the body skips it; `>=` (no iteration) fails every test
      for (let z = 0; z < m.K; z++) {
        if (f.zRefcount[z] < 0 || before[f.zRefcount[z]] !== 0 || after[f.zRefcount[z]] === 0) continue;
        if (before[f.zMagic[z]] !== ZSPAGE_MAGIC) continue; // cache_alloc_zspage
        return `${m.threadNames[a.thread]} takes a reference on zspage[${z}] at ${m.labels[a.label]} while its _refcount is 0`;
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
