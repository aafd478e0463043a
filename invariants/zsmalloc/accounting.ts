import type { StateInvariant } from '../../explorer/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { hdrIsAllocated, hdrNext } from '../../model/zsmalloc/machine.js';
import { LIST_SPLICED } from '../../model/zsmalloc/fields.js';
import { V } from '../../model/zsmalloc/violations.js';
import { fullnessGroups, pageZone as zoneOf } from '../../model/zsmalloc/shape.js';
import { allDesigns, type InvariantDoc } from './types.js';
import { beingFreedTest, freeingPcs, live, describedBy, pcTable, pcViews } from './helpers.js';
import { fieldsOf } from './reads.js';

/** Allocator accounting (§5 inv. 14, 15, 17). Checked while the class lock is free, since the
 *  kernel only promises them outside class->lock. */
export const docs: InvariantDoc[] = [
  { name: 'fullness-list-consistent', kind: 'state', designs: allDesigns,
    description: 'A listed zspage sits on the list of its fullness field, which matches its inuse.',
    kernelRule: 'mm/zsmalloc.c fix_fullness_group/insert_zspage; bitfield word shared with isolated: 4b5d1e47b694 (mutation A6)' },
  { name: 'class-stats', kind: 'state', designs: allDesigns,
    description: 'class stats: per-group counts equal list lengths, OBJS_INUSE equals the objects in use, OBJS_ALLOCATED covers the live zspages.',
    kernelRule: 'mm/zsmalloc.c class_stat_add/sub, insert_zspage/remove_zspage, async_free_zspage (A8 fix)' },
  { name: 'zspage-objects', kind: 'state', designs: allDesigns,
    description: 'inuse equals the allocated object headers; the freelist from freeobj is acyclic, covers exactly the free slots, all untagged.',
    kernelRule: 'mm/zsmalloc.c obj_malloc/obj_free/init_zspage, OBJ_ALLOCATED_TAG' },
  { name: V.shrinkerCountBounded, kind: 'step', designs: allDesigns,
    description: 'zs_shrinker_count\'s unlocked per-class estimate (two racy loads of the class stats) never exceeds the pages the class\'s zspages can hold: the subtraction does not wrap.',
    kernelRule: 'mm/zsmalloc.c zs_shrinker_count/zs_can_compact: "if (obj_allocated <= obj_used) return 0", from "zsmalloc: fix zs_can_compact() integer overflow" (2016)' },
  { name: 'nr-zspages-per-zone', kind: 'state', designs: allDesigns,
    description: 'Each zone\'s NR_ZSPAGES equals the zsmalloc chain pages whose frames lie in that zone (a migration between its chain update and its zone update counts the old frame).',
    kernelRule: 'mm/zsmalloc.c alloc_zspage inc_zone_page_state, __free_zspage dec_zone_page_state, zs_page_migrate "if (zpdesc_zone(newzpdesc) != zpdesc_zone(zpdesc))" dec/inc' },
];

/** zs_page_migrate steps after replace_sub_page put the new frame in the chain and before the
 *  zone counts move (they move right before reset_zpdesc). */
function zoneWindow(m: Machine): ReadonlySet<string> {
  return new Set(m.design === 'legacy'
    ? ['zs_page_migrate:get_new', 'zs_page_migrate:dec_isolated', 'zs_page_migrate:reset_old']
    : ['zs_page_migrate:write_unlock_pool', 'zs_page_migrate:unlock_class', 'zs_page_migrate:zspage_write_unlock', 'zs_page_migrate:get_new', 'zs_page_migrate:reset_old']);
}

