import type { StateVector } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { objPfn } from '../machine.js';
import { objFreeAt, readAt, writeAt } from '../location.js';
import { dstCandidates, srcCandidates } from '../picks.js';
import { freeZspageEntry, unpin } from './free.js';

/**
 * zs_compact / __zs_compact / migrate_zspage (§2.4). zpdesc/memdesc: pool write lock, class
 * lock, zspage_write_trylock(src), one step per moved object (all under P write + C + Z write).
 * legacy (E2): class lock only; find_alloced_obj trypins each live handle; record_obj, then
 * unpin_tag (the A1 window), then obj_free.
 * Locals: `class` = the class, `zspage` = src, `word` = dst, `idx` = next object of src.
 */

function canCompact(m: Machine, s: StateVector, c: number): boolean {
  const f = m.f;
  const free = s[f.classAllocated[c]] - s[f.classInuse[c]];
  return free > 0 && Math.floor(free / m.objs(c)) * m.pool.classes[c].pagesPerZspage > 0;
}

/** The (dst, src) pairs isolate_dst_zspage then isolate_src_zspage may return: dst is the
 *  one already held, else a head of the first non-empty dst list; src a head of the first
 *  non-empty src list once dst is off its list. -1 where a list scan finds nothing. */
function isolatePairs(m: Machine, s: StateVector, t: number): Array<[number, number]> {
  const c = m.get(s, m.f.tC, t);
  if (m.design === 'legacy') {
    // E2 __zs_compact: isolate_zspage(class, true) for the source first, then the destination.
    const srcs = srcCandidates(m, s, c, -1);
    if (srcs.length === 0) return [[-1, -1]];
    // Only N1 comes round the loop still holding dst (E2 puts it back every round): the new
    // source is paired with it, as the newest loop's isolate_dst_zspage is skipped.
    const held = m.get(s, m.f.tW, t);
    const out: Array<[number, number]> = [];
    for (const z of srcs) {
      const dsts = held >= 0 ? [held] : dstCandidates(m, s, c, z);
      if (dsts.length === 0) out.push([-1, z]);
      for (const d of dsts) out.push([d, z]);
    }
    return out;
  }
  const held = m.get(s, m.f.tW, t);
  const dsts = held >= 0 ? [held] : dstCandidates(m, s, c);
  if (dsts.length === 0) return [[-1, -1]];
  const out: Array<[number, number]> = [];
  for (const d of dsts) {
    const srcs = srcCandidates(m, s, c, held >= 0 ? -1 : d);
    if (srcs.length === 0) out.push([d, -1]);
    for (const z of srcs) out.push([d, z]);
  }
  return out;
}

/** rwlock_is_contended(&pool->lock): another thread spins for it (is at a pool lock step). */
function poolContended(m: Machine, s: StateVector, t: number): boolean {
  for (let u = 0; u < m.T; u++) {
    if (u === t) continue;
    const l = m.pcLabel(s, u);
    if (l && (l.endsWith(':read_lock_pool') || l.endsWith(':write_lock_pool'))) return true;
  }
  return false;
}

const legacyOnly = ['legacy'] as const;
const poolLocked = ['zpdesc', 'memdesc'] as const;

