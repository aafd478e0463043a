import type { StateVector } from '../../explorer/system.js';
import type { Machine } from './machine.js';
import { fullnessGroups } from './shape.js';

/**
 * struct list_head as words (config `lists: 'list_head'`): the class fullness lists
 * (insert_zspage's list_add at the head, remove_zspage's list_del_init,
 * list_first_entry_or_null for the picks) and async_free_zspage's local free_pages list
 * (list_splice_init, then list_del, which leaves LIST_POISON1/2 in the entry), and page->lru
 * on the migration core's cc->migratepages (list_add after isolation, list_del before putback
 * or after the move; not in memdesc, whose lru would be the descriptor's, §6.3.3). Every unlink
 * runs CONFIG_DEBUG_LIST's __list_del_entry_valid / __list_add_valid checks; the first
 * failure is kept in the ghost field CONFIG_DEBUG_LIST.report and reported by the
 * list-linkage invariant in the state the step produced.
 */
export const LIST_POISON1 = -2;
export const LIST_POISON2 = -3;
export const LIST_NULL = -1;

/** CONFIG_DEBUG_LIST.report codes. */
export const listReports = [
  '',
  'list_del corruption: next is LIST_POISON1',
  'list_del corruption: prev is LIST_POISON2',
  'list_del corruption: prev->next should be the entry',
  'list_del corruption: next->prev should be the entry',
  'list_del of an entry that was never added (NULL next)',
  'list_add corruption: next->prev should be prev',
] as const;

export function listHeads(m: Machine): boolean { return m.config.lists === 'list_head'; }

export function zNode(z: number): number { return z; }
export function headNode(m: Machine, c: number, g: number): number { return m.K + c * fullnessGroups(m.design).length + g; }
export function localNode(m: Machine, t: number): number { return m.K + m.pool.classes.length * fullnessGroups(m.design).length + t; }
/** page->lru of page frame p, and core thread t's cc->migratepages head. */
export function pageNode(m: Machine, p: number): number { return localNode(m, m.T) + p; }
export function migrateNode(m: Machine, t: number): number { return pageNode(m, m.N) + t; }

function isHead(m: Machine, id: number): boolean {
  return id >= m.K && !(id >= pageNode(m, 0) && id < pageNode(m, m.N));
}
function words(m: Machine, id: number): [number, number] {
  const f = m.f;
  if (id < m.K) return [f.zListNext[id], f.zListPrev[id]];
  if (id >= migrateNode(m, 0)) { const t = id - migrateNode(m, 0); return [f.tMigNext[t], f.tMigPrev[t]]; }
  if (id >= pageNode(m, 0)) { const p = id - pageNode(m, 0); return [f.pLruNext[p], f.pLruPrev[p]]; }
  const G = fullnessGroups(m.design).length;
  const h = id - m.K;
  if (h < m.pool.classes.length * G) return [f.headNext[Math.floor(h / G)][h % G], f.headPrev[Math.floor(h / G)][h % G]];
  const t = h - m.pool.classes.length * G;
  return [f.tListNext[t], f.tListPrev[t]];
}
/** Stored words: node id + 1; 0 = NULL (a head: itself); -1/-2 = LIST_POISON1/2. */
function decode(raw: number): number { return raw === 0 ? LIST_NULL : raw - 1; }
function encode(v: number): number { return v === LIST_NULL ? 0 : v + 1; }
export function nextOf(m: Machine, s: StateVector, id: number): number {
  const v = decode(s[words(m, id)[0]]);
  return v === LIST_NULL && isHead(m, id) ? id : v;
}
export function prevOf(m: Machine, s: StateVector, id: number): number {
  const v = decode(s[words(m, id)[1]]);
  return v === LIST_NULL && isHead(m, id) ? id : v;
}
function setNext(m: Machine, s: StateVector, id: number, v: number): void { s[words(m, id)[0]] = encode(v === id && isHead(m, id) ? LIST_NULL : v); }
function setPrev(m: Machine, s: StateVector, id: number, v: number): void { s[words(m, id)[1]] = encode(v === id && isHead(m, id) ? LIST_NULL : v); }

function report(m: Machine, s: StateVector, code: number): void {
  if (s[m.f.listCorrupt] === 0) s[m.f.listCorrupt] = code;
}

/** list_add(entry, head). */
export function listAdd(m: Machine, s: StateVector, entry: number, head: number): void {
  const next = nextOf(m, s, head);
  if (next >= 0 && prevOf(m, s, next) !== head) report(m, s, 6);
  if (next >= 0) setPrev(m, s, next, entry);
  setNext(m, s, entry, next);
  setPrev(m, s, entry, head);
  setNext(m, s, head, entry);
}

/** list_del (poison) or list_del_init (`init`), with __list_del_entry_valid. */
export function listDel(m: Machine, s: StateVector, entry: number, init: boolean): void {
  const next = nextOf(m, s, entry);
  const prev = prevOf(m, s, entry);
  let bad = 0;
  if (next === LIST_POISON1) bad = 1;
  else if (prev === LIST_POISON2) bad = 2;
  else if (next === LIST_NULL || prev === LIST_NULL) bad = 5;
  else if (nextOf(m, s, prev) !== entry) bad = 3;
  else if (prevOf(m, s, next) !== entry) bad = 4;
  if (bad) { report(m, s, bad); return; }
  setNext(m, s, prev, next);
  setPrev(m, s, next, prev);
  setNext(m, s, entry, init ? entry : LIST_POISON1);
  setPrev(m, s, entry, init ? entry : LIST_POISON2);
}

/** list_first_entry_or_null. */
export function listFirst(m: Machine, s: StateVector, head: number): number {
  const n = nextOf(m, s, head);
  return n === head || n < 0 ? -1 : n;
}

/** list_splice_init(list, head): list's entries go to the front of head; list is emptied. */
export function listSpliceInit(m: Machine, s: StateVector, list: number, head: number): void {
  const first = nextOf(m, s, list);
  if (first === list || first < 0) return;
  const last = prevOf(m, s, list);
  const at = nextOf(m, s, head);
  setPrev(m, s, first, head);
  setNext(m, s, head, first);
  setNext(m, s, last, at);
  setPrev(m, s, at, last);
  setNext(m, s, list, list);
  setPrev(m, s, list, list);
}

/** Zeroed words of a zspage descriptor (kmem_cache_zalloc; reset when it is freed). */
export function clearNode(m: Machine, s: StateVector, z: number): void {
  s[m.f.zListNext[z]] = 0;
  s[m.f.zListPrev[z]] = 0;
}

/** The entries of a list in order (stops after `limit` hops; -1 marks a broken walk). Entries
 *  are zspage ids, or page ids for `pages`. */
export function listWalk(m: Machine, s: StateVector, head: number, limit: number, pages = false): number[] {
  const out: number[] = [];
  let n = nextOf(m, s, head);
  const lo = pages ? pageNode(m, 0) : 0;
  const hi = pages ? pageNode(m, m.N) : m.K;
  while (n !== head) {
    if (n < lo || n >= hi || out.length > limit) { out.push(-1); break; }
    out.push(n);
    n = nextOf(m, s, n);
  }
  return out;
}
