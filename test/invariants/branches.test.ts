import { describe, expect, it } from 'vitest';
import type { Design } from '../../model/designs.js';
import { hdrAllocated, hdrFree } from '../../model/zsmalloc/machine.js';
import { poolState, idleThread, type PoolState } from './pool.js';

/**
 * Every violation branch of every state invariant and terminal property, on one hand-built
 * state each (no exploration), with the sentence a user would read; and, next to each, the
 * nearby states the kernel allows, which must hold. The pool (test/invariants/pool.ts):
 * zspage[0] = page[0] -> page[1], class 0, objects 0 (A) and 1 (B, spanning) allocated,
 * object 2 free; zspage[1] = page[2], huge class 1, holding C; page[3], page[4] free;
 * zspage[2] a free slot. Thread t1 is idle.
 */

const all: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];
const first = (d: Design, z: number) => `zspage[${z}].${d === 'legacy' ? 'first_page' : 'first_zpdesc'}`;
const owner = (d: Design, p: number) => `page[${p}].${d === 'legacy' ? 'private' : d === 'memdesc' ? 'memdesc' : 'zspage'}`;
const next = (d: Design, p: number) => `page[${p}].${d === 'legacy' ? 'index' : 'next'}`;
const isolated = (d: Design, p: number) => `page[${p}].flags.${d === 'legacy' ? 'PG_isolated' : 'PG_movable_ops_isolated'}`;
const zsl = (d: Design, z: number) => `zspage[${z}].${d === 'legacy' ? 'lock' : 'zsl'}`;
/** Fullness group names: legacy's four, the ratio groups of 6.3+. */
const g70 = (d: Design) => (d === 'legacy' ? 'ZS_ALMOST_EMPTY' : 'ZS_INUSE_RATIO_70');
const g30 = (d: Design) => (d === 'legacy' ? 'ZS_ALMOST_FULL' : 'ZS_INUSE_RATIO_30');
const idx = (d: Design, g: 'inuse' | 'other' | 'empty') =>
  d === 'legacy' ? { inuse: 1, other: 2, empty: 0 }[g] : { inuse: 7, other: 3, empty: 0 }[g];
const stat = (d: Design, c: number, g: 'inuse' | 'other' | 'empty') =>
  `class[${c}].stats[${{ inuse: g70(d), other: g30(d), empty: d === 'legacy' ? 'ZS_EMPTY' : 'ZS_INUSE_RATIO_0' }[g]}]`;

interface Case {
  readonly what: string;
  readonly designs?: readonly Design[];
  readonly edit: (p: PoolState, d: Design) => void;
  /** The message, or null: the state is allowed. */
  readonly want: (d: Design) => string | null;
}