export const compactSteps: StepDef[] = [
  {
    label: 'zs_compact:compaction_in_progress',
    run(m, s, t) {
      if (s[m.f.compactionInProgress] === 1) { m.endOp(s, t); return; }
      s[m.f.compactionInProgress] = 1;
      m.set(s, m.f.tC, t, m.pool.classes.length - 1);
      m.goto(s, t, m.design === 'legacy' ? '__zs_compact:lock_class' : '__zs_compact:write_lock_pool');
    },
  },
  {
    label: '__zs_compact:write_lock_pool',
    designs: poolLocked,
    enabled: (m, s) => m.poolWritable(s),
    run(m, s, t) { m.writeLockPool(s, t); m.goto(s, t, '__zs_compact:lock_class'); },
  },
  {
    label: '__zs_compact:lock_class',
    enabled: (m, s, t) => m.classLockFree(s, m.get(s, m.f.tC, t)),
    run(m, s, t) { m.lockClass(s, m.get(s, m.f.tC, t), t); m.goto(s, t, '__zs_compact:isolate_zspages'); },
  },
  {
    // while zs_can_compact: isolate_dst_zspage (if none held), isolate_src_zspage.
    label: '__zs_compact:isolate_zspages',
    choices: (m, s, t) => (canCompact(m, s, m.get(s, m.f.tC, t)) ? isolatePairs(m, s, t).length : 1),
    run(m, s, t, choice) {
      const f = m.f;
      const c = m.get(s, f.tC, t);
      if (!canCompact(m, s, c)) { m.goto(s, t, '__zs_compact:putback_leftover'); return; }
      const [dst, src] = isolatePairs(m, s, t)[choice];
      if (dst < 0) {
        // E2: "if (dst_zspage == NULL) break;" and the isolated source is put back.
        if (src >= 0) { m.removeZspage(s, c, src); m.set(s, f.tZ, t, src); }
        m.goto(s, t, '__zs_compact:putback_leftover');
        return;
      }
      if (m.get(s, f.tW, t) < 0) { m.removeZspage(s, c, dst); m.set(s, f.tW, t, dst); }
      if (src < 0) { m.goto(s, t, '__zs_compact:putback_leftover'); return; }
      m.removeZspage(s, c, src);
      m.set(s, f.tZ, t, src);
      m.set(s, f.tI, t, 0);
      m.goto(s, t, m.design === 'legacy' ? 'migrate_zspage:find_alloced_obj' : '__zs_compact:zspage_write_trylock');
    },
  },
  {
    label: '__zs_compact:zspage_write_trylock',
    designs: poolLocked,
    run(m, s, t) {
      const ok = m.zspageLockNoop || m.zspageWriteTrylock(s, m.get(s, m.f.tZ, t), t);
      m.goto(s, t, ok ? 'migrate_zspage:move_object' : '__zs_compact:putback_leftover');
    },
  },
  {
    label: 'migrate_zspage:move_object',
    run(m, s, t, _c, ctx) {
      const f = m.f;
      const src = m.get(s, f.tZ, t);
      const dst = m.get(s, f.tW, t);
      let idx = m.get(s, f.tI, t);
      let h = -1;
      if (m.design === 'legacy') {
        h = m.get(s, f.tH, t);
      } else {
        for (; idx < m.objs(m.classOf(s, src)); idx++) { h = m.objHandle(s, src, idx); if (h >= 0) break; }
        if (h < 0) { m.goto(s, t, '__zs_compact:zspage_write_unlock'); return; }
      }
      if (!m.touchZ(s, src, ctx, 'migrate_zspage') || !m.touchZ(s, dst, ctx, 'migrate_zspage')) return;
      // used_obj = handle_to_obj(handle); free_obj = obj_malloc(dst, handle) (record_obj);
      // zs_obj_copy(class, free_obj, used_obj): both through their locations.
      const c = m.classOf(s, src);
      const used = s[f.hObj[h]];
      if (!m.touchPage(s, objPfn(used), ctx, 'migrate_zspage: zs_obj_copy')) return;
      const payload = readAt(m, s, c, used)[0];
      const obj = m.objMalloc(s, dst, h);
      writeAt(m, s, c, obj, payload);
      m.set(s, f.tObj, t, used);
      m.set(s, f.tI, t, idx);
      if (m.design === 'legacy') { m.goto(s, t, 'migrate_zspage:unpin_tag'); return; }
      finishObject(m, s, t);
    },
  },
  {
    label: 'migrate_zspage:find_alloced_obj',
    designs: legacyOnly,
    run(m, s, t) {
      const f = m.f;
      const src = m.get(s, f.tZ, t);
      for (let idx = m.get(s, f.tI, t); idx < m.objs(m.classOf(s, src)); idx++) {
        const h = m.objHandle(s, src, idx);
        if (h >= 0 && s[f.hPin[h]] === 0) {
          s[f.hPin[h]] = t + 1; // trypin_tag
          m.set(s, f.tH, t, h);
          m.set(s, f.tI, t, idx);
          m.goto(s, t, 'migrate_zspage:move_object');
          return;
        }
      }
      m.goto(s, t, '__zs_compact:putback_src');
    },
  },
  {
    label: 'migrate_zspage:unpin_tag',
    designs: legacyOnly,
    run(m, s, t, _c, ctx) {
      unpin(m, s, t, m.get(s, m.f.tH, t), ctx, 'migrate_zspage');
      m.set(s, m.f.tH, t, -1);
      finishObject(m, s, t);
    },
  },
  {
    label: '__zs_compact:zspage_write_unlock',
    designs: poolLocked,
    run(m, s, t, _c, ctx) {
      if (!m.zspageLockNoop) m.zspageWriteUnlock(s, m.get(s, m.f.tZ, t), t, ctx, '__zs_compact');
      m.goto(s, t, '__zs_compact:putback_src');
    },
  },
  {
    // putback_zspage(src); RATIO_0 -> free_zspage (trylock_zspage or deferred).
    label: '__zs_compact:putback_src',
    run(m, s, t) {
      const f = m.f;
      const c = m.get(s, f.tC, t);
      const src = m.get(s, f.tZ, t);
      const fg = m.putbackZspage(s, c, src);
      if (fg === 0) {
        m.set(s, f.tR, t, -1);
        m.call(s, t, freeZspageEntry(m), '__zs_compact:check_dst');
      } else {
        m.goto(s, t, '__zs_compact:check_dst');
      }
    },
  },
  {
    // 6.2+ keeps dst and class->lock across source zspages until dst is full. E2 (4.8-5.16)
    // __zs_compact puts dst back and drops class->lock after every source zspage
    // (putback_zspage(dst); putback_zspage(src); spin_unlock; cond_resched; spin_lock), which
    // is what lets a zs_free that holds a pin the compactor skipped take the lock: without the
    // drop the legacy compactor spins on that source for ever (a non-progress loop).
    label: '__zs_compact:check_dst',
    run(m, s, t) {
      const f = m.f;
      m.set(s, f.tZ, t, -1);
      m.set(s, f.tI, t, -1);
      const c = m.get(s, f.tC, t);
      const dst = m.get(s, f.tW, t);
      // E2 puts dst back and drops class->lock after every source zspage; the newest code
      // keeps dst until it is full or pool->lock is contended (rwlock_is_contended). N1: the
      // legacy compactor keeps them the same way (E2 has no pool->lock to find contended).
      const keeps = m.design === 'legacy' ? m.has('N1') : !poolContended(m, s, t);
      if (s[f.zInuse[dst]] === m.objs(c) || !keeps) {
        m.putbackZspage(s, c, dst);
        m.set(s, f.tW, t, -1);
        m.goto(s, t, '__zs_compact:unlock_class_resched');
      } else {
        m.goto(s, t, '__zs_compact:isolate_zspages');
      }
    },
  },
  {
    label: '__zs_compact:unlock_class_resched',
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, '__zs_compact');
      m.goto(s, t, m.design === 'legacy' ? '__zs_compact:lock_class' : '__zs_compact:write_unlock_pool_resched');
    },
  },
  {
    label: '__zs_compact:write_unlock_pool_resched',
    designs: poolLocked,
    run(m, s, t, _c, ctx) { m.writeUnlockPool(s, t, ctx, '__zs_compact'); m.goto(s, t, '__zs_compact:write_lock_pool'); },
  },
  {
    label: '__zs_compact:putback_leftover',
    run(m, s, t) {
      const f = m.f;
      const c = m.get(s, f.tC, t);
      for (const loc of [f.tZ, f.tW]) {
        const z = m.get(s, loc, t);
        if (z >= 0) { m.putbackZspage(s, c, z); m.set(s, loc, t, -1); }
      }
      m.set(s, f.tI, t, -1);
      m.goto(s, t, '__zs_compact:unlock_class');
    },
  },
  {
    label: '__zs_compact:unlock_class',
    run(m, s, t, _c, ctx) {
      m.unlockClass(s, m.get(s, m.f.tC, t), t, ctx, '__zs_compact');
      if (m.design !== 'legacy') { m.goto(s, t, '__zs_compact:write_unlock_pool'); return; }
      nextClass(m, s, t);
    },
  },
  {
    label: '__zs_compact:write_unlock_pool',
    designs: poolLocked,
    run(m, s, t, _c, ctx) { m.writeUnlockPool(s, t, ctx, '__zs_compact'); nextClass(m, s, t); },
  },
  {
    label: 'zs_compact:clear_in_progress',
    run(m, s, t) { s[m.f.compactionInProgress] = 0; m.endOp(s, t); },
  },
];