export function stateInvariants(m: Machine): StateInvariant[] {
  const f = m.f;
  const groups = fullnessGroups(m.design);
  const window = zoneWindow(m);
  const windowPc = pcTable(m, (l) => window.has(l));
  const beingFreed = beingFreedTest(m);
  const pageZone = Int32Array.from({ length: m.N }, (_, p) => zoneOf(m.pool, p));
  const want = new Int32Array(f.zoneNrZspages.length);
  // The chain of each live zspage, 5 pages' room each, and its length (0: not live).
  const chains = new Int32Array(5 * m.K);
  const chainLength = new Int32Array(m.K);
  const chain = new Int32Array(5);
  const count = new Int32Array(groups.length);
  const inChain = (z: number, q: number): boolean => {
    for (let k = 0; k < chainLength[z]; k++) if (chains[5 * z + k] === q) return true;
    return false;
  };
  return [
    {
      name: 'nr-zspages-per-zone',
      description: describedBy(docs, 'nr-zspages-per-zone'),
      reads: fieldsOf(f.zoneNrZspages, f.zMagic, f.zFirst, f.pNext, f.pZspage, f.pBuddy, f.tPc, f.tZ, f.tQ, f.tP),
      views: pcViews(m, windowPc),
      check(s) {
        // A loop, not fill (a runtime call on every new state).
        // Stryker disable next-line EqualityOperator: `<=` also writes index zone want.length, past the end of the typed array (ignored); `>=` (no iteration) fails every test
        for (let zn = 0; zn < want.length; zn++) want[zn] = 0;
        // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose magic does not exist (undefined, not live): an empty chain; `>=` (no iteration) fails every test
        for (let z = 0; z < m.K; z++) {
          const n = live(m, s, z) ? m.chainInto(s, z, chains, 5 * z) : 0;
          chainLength[z] = n;
          for (let k = 0; k < n; k++) want[pageZone[chains[5 * z + k]]]++;
        }
        // A page still linked to a freed descriptor has not been through reset/dec yet
        // (no-dangling-descriptor reports the link itself).
        // Stryker disable next-line EqualityOperator: `<=` also visits index N, whose PageBuddy does not exist (undefined, not 0), and the body skips it; `>=` (no iteration) fails every test
        for (let p = 0; p < m.N; p++) {
          const z = s[f.pZspage[p]];
          if (s[f.pBuddy[p]] === 0 && z >= 0 && !live(m, s, z)) want[pageZone[p]]++;
        }
        // Stryker disable next-line EqualityOperator: `<=` also visits thread T, whose label does not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let t = 0; t < m.T; t++) {
          const z = s[f.tZ[t]];
          const q = s[f.tQ[t]];
          if (windowPc[s[f.tPc[t]]] !== 1 || z < 0 || q < 0 || !inChain(z, q)) continue;
          want[zoneOf(m.pool, s[f.tP[t]])]++;
          want[pageZone[q]]--;
        }
        // Stryker disable next-line EqualityOperator: `<=` also compares zone want.length, undefined on both sides (equal); `>=` (no iteration) fails every test
        for (let zn = 0; zn < want.length; zn++) {
          if (s[f.zoneNrZspages[zn]] !== want[zn]) return `zone[${zn}].NR_ZSPAGES is ${s[f.zoneNrZspages[zn]]} but ${want[zn]} zsmalloc pages are in that zone`;
        }
        return null;
      },
    },
    {
      name: 'fullness-list-consistent',
      description: describedBy(docs, 'fullness-list-consistent'),
      reads: fieldsOf(f.zMagic, f.zList, f.zClass, f.classLock, f.zFullness, f.zInuse),
      check(s) {
        // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let z = 0; z < m.K; z++) {
          if (!live(m, s, z)) continue;
          const list = s[f.zList[z]];
          if (list < 0) continue;
          const c = m.classOf(s, z);
          if (s[f.classLock[c]] !== 0) continue;
          const field = s[f.zFullness[z]];
          const want = m.fg(s, z);
          if (field !== list) return `zspage[${z}] is on the ${groups[list]} list but its fullness field says ${groups[field]}`;
          if (list !== want) return `zspage[${z}] has inuse ${s[f.zInuse[z]]} (${groups[want]}) but sits on the ${groups[list]} list`;
        }
        return null;
      },
    },
    {
      name: 'class-stats',
      description: describedBy(docs, 'class-stats'),
      reads: fieldsOf(f.classLock, f.zMagic, f.zClass, f.zInuse, f.zList, f.classStat.flat(), f.classInuse, f.classAllocated),
      check(s) {
        // Stryker disable next-line EqualityOperator: `<=` also visits index classes.length, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let c = 0; c < m.pool.classes.length; c++) {
          if (s[f.classLock[c]] !== 0) continue;
          // Stryker disable next-line EqualityOperator: `<=` also writes index groups.length, past the end of the typed array (ignored); `>=` (no iteration) fails every test
          for (let g = 0; g < count.length; g++) count[g] = 0;
          let inuse = 0;
          let liveCount = 0;
          let listed = 0;
          // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
          for (let z = 0; z < m.K; z++) {
            if (!live(m, s, z) || m.classOf(s, z) !== c) continue;
            liveCount++;
            inuse += s[f.zInuse[z]];
            const l = s[f.zList[z]];
            if (l >= 0) { count[l]++; listed++; }
            if (l === LIST_SPLICED) { count[0]++; listed++; }
          }
          // Stryker disable next-line EqualityOperator: `<=` also visits index groups.length, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
          for (let g = 0; g < groups.length; g++) {
            if (s[f.classStat[c][g]] !== count[g]) return `class[${c}].stats[${groups[g]}] is ${s[f.classStat[c][g]]} but ${count[g]} zspages are on that list`;
          }
          if (s[f.classInuse[c]] !== inuse) return `class[${c}].stats[ZS_OBJS_INUSE] is ${s[f.classInuse[c]]} but the zspages hold ${inuse} objects`;
          const alloc = s[f.classAllocated[c]];
          const objs = m.objs(c);
          if (alloc < objs * listed || alloc > objs * liveCount) {
            return `class[${c}].stats[ZS_OBJS_ALLOCATED] is ${alloc}, outside ${objs} x [${listed} listed, ${liveCount} live] zspages`;
          }
        }
        return null;
      },
    },
    {
      name: 'zspage-objects',
      description: describedBy(docs, 'zspage-objects'),
      reads: fieldsOf(f.zMagic, f.zFirst, f.tZ, f.tPc, f.zClass, f.zInuse, f.pHandle, f.pNext, f.pHdr.flat(), f.zFreeobj),
      views: pcViews(m, freeingPcs(m)),
      check(s) {
        // Stryker disable next-line EqualityOperator: `<=` also visits index K, whose fields do not exist (undefined), and the body skips it; `>=` (no iteration) fails every test
        for (let z = 0; z < m.K; z++) {
          if (!live(m, s, z) || s[f.zFirst[z]] < 0 || beingFreed(s, z)) continue;
          const c = m.classOf(s, z);
          const objs = m.objs(c);
          const inuse = s[f.zInuse[z]];
          if (m.huge(c)) {
            const held = s[f.pHandle[s[f.zFirst[z]]]] !== 0 ? 1 : 0;
            if (held !== inuse) return `huge zspage[${z}] has inuse ${inuse} but ${held} handle in its page`;
            continue;
          }
          if (m.chainInto(s, z, chain) !== m.pool.classes[c].pagesPerZspage) continue; // chain-integrity reports it
          let allocated = 0;
          for (let i = 0; i < objs; i++) {
            if (hdrIsAllocated(s[f.pHdr[chain[m.objPage(c, i)]][m.objUnit(c, i)]])) allocated++;
          }
          if (allocated !== inuse) return `zspage[${z}] has inuse ${inuse} but ${allocated} allocated object headers`;
          let idx = s[f.zFreeobj[z]];
          let n = 0;
          while (idx >= 0) {
            if (idx >= objs) return `zspage[${z}] freelist names object ${idx} of ${objs}`;
            const v = s[f.pHdr[chain[m.objPage(c, idx)]][m.objUnit(c, idx)]];
            if (hdrIsAllocated(v) || v === 0) return `zspage[${z}] freelist reaches object ${idx}, whose header is not a free link`;
            if (++n > objs) return `zspage[${z}] freelist has a cycle`;
            idx = hdrNext(v);
          }
          if (n !== objs - inuse) return `zspage[${z}] freelist has ${n} entries but ${objs - inuse} slots are free`;
        }
        return null;
      },
    },
  ];
}