const cases: Record<string, Case[]> = {
  'fullness-list-consistent': [
    { what: 'fullness field differs from the list', designs: all, edit: (p, d) => p.set('zspage[0].fullness', idx(d, 'other')),
      want: (d) => `zspage[0] is on the ${g70(d)} list but its fullness field says ${g30(d)}` },
    { what: 'list and field agree but not with inuse', designs: all, edit: (p, d) => { p.set('zspage[0].fullness', idx(d, 'other')); p.set('zspage[0].list', idx(d, 'other')); },
      want: (d) => `zspage[0] has inuse 2 (${g70(d)}) but sits on the ${g30(d)} list` },
    { what: 'inuse changed under an unchanged list', edit: (p) => p.set('zspage[0].inuse', 3),
      want: () => 'zspage[0] has inuse 3 (ZS_INUSE_RATIO_100) but sits on the ZS_INUSE_RATIO_70 list' },
    { what: 'a huge zspage on the wrong list', edit: (p) => { p.set('zspage[1].list', 0); p.set('zspage[1].fullness', 0); },
      want: () => 'zspage[1] has inuse 1 (ZS_INUSE_RATIO_100) but sits on the ZS_INUSE_RATIO_0 list' },
    { what: 'an empty zspage on the empty list with a stale fullness field', designs: all,
      edit: (p, d) => { p.set('zspage[0].inuse', 0); p.set('zspage[0].list', 0); },
      want: (d) => `zspage[0] is on the ${d === 'legacy' ? 'ZS_EMPTY' : 'ZS_INUSE_RATIO_0'} list but its fullness field says ${g70(d)}` },
    { what: 'a zspage with objects on the empty list', edit: (p) => { p.set('zspage[0].list', 0); p.set('zspage[0].fullness', 0); },
      want: () => 'zspage[0] has inuse 2 (ZS_INUSE_RATIO_70) but sits on the ZS_INUSE_RATIO_0 list' },
    { what: 'allowed: its class lock is held (fix_fullness_group runs under it)', designs: all,
      edit: (p, d) => { p.set('zspage[0].fullness', idx(d, 'other')); p.set('class[0].lock', 2); }, want: () => null },
    { what: 'the lock of another class does not excuse it', edit: (p, d) => { p.set('zspage[0].fullness', idx(d, 'other')); p.set('class[1].lock', 2); },
      want: (d) => `zspage[0] is on the ${g70(d)} list but its fullness field says ${g30(d)}` },
    { what: 'allowed: off every list (isolated, or being built)', designs: all, edit: (p, d) => { p.set('zspage[0].list', -1); p.set('zspage[0].fullness', idx(d, 'other')); }, want: () => null },
    { what: 'allowed: spliced off by compaction', edit: (p, d) => { p.set('zspage[0].list', -2); p.set('zspage[0].fullness', idx(d, 'other')); }, want: () => null },
    { what: 'allowed: a freed zspage slot with stale fields', edit: (p) => { p.set('zspage[2].list', 3); p.set('zspage[2].fullness', 5); p.set('zspage[2].inuse', 1); }, want: () => null },
  ],

  'class-stats': [
    { what: 'a group count lower than its list', designs: all, edit: (p, d) => p.set(stat(d, 0, 'inuse'), 0),
      want: (d) => `class[0].stats[${g70(d)}] is 0 but 1 zspages are on that list` },
    { what: 'a group count for an empty list', designs: all, edit: (p, d) => p.set(stat(d, 0, 'empty'), 1),
      want: (d) => `class[0].stats[${d === 'legacy' ? 'ZS_EMPTY' : 'ZS_INUSE_RATIO_0'}] is 1 but 0 zspages are on that list` },
    { what: 'the last group miscounted (the huge class)', edit: (p) => p.set('class[1].stats[ZS_INUSE_RATIO_100]', 0),
      want: () => 'class[1].stats[ZS_INUSE_RATIO_100] is 0 but 1 zspages are on that list' },
    { what: 'ZS_OBJS_INUSE differs from the objects held', designs: all, edit: (p) => p.set('class[0].stats[ZS_OBJS_INUSE]', 1),
      want: () => 'class[0].stats[ZS_OBJS_INUSE] is 1 but the zspages hold 2 objects' },
    { what: 'ZS_OBJS_INUSE of the second class', edit: (p) => p.set('class[1].stats[ZS_OBJS_INUSE]', 0),
      want: () => 'class[1].stats[ZS_OBJS_INUSE] is 0 but the zspages hold 1 objects' },
    { what: 'ZS_OBJS_ALLOCATED below the listed zspages', designs: all, edit: (p) => p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 2),
      want: () => 'class[0].stats[ZS_OBJS_ALLOCATED] is 2, outside 3 x [1 listed, 1 live] zspages' },
    { what: 'ZS_OBJS_ALLOCATED above the live zspages', designs: all, edit: (p) => p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 4),
      want: () => 'class[0].stats[ZS_OBJS_ALLOCATED] is 4, outside 3 x [1 listed, 1 live] zspages' },
    { what: 'ZS_OBJS_ALLOCATED of the huge class', edit: (p) => p.set('class[1].stats[ZS_OBJS_ALLOCATED]', 0),
      want: () => 'class[1].stats[ZS_OBJS_ALLOCATED] is 0, outside 1 x [1 listed, 1 live] zspages' },
    { what: 'allowed: an unlisted live zspage may or may not be counted in ZS_OBJS_ALLOCATED (0)', designs: all,
      edit: (p, d) => { p.set('zspage[0].list', -1); p.set(stat(d, 0, 'inuse'), 0); p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 0); }, want: () => null },
    { what: 'allowed: an unlisted live zspage counted in ZS_OBJS_ALLOCATED (3)',
      edit: (p, d) => { p.set('zspage[0].list', -1); p.set(stat(d, 0, 'inuse'), 0); }, want: () => null },
    { what: 'allowed: a second live zspage alloc_zspage is building, not yet listed nor counted (3 of 3 x [1 listed, 2 live])',
      edit: (p) => { p.set('zspage[2].magic', 0x58); p.set('zspage[2].list', -1); }, want: () => null },
    { what: 'allowed: ... or already counted by class_stat_add (6 of 3 x [1 listed, 2 live])',
      edit: (p) => { p.set('zspage[2].magic', 0x58); p.set('zspage[2].list', -1); p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 6); }, want: () => null },
    { what: 'two live zspages bound ZS_OBJS_ALLOCATED at twice the objects',
      edit: (p) => { p.set('zspage[2].magic', 0x58); p.set('zspage[2].list', -1); p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 7); },
      want: () => 'class[0].stats[ZS_OBJS_ALLOCATED] is 7, outside 3 x [1 listed, 2 live] zspages' },
    { what: 'an unlisted live zspage bounds ZS_OBJS_ALLOCATED above',
      edit: (p, d) => { p.set('zspage[0].list', -1); p.set(stat(d, 0, 'inuse'), 0); p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 4); },
      want: () => 'class[0].stats[ZS_OBJS_ALLOCATED] is 4, outside 3 x [0 listed, 1 live] zspages' },
    { what: 'allowed: a zspage spliced off by compaction counts in group 0',
      edit: (p, d) => { p.set('zspage[0].list', -2); p.set(stat(d, 0, 'inuse'), 0); p.set(stat(d, 0, 'empty'), 1); }, want: () => null },
    { what: 'a spliced zspage missing from group 0', designs: all,
      edit: (p, d) => { p.set('zspage[0].list', -2); p.set(stat(d, 0, 'inuse'), 0); },
      want: (d) => `class[0].stats[${d === 'legacy' ? 'ZS_EMPTY' : 'ZS_INUSE_RATIO_0'}] is 0 but 1 zspages are on that list` },
    { what: 'a spliced zspage counts as listed for ZS_OBJS_ALLOCATED',
      edit: (p, d) => { p.set('zspage[0].list', -2); p.set(stat(d, 0, 'inuse'), 0); p.set(stat(d, 0, 'empty'), 1); p.set('class[0].stats[ZS_OBJS_ALLOCATED]', 2); },
      want: () => 'class[0].stats[ZS_OBJS_ALLOCATED] is 2, outside 3 x [1 listed, 1 live] zspages' },
    { what: 'allowed: an empty zspage on the empty list, counted there', designs: all,
      edit: (p, d) => { p.set('zspage[0].inuse', 0); p.set('zspage[0].list', 0); p.set(stat(d, 0, 'inuse'), 0); p.set(stat(d, 0, 'empty'), 1); p.set('class[0].stats[ZS_OBJS_INUSE]', 0); }, want: () => null },
    { what: 'allowed: its class lock is held', designs: all, edit: (p) => { p.set('class[0].stats[ZS_OBJS_INUSE]', 1); p.set('class[0].lock', 2); }, want: () => null },
    { what: 'a held lock of class 0 does not excuse class 1', edit: (p) => { p.set('class[1].stats[ZS_OBJS_INUSE]', 0); p.set('class[0].lock', 2); },
      want: () => 'class[1].stats[ZS_OBJS_INUSE] is 0 but the zspages hold 1 objects' },
    { what: 'allowed: a freed zspage slot is not counted', edit: (p) => { p.set('zspage[2].list', 7); p.set('zspage[2].inuse', 2); }, want: () => null },
  ],

  'zspage-objects': [
    { what: 'inuse differs from the allocated headers', designs: all, edit: (p) => p.set('zspage[0].inuse', 1),
      want: () => 'zspage[0] has inuse 1 but 2 allocated object headers' },
    { what: 'freeobj beyond the objects', designs: all, edit: (p) => p.set('zspage[0].freeobj', 3),
      want: () => 'zspage[0] freelist names object 3 of 3' },
    { what: 'the freelist reaches an allocated object', designs: all, edit: (p) => p.set('zspage[0].freeobj', 0),
      want: () => 'zspage[0] freelist reaches object 0, whose header is not a free link' },
    { what: 'the freelist reaches a never-written header', edit: (p) => p.set('page[1].obj_header[1]', 0),
      want: () => 'zspage[0] freelist reaches object 2, whose header is not a free link' },
    { what: 'the freelist is a cycle', designs: all, edit: (p) => p.set('page[1].obj_header[1]', hdrFree(2)),
      want: () => 'zspage[0] freelist has a cycle' },
    { what: 'the freelist is too short', designs: all, edit: (p) => p.set('zspage[0].freeobj', -1),
      want: () => 'zspage[0] freelist has 0 entries but 1 slots are free' },
    { what: 'the freelist is too long', edit: (p) => { p.set('page[0].obj_header[2]', hdrFree(-1)); p.set('page[1].obj_header[1]', hdrFree(1)); },
      want: () => 'zspage[0] has inuse 2 but 1 allocated object headers' },
    { what: 'the freelist has a free slot too many', edit: (p) => { p.set('page[0].obj_header[2]', hdrFree(-1)); p.set('page[1].obj_header[1]', hdrFree(1)); p.set('zspage[0].inuse', 1); p.set('zspage[0].freeobj', -1); },
      want: () => 'zspage[0] freelist has 0 entries but 2 slots are free' },
    { what: 'allowed: an empty zspage whose freelist covers all 3 objects', designs: all,
      edit: (p) => { p.set('page[0].obj_header[0]', hdrFree(1)); p.set('page[0].obj_header[2]', hdrFree(2)); p.set('zspage[0].freeobj', 0); p.set('zspage[0].inuse', 0); }, want: () => null },
    { what: 'allowed: a full zspage with an empty freelist',
      edit: (p) => { p.set('page[1].obj_header[1]', hdrAllocated(3)); p.set('zspage[0].freeobj', -1); p.set('zspage[0].inuse', 3); }, want: () => null },
    { what: 'a huge zspage with inuse but no handle in its page', designs: all, edit: (p) => p.set('page[2].handle', 0),
      want: () => 'huge zspage[1] has inuse 1 but 0 handle in its page' },
    { what: 'a huge zspage holding a handle with inuse 0', designs: all, edit: (p) => p.set('zspage[1].inuse', 0),
      want: () => 'huge zspage[1] has inuse 0 but 1 handle in its page' },
    { what: 'allowed: an empty huge zspage', edit: (p) => { p.set('zspage[1].inuse', 0); p.set('page[2].handle', 0); }, want: () => null },
    { what: 'allowed (chain-integrity reports it): a chain too short to read the objects from', designs: all,
      edit: (p, d) => { p.set(next(d, 0), -1); p.set('zspage[0].inuse', 1); }, want: () => null },
    { what: 'allowed: a live zspage with no pages yet (alloc_zspage before its first page)',
      edit: (p) => { p.set('zspage[2].magic', 0x58); p.set('zspage[2].inuse', 1); }, want: () => null },
    { what: 'allowed: a live huge zspage with no page yet', edit: (p) => { p.set('zspage[2].magic', 0x58); p.set('zspage[2].class', 1); }, want: () => null },
    { what: 'allowed: a freed zspage slot with a stale two-page chain', designs: all,
      edit: (p, d) => { p.set(first(d, 2), 3); p.set(next(d, 3), 4); p.set('zspage[2].inuse', 2); }, want: () => null },
  ],

  'handle-consistency': [
    { what: 'a handle naming a page free in the buddy', designs: all, edit: (p) => p.set('handle[A].obj', 12),
      want: () => 'handle[A].obj names page[3], which is free in the buddy allocator' },
    { what: 'a handle naming a page of no zspage', designs: all, edit: (p) => { p.set('handle[A].obj', 12); p.set('page[3].PageBuddy', 0); },
      want: () => 'handle[A].obj names page[3], which belongs to no live zspage' },
    { what: 'a handle naming a page of a freed zspage', designs: all, edit: (p, d) => { p.set('handle[A].obj', 12); p.set('page[3].PageBuddy', 0); p.set(owner(d, 3), 2); },
      want: () => 'handle[A].obj names page[3], which belongs to no live zspage' },
    { what: 'a handle naming an object index beyond the zspage', designs: all, edit: (p) => p.set('handle[C].obj', 9),
      want: () => 'handle[C].obj names object 1 of a 1-object zspage' },
    { what: 'a handle naming the wrong page of the chain', designs: all, edit: (p) => p.set('handle[A].obj', 4),
      want: () => 'handle[A].obj names page[1] (chain page 1) but object 0 of zspage[0] starts in chain page 0' },
    { what: 'a handle naming a page that names a live zspage but is not in its chain', designs: all, edit: (p, d) => p.set(owner(d, 0), 1),
      want: () => 'handle[A].obj names page[0] (chain page -1) but object 0 of zspage[1] starts in chain page 0' },
    { what: 'a handle naming the second page of zspage[0], which names the one-page zspage[1] (checked after the whole pool)', designs: all,
      edit: (p, d) => { p.set('handle[A].obj', 4); p.set(owner(d, 1), 1); },
      want: () => 'handle[A].obj names page[1] (chain page -1) but object 0 of zspage[1] starts in chain page 0' },
    { what: 'a handle naming an allocated page outside every chain that names zspage[0]', designs: all,
      edit: (p, d) => { p.set('handle[A].obj', 12); p.set('page[3].PageBuddy', 0); p.set(owner(d, 3), 0); },
      want: () => 'handle[A].obj names page[3] (chain page -1) but object 0 of zspage[0] starts in chain page 0' },
    { what: 'allowed (chain-integrity reports it): a chain that loops back to its first page finds each page at its first position', designs: all,
      edit: (p, d) => p.set(next(d, 1), 0), want: () => null },
    { what: 'a handle naming another handle\'s object', designs: all, edit: (p) => p.set('handle[B].obj', 0),
      want: () => 'handle[B].obj names object 0 of zspage[0], whose header holds handle[A]' },
    { what: 'a handle naming a free object', edit: (p) => p.set('page[0].obj_header[2]', hdrFree(-1)),
      want: () => 'handle[B].obj names object 1 of zspage[0], whose header holds no handle' },
    { what: 'a huge page holding another handle', designs: all, edit: (p) => p.set('page[2].handle', 2),
      want: () => 'handle[C].obj names object 0 of zspage[1], whose header holds handle[B]' },
    { what: 'an object tagged for a handle that is not live', designs: all, edit: (p) => p.set('page[1].obj_header[1]', hdrAllocated(3)),
      want: () => 'object 2 of zspage[0] is tagged allocated for handle[D], which is not live' },
    { what: 'an object tagged for a handle being freed', edit: (p) => { p.set('handle[B].state', 2); },
      want: () => 'object 1 of zspage[0] is tagged allocated for handle[B], which is not live' },
    { what: 'an object tagged for a live handle that names another object', designs: all, edit: (p) => p.set('page[1].obj_header[1]', hdrAllocated(0)),
      want: () => 'object 2 of zspage[0] belongs to handle[A], but that handle names page[0] object 0' },
    { what: 'an object tagged for a handle that names another object of the same page', edit: (p) => { p.set('page[0].obj_header[2]', hdrAllocated(0)); p.set('handle[B].state', 0); p.set('handle[B].obj', -1); },
      want: () => 'object 1 of zspage[0] belongs to handle[A], but that handle names page[0] object 0' },
    { what: 'an object of another zspage at the same index claims a live handle', edit: (p) => { p.set('page[2].handle', 1); p.set('handle[C].state', 0); },
      want: () => 'object 0 of zspage[1] belongs to handle[A], but that handle names page[0] object 0' },
    { what: 'allowed: zs_malloc between obj_malloc and record_obj (live handle, obj not yet recorded)', designs: all,
      edit: (p) => { p.set('page[1].obj_header[1]', hdrAllocated(3)); p.set('handle[D].state', 1); }, want: () => null },
    { what: 'allowed: a handle that is not live may name anything', designs: all, edit: (p) => { p.set('handle[D].obj', 12); p.set('handle[D].state', 2); }, want: () => null },
    { what: 'allowed: a header naming no handle slot of the pool (handle 4 of 4) is left to zspage-objects', edit: (p) => p.set('page[1].obj_header[1]', hdrAllocated(4)), want: () => null },
    { what: 'allowed (zpdesc, memdesc): while pool->lock is write-held (migration moves objects under it)', designs: ['zpdesc', 'memdesc'],
      edit: (p) => { p.set('handle[A].obj', 4); p.set('pool.lock.writer', 2); }, want: () => null },
    { what: 'read-held pool->lock does not excuse it', designs: ['zpdesc', 'memdesc'],
      edit: (p) => { p.set('handle[A].obj', 4); p.set('pool.lock.readers', 2); },
      want: () => 'handle[A].obj names page[1] (chain page 1) but object 0 of zspage[0] starts in chain page 0' },
    { what: 'a held class lock does not excuse it outside legacy', designs: ['zpdesc', 'memdesc'],
      edit: (p) => { p.set('handle[A].obj', 4); p.set('class[0].lock', 2); },
      want: () => 'handle[A].obj names page[1] (chain page 1) but object 0 of zspage[0] starts in chain page 0' },
    { what: 'allowed (legacy): while any class lock is held (E2 moves objects under class->lock)', designs: ['legacy'],
      edit: (p) => { p.set('handle[A].obj', 4); p.set('class[1].lock', 2); }, want: () => null },
    { what: 'allowed (legacy): a pinned handle may be mid-move', designs: ['legacy'],
      edit: (p) => { p.set('handle[A].obj', 4); p.set('handle[A].HANDLE_PIN_BIT', 2); }, want: () => null },
    { what: 'allowed (legacy): the header of an object whose handle is pinned', designs: ['legacy'],
      edit: (p) => { p.set('page[1].obj_header[1]', hdrAllocated(0)); p.set('handle[A].HANDLE_PIN_BIT', 2); }, want: () => null },
    { what: 'a pinned handle does not excuse another one (legacy)', designs: ['legacy'],
      edit: (p) => { p.set('handle[A].obj', 4); p.set('handle[B].HANDLE_PIN_BIT', 2); },
      want: () => 'handle[A].obj names page[1] (chain page 1) but object 0 of zspage[0] starts in chain page 0' },
    { what: 'allowed: headers in a freed zspage slot are not read', edit: (p) => { p.set(first('zpdesc', 2), 3); p.set('page[3].obj_header[0]', hdrAllocated(3)); }, want: () => null },
  ],

  'owner-reference': [
    { what: 'a chain page without zsmalloc\'s reference', designs: ['legacy', 'zpdesc'], edit: (p) => p.set('page[1]._refcount', 0),
      want: () => 'page[1] of zspage[0] has _refcount 0' },
    { what: 'the huge zspage\'s page without its reference', designs: ['legacy', 'zpdesc'], edit: (p) => p.set('page[2]._refcount', 0),
      want: () => 'page[2] of zspage[1] has _refcount 0' },
    { what: 'a live memdesc zspage without its reference', designs: ['memdesc'], edit: (p) => p.set('zspage[1]._refcount', 0),
      want: () => 'zspage[1] is live but its _refcount is 0' },
    { what: 'allowed: extra references (a migration holds one)', designs: all, edit: (p, d) => p.set(d === 'memdesc' ? 'zspage[0]._refcount' : 'page[0]._refcount', 3), want: () => null },
    { what: 'allowed: a freed zspage slot has no reference', designs: ['zpdesc'], edit: (p) => p.set(first('zpdesc', 2), 3), want: () => null },
  ],

  'chain-integrity': [
    { what: 'a chain shorter than pages_per_zspage', designs: all, edit: (p, d) => p.set(next(d, 0), -1),
      want: () => 'zspage[0] chain has 1 pages, expected 2' },
    { what: 'a chain longer than pages_per_zspage', designs: all, edit: (p, d) => p.set(next(d, 2), 3),
      want: () => 'zspage[1] chain has 2 pages, expected 1' },
    { what: 'a page in two chains', designs: all, edit: (p, d) => p.set(first(d, 1), 1),
      want: () => 'page[1] is in the chains of zspage[0] and zspage[1]' },
    { what: 'a chain page free in the buddy', designs: all, edit: (p) => p.set('page[1].PageBuddy', 1),
      want: () => 'page[1] of zspage[0] is free in the buddy allocator' },
    { what: 'a chain page naming another zspage', designs: all, edit: (p, d) => p.set(owner(d, 1), 1),
      want: () => 'page[1] is in zspage[0]\'s chain but names zspage[1]' },
    { what: 'a first page without PG_private', designs: all, edit: (p) => p.set('page[0].flags.PG_private', 0),
      want: () => 'first page[0] of zspage[0] lacks PG_private' },
    { what: 'a later page with PG_private', designs: all, edit: (p) => p.set('page[1].flags.PG_private', 1),
      want: () => 'page[1] of zspage[0] is not first but has PG_private' },
    { what: 'allowed: a live zspage with no pages yet', edit: (p) => p.set('zspage[2].magic', 0x58), want: () => null },
    { what: 'allowed: a freed zspage slot with a stale first page', designs: all, edit: (p, d) => p.set(first(d, 2), 1), want: () => null },
  ],

  'zspage-word-intact': [
    { what: 'the huge bit set on a normal class', designs: all, edit: (p) => p.set('zspage[0].huge', 1),
      want: () => 'zspage[0].huge is 1 but class[0] is not huge: a PG_locked store through struct page offset 0 hit the bitfield word' },
    { what: 'the huge bit cleared on a huge class', designs: all, edit: (p) => p.set('zspage[1].huge', 0),
      want: () => 'zspage[1].huge is 0 but class[1] is huge: a PG_locked store through struct page offset 0 hit the bitfield word' },
    { what: 'allowed: a live zspage with no pages yet (create_page_chain sets the bit later)', edit: (p) => { p.set('zspage[2].magic', 0x58); p.set('zspage[2].class', 1); }, want: () => null },
    { what: 'allowed: a freed zspage slot', edit: (p) => { p.set(first('zpdesc', 2), 3); p.set('zspage[2].huge', 1); }, want: () => null },
  ],

  'zspage-lock-state': [
    { what: 'cnt -1 with no writer', designs: all, edit: (p, d) => p.set(`${zsl(d, 0)}.cnt`, -1),
      want: () => 'zspage[0] lock cnt is -1 with no writer' },
    { what: 'a writer with cnt 0', designs: all, edit: (p, d) => p.set(`${zsl(d, 0)}.writer`, 2),
      want: () => 'zspage[0] has a writer but cnt 0' },
    { what: 'a writer with readers counted', edit: (p, d) => { p.set(`${zsl(d, 1)}.writer`, 2); p.set(`${zsl(d, 1)}.cnt`, 1); p.set(`${zsl(d, 1)}.readers`, 1); },
      want: () => 'zspage[1] has a writer but cnt 1' },
    { what: 'cnt above the readers', designs: all, edit: (p, d) => { p.set(`${zsl(d, 0)}.cnt`, 2); p.set(`${zsl(d, 0)}.readers`, 2); },
      want: () => 'zspage[0] lock cnt 2 but 1 readers hold it' },
    { what: 'cnt below the readers', edit: (p, d) => { p.set(`${zsl(d, 0)}.cnt`, 1); p.set(`${zsl(d, 0)}.readers`, 3); },
      want: () => 'zspage[0] lock cnt 1 but 2 readers hold it' },
    { what: 'readers with cnt 0, on a freed slot too', edit: (p, d) => p.set(`${zsl(d, 2)}.readers`, 2),
      want: () => 'zspage[2] lock cnt 0 but 1 readers hold it' },
    { what: 'allowed: two readers, cnt 2', designs: all, edit: (p, d) => { p.set(`${zsl(d, 0)}.cnt`, 2); p.set(`${zsl(d, 0)}.readers`, 3); }, want: () => null },
    { what: 'allowed: one writer, cnt -1', designs: all, edit: (p, d) => { p.set(`${zsl(d, 0)}.cnt`, -1); p.set(`${zsl(d, 0)}.writer`, 2); }, want: () => null },
  ],

  'no-dangling-descriptor': [
    { what: 'an allocated page naming a freed zspage', designs: all, edit: (p, d) => { p.set('page[3].PageBuddy', 0); p.set(owner(d, 3), 2); },
      want: () => 'page[3] still names zspage[2], which is freed' },
    { what: 'a chain page of a zspage just freed', designs: all, edit: (p) => p.set('zspage[1].magic', 0),
      want: () => 'page[2] still names zspage[1], which is freed' },
    { what: 'a chain page of zspage[0] just freed', designs: all, edit: (p) => p.set('zspage[0].magic', 0),
      want: () => 'page[0] still names zspage[0], which is freed' },
    { what: 'allowed: an allocated page naming no zspage', edit: (p) => p.set('page[3].PageBuddy', 0), want: () => null },
    { what: 'allowed (buddy-page-clean judges it): a buddy page naming a freed zspage', edit: (p, d) => p.set(owner(d, 3), 2), want: () => null },
  ],

  'buddy-page-clean': [
    { what: 'a buddy page with a reference', designs: all, edit: (p) => p.set('page[3]._refcount', 1),
      want: () => 'page[3] is free in the buddy allocator but has _refcount 1, PG_locked 0, zspage -1, isolated 0' },
    { what: 'a buddy page locked', designs: all, edit: (p) => p.set('page[4].flags.PG_locked', 2),
      want: () => 'page[4] is free in the buddy allocator but has _refcount 0, PG_locked 2, zspage -1, isolated 0' },
    { what: 'a buddy page still naming a zspage', designs: all, edit: (p, d) => p.set(owner(d, 3), 0),
      want: () => 'page[3] is free in the buddy allocator but has _refcount 0, PG_locked 0, zspage 0, isolated 0' },
    { what: 'a buddy page still isolated', designs: all, edit: (p, d) => p.set(isolated(d, 3), 1),
      want: () => 'page[3] is free in the buddy allocator but has _refcount 0, PG_locked 0, zspage -1, isolated 1' },
    { what: 'allowed: an allocated page may have all of these', edit: (p) => { p.set('page[1].flags.PG_locked', 2); p.set(isolated('zpdesc', 1), 1); }, want: () => null },
  ],

  'nothing-locked-at-end': [
    { what: 'a thread ending with a class lock', designs: all, edit: (p) => p.set('class[0].lock', 2),
      want: () => 't1 finished holding class[0].lock' },
    { what: 'a thread ending with a page lock', designs: all, edit: (p) => p.set('page[1].flags.PG_locked', 2),
      want: () => 't1 finished holding page[1].flags.PG_locked' },
    { what: 'a thread ending with a zspage read lock', designs: all, edit: (p, d) => { p.set(`${zsl(d, 0)}.readers`, 2); p.set(`${zsl(d, 0)}.cnt`, 1); },
      want: (d) => `t1 finished holding ${zsl(d, 0)} (read)` },
    { what: 'a thread ending with two locks names both', edit: (p) => { p.set('class[0].lock', 2); p.set('page[1].flags.PG_locked', 2); },
      want: () => 't1 finished holding class[0].lock, page[1].flags.PG_locked' },
    { what: 'a PG_locked word naming no thread (a stray store: thread ids are 1..T)', edit: (p) => p.set('page[1].flags.PG_locked', 3),
      want: () => 'page[1].flags.PG_locked is still set' },
  ],

  'refcount-balance': [
    { what: 'a page neither free nor in a chain: leaked', designs: all, edit: (p) => p.set('page[3].PageBuddy', 0),
      want: () => 'page[3] is neither free nor in a live zspage: it leaked (_refcount 0)' },
    { what: 'a chain page with an extra reference', designs: ['legacy', 'zpdesc'], edit: (p) => p.set('page[1]._refcount', 2),
      want: () => 'page[1] ends with _refcount 2, expected 1' },
    { what: 'a memdesc tail page with a count of its own', designs: ['memdesc'], edit: (p) => p.set('page[1]._refcount', 1),
      want: () => 'page[1] ends with _refcount 1, expected 0' },
    { what: 'a memdesc zspage with an extra reference', designs: ['memdesc'], edit: (p) => p.set('zspage[0]._refcount', 2),
      want: () => 'zspage[0] ends with _refcount 2, expected 1' },
    { what: 'pages_allocated differs from the chain pages', designs: all, edit: (p) => p.set('pool.pages_allocated', 2),
      want: () => 'pool.pages_allocated is 2 but 3 pages are in zspages' },
    { what: 'allowed: a freed zspage slot with a stale first page owns nothing', designs: ['zpdesc'], edit: (p) => p.set(first('zpdesc', 2), 3), want: () => null },
  ],

  'no-empty-zspage-left': [
    { what: 'an empty live zspage', designs: all, edit: (p) => p.set('zspage[1].inuse', 0),
      want: () => 'zspage[1] is empty, still allocated, and no free_work is pending' },
    { what: 'allowed: free_work is pending', designs: all, edit: (p) => { p.set('zspage[1].inuse', 0); p.set('pool.free_work.pending', 1); }, want: () => null },
  ],

  'nothing-isolated-at-end': [
    { what: 'a page left isolated', designs: all, edit: (p, d) => p.set(isolated(d, 1), 1), want: () => 'page[1] is still isolated' },
    { what: 'a free page left isolated', edit: (p, d) => p.set(isolated(d, 4), 1), want: () => 'page[4] is still isolated' },
    { what: 'a legacy zspage with a stale isolated count', designs: ['legacy'], edit: (p) => p.set('zspage[1].isolated', 1),
      want: () => 'zspage[1].isolated is 1 with no page isolated' },
    { what: 'allowed: a freed legacy zspage slot with a stale isolated count', designs: ['legacy'], edit: (p) => p.set('zspage[2].isolated', 1), want: () => null },
  ],
};

for (const [name, list] of Object.entries(cases)) {
  describe(name, () => {
    for (const c of list) {
      for (const d of c.designs ?? ['zpdesc']) {
        const want = c.want(d);
        it(`${want === null ? 'holds' : 'fails'}: ${c.what} (${d})`, () => {
          const p = poolState(d, [idleThread('t1')]);
          expect(p.check(name), 'the unmodified pool').toBeNull();
          c.edit(p, d);
          expect(p.check(name)).toBe(want);
        });
      }
    }
  });
}

describe('refcount-balance under the per-page memdesc reference protocol', () => {
  it('a memdesc zspage holds one reference per chain page when refPerZspage is off', () => {
    const p = poolState('memdesc', [idleThread('t1')], { protocol: { refPerZspage: false } });
    expect(p.check('refcount-balance')).toBeNull();
    expect(p.get('zspage[0]._refcount')).toBe(2);
    p.set('zspage[0]._refcount', 1);
    expect(p.check('refcount-balance')).toBe('zspage[0] ends with _refcount 1, expected 2');
  });
});