/** obj_free(src) after the copy; stop when dst is full or src is empty. */
function finishObject(m: Machine, s: StateVector, t: number): void {
  const f = m.f;
  const src = m.get(s, f.tZ, t);
  const dst = m.get(s, f.tW, t);
  const idx = m.get(s, f.tI, t);
  const c = m.classOf(s, src);
  objFreeAt(m, s, c, m.get(s, f.tObj, t)); // obj_free(class->size, used_obj)
  m.set(s, f.tObj, t, -1);
  m.set(s, f.tI, t, idx + 1);
  const done = s[f.zInuse[dst]] === m.objs(c) || s[f.zInuse[src]] === 0;
  if (m.design === 'legacy') m.goto(s, t, done ? '__zs_compact:putback_src' : 'migrate_zspage:find_alloced_obj');
  else m.goto(s, t, done ? '__zs_compact:zspage_write_unlock' : 'migrate_zspage:move_object');
}

function nextClass(m: Machine, s: StateVector, t: number): void {
  const c = m.get(s, m.f.tC, t) - 1;
  m.set(s, m.f.tC, t, c);
  if (c < 0) { m.goto(s, t, 'zs_compact:clear_in_progress'); return; }
  m.goto(s, t, m.design === 'legacy' ? '__zs_compact:lock_class' : '__zs_compact:write_lock_pool');
}

