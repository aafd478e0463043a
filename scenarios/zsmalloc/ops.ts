import type { Op } from '../../model/zsmalloc/program.js';

/** Shorthands for thread programs. Handles: 0 = A, 1 = B, ... */
export const malloc = (handle: number, payload: number, cls = 0): Op => ({ kind: 'malloc', handle, cls, payload });
export const free = (handle: number): Op => ({ kind: 'free', handle });
export const read = (handle: number): Op => ({ kind: 'read', handle });
export const write = (handle: number, payload: number): Op => ({ kind: 'write', handle, payload });
export const compact = (): Op => ({ kind: 'compact' });
/** The migration core on one of `pages` (all frames when absent); `putback` forces the
 *  outcome (both are explored when absent). */
export const migrate = (pages?: readonly number[], putback?: boolean): Op => ({ kind: 'migrate', pages, putback });
export const asyncFree = (): Op => ({ kind: 'async_free' });
export const shrinkerCount = (): Op => ({ kind: 'shrinker_count' });
export const destroyPool = (): Op => ({ kind: 'destroy_pool' });
export const A = 0;
export const B = 1;
export const C = 2;
export const D = 3;
