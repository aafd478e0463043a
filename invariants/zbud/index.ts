/**
 * The zbud invariants: what a user of a zbud pool (zswap) relies on, and what a pfn walker relies
 * on. The step-time ones are reported by the model's steps (model/zbud/steps.ts).
 */
import type { StateInvariant } from '../../explorer/system.js';
import { entryName, FIRST, ZV, type ZbudMachine } from '../../model/zbud/index.js';
import { zbudDesigns } from '../../model/zbud/index.js';

export interface ZbudInvariantDoc {
  readonly name: string;
  readonly description: string;
  readonly kernelRule: string;
  readonly designs: readonly string[];
  readonly kind: 'state' | 'step';
}

export const ZBUD_PAGE_NOT_FREED = 'zbud-handle-page-not-freed';

export const zbudInvariantDocs: readonly ZbudInvariantDoc[] = [
  { name: ZBUD_PAGE_NOT_FREED, kind: 'state', designs: zbudDesigns,
    description: 'No handle a user holds (a zswap tree entry) names a page that went back to the page allocator.',
    kernelRule: 'mm/zbud.c zbud_free(): a page is freed only when both buddies are free (first_chunks == last_chunks == 0), so a live handle\'s page is never freed; 2014 thread "mm/zbud: support highmem pages": an address-encoding handle pins the page' },
  { name: ZV.ownData, kind: 'state', designs: zbudDesigns,
    description: 'Every handle a user holds resolves (zbud_map) to an allocated buddy holding that user\'s own data, not to a buddy that was freed, moved away or reused for another entry.',
    kernelRule: 'mm/zbud.c zbud_map() returns (void *)handle: the handle is the data\'s address, valid from zbud_alloc() to zbud_free(); mm/zswap.c zswap_frontswap_load() decompresses what the handle maps' },
  { name: ZV.accessAfterFree, kind: 'step', designs: zbudDesigns,
    description: 'No zbud_map/copy/zbud_free touches a page that is back in the page allocator, or a handle that names nothing.',
    kernelRule: 'mm/zbud.c zbud_reclaim_page(): zhdr->under_reclaim "protects zbud page against free" while the handles it encoded are evicted; mm/page_alloc.c free pages belong to the buddy allocator' },
  { name: ZV.walker, kind: 'step', designs: zbudDesigns,
    description: 'A pfn walker reading struct page without a reference never takes a zbud page for a free (PageBuddy), LRU, compound-tail or movable page.',
    kernelRule: 'mm/compaction.c isolate_migratepages_block()/isolate_freepages_block() and fs/proc/page.c stable_page_flags() read PageBuddy, PageLRU, PageTail (compound_head bit 0), __PageMovable (mapping & PAGE_MAPPING_FLAGS) of pages they do not own' },
];

function describe(name: string): string {
  const d = zbudInvariantDocs.find((x) => x.name === name);
  // Stryker disable next-line StringLiteral: the message of an unreachable throw: each invariant below is named from the catalogue (the catalogue test checks each has its entry's description)
  if (!d) throw new Error(`invariant ${name} has no catalogue entry`);
  return d.description;
}

/** The state invariants of a zbud machine. */
export function zbudStateInvariants(m: ZbudMachine): StateInvariant[] {
  /** The address each tree entry's handle resolves to, for entries in the tree. */
  const held = function* (s: Int32Array): Generator<[number, number]> {
    // Stryker disable next-line EqualityOperator: `<=` also visits entry E, whose rbnode does not exist (undefined, not 1); `>=` (no iteration) fails every test
    for (let e = 0; e < m.E; e++) {
      if (s[m.eRb[e]] === 1) yield [e, m.resolve(s, s[m.eHandle[e]])];
    }
  };
  return [
    {
      name: ZBUD_PAGE_NOT_FREED,
      description: describe(ZBUD_PAGE_NOT_FREED),
      check(s) {
        for (const [e, a] of held(s)) {
          if (a !== 0 && s[m.pBuddy[m.addrPage(a)]] === 1) {
            return `entry ${entryName(e)} holds ${m.handleName(s[m.eHandle[e]])}, which names page[${m.addrPage(a)}]: free in the page allocator`;
          }
        }
        return null;
      },
    },
    {
      name: ZV.ownData,
      description: describe(ZV.ownData),
      check(s) {
        for (const [e, a] of held(s)) {
          if (a === 0) return `entry ${entryName(e)} holds ${m.handleName(s[m.eHandle[e]])}, which names nothing`;
          const p = m.addrPage(a);
          const b = m.addrBud(a);
          if (s[m.pBuddy[p]] === 1) continue; // the other invariant's case
          if (s[m.pChunks[p][b]] === 0) return `entry ${entryName(e)}'s handle resolves to ${m.addrName(a)}, a free buddy (${b === FIRST ? 'first' : 'last'}_chunks is 0)`;
          const v = s[m.pData[p][b]];
          if (v !== e + 1) return `entry ${entryName(e)}'s handle resolves to ${m.addrName(a)}, which holds ${v === 0 ? 'nothing yet' : `entry ${entryName(v - 1)}'s data`}`;
        }
        return null;
      },
    },
  ];
}
