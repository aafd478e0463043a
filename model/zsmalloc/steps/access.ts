import type { StateVector, StepContext } from '../../../explorer/system.js';
import type { Machine, StepDef } from '../machine.js';
import { objIdx, objPfn } from '../machine.js';
import { handleName } from '../fields.js';
import { handleAt, readAt, writeAt } from '../location.js';
import { V } from '../violations.js';

/**
 * Object access (§2.3). zpdesc/memdesc: zs_obj_read_begin/end and zs_obj_write: pool read lock,
 * *h, zspage_read_lock, pool read unlock (hand-over-hand), access, zspage_read_unlock.
 * legacy (E2): zs_map_object pins the handle and takes migrate_read_lock(Z) until unmap.
 * The copy step checks content conservation (§5 inv. 20): every part of the object, including
 * the part on the next page of a spanning object, holds the value last written through h.
 */
function begin(kind: 'read' | 'write'): StepDef[] {
  const fn = kind === 'read' ? 'zs_obj_read_begin' : 'zs_obj_write';
  const access = `${fn}:copy`;
  return [
    {
      label: `${fn}:read_lock_pool`,
      designs: ['zpdesc', 'memdesc'],
      enabled: (m, s) => m.has('R1') || m.poolReadable(s),
      run(m, s, t) {
        if (!m.has('R1')) m.readLockPool(s, t);
        m.goto(s, t, `${fn}:read_obj`);
      },
    },
    {
      label: `${fn}:read_obj`,
      designs: ['zpdesc', 'memdesc'],
      run(m, s, t, _c, ctx) {
        if (!resolve(m, s, t, ctx, fn)) return;
        m.goto(s, t, `${fn}:zspage_read_lock`);
      },
    },
    {
      label: `${fn}:zspage_read_lock`,
      designs: ['zpdesc', 'memdesc'],
      enabled: (m, s, t) => m.zspageLockNoop || m.zspageReadable(s, m.get(s, m.f.tZ, t)),
      run(m, s, t, _c, ctx) {
        const z = m.get(s, m.f.tZ, t);
        if (!m.touchZ(s, z, ctx, fn)) return;
        if (!m.zspageLockNoop) m.zspageReadLock(s, z, t);
        m.goto(s, t, `${fn}:read_unlock_pool`);
      },
    },
    {
      label: `${fn}:read_unlock_pool`,
      designs: ['zpdesc', 'memdesc'],
      run(m, s, t, _c, ctx) {
        if (!m.has('R1')) m.readUnlockPool(s, t, ctx, fn);
        m.goto(s, t, access);
      },
    },
  ];
}

export const accessSteps: StepDef[] = [
  ...begin('read'),
  ...begin('write'),
  {
    label: 'zs_map_object:pin_tag',
    designs: ['legacy'],
    enabled: (m, s, t) => s[m.f.hPin[handleOf(m, s, t)]] === 0,
    run(m, s, t) {
      s[m.f.hPin[handleOf(m, s, t)]] = t + 1;
      m.goto(s, t, 'zs_map_object:read_obj');
    },
  },
  {
    label: 'zs_map_object:read_obj',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      if (!resolve(m, s, t, ctx, 'zs_map_object')) return;
      m.goto(s, t, 'zs_map_object:migrate_read_lock');
    },
  },
  {
    label: 'zs_map_object:migrate_read_lock',
    designs: ['legacy'],
    enabled: (m, s, t) => m.zspageLockNoop || m.zspageReadable(s, m.get(s, m.f.tZ, t)),
    run(m, s, t, _c, ctx) {
      const z = m.get(s, m.f.tZ, t);
      if (!m.touchZ(s, z, ctx, 'zs_map_object')) return;
      if (!m.zspageLockNoop) m.zspageReadLock(s, z, t);
      m.goto(s, t, 'zs_map_object:copy');
    },
  },
  {
    label: 'zs_obj_read_begin:copy',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { copy(m, s, t, ctx, 'zs_obj_read_begin'); m.goto(s, t, 'zs_obj_read_end:zspage_read_unlock'); },
  },
  {
    label: 'zs_obj_write:copy',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { copy(m, s, t, ctx, 'zs_obj_write'); m.goto(s, t, 'zs_obj_write:zspage_read_unlock'); },
  },
  {
    label: 'zs_map_object:copy',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) { copy(m, s, t, ctx, 'zs_map_object'); m.goto(s, t, 'zs_unmap_object:migrate_read_unlock'); },
  },
  {
    // zs_obj_read_end recomputes (page, idx) from *h without the pool lock: stable while the
    // zspage read lock is held.
    label: 'zs_obj_read_end:zspage_read_unlock',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { unlockAfter(m, s, t, ctx, 'zs_obj_read_end'); m.endOp(s, t); },
  },
  {
    label: 'zs_obj_write:zspage_read_unlock',
    designs: ['zpdesc', 'memdesc'],
    run(m, s, t, _c, ctx) { unlockAfter(m, s, t, ctx, 'zs_obj_write'); m.endOp(s, t); },
  },
  {
    label: 'zs_unmap_object:migrate_read_unlock',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      unlockAfter(m, s, t, ctx, 'zs_unmap_object');
      m.goto(s, t, 'zs_unmap_object:unpin_tag');
    },
  },
  {
    label: 'zs_unmap_object:unpin_tag',
    designs: ['legacy'],
    run(m, s, t, _c, ctx) {
      const h = handleOf(m, s, t);
      const cur = s[m.f.hPin[h]];
      if (cur !== t + 1) ctx.fail(V.handlePinExclusive, `zs_unmap_object: handle[${handleName(h)}] is not pinned by ${m.threadNames[t]}`);
      s[m.f.hPin[h]] = 0;
      m.endOp(s, t);
    },
  },
];

function handleOf(m: Machine, s: StateVector, t: number): number {
  const op = m.op(s, t);
  if (op.kind !== 'read' && op.kind !== 'write') throw new Error(`no handle in ${op.kind}`);
  return op.handle;
}

function resolve(m: Machine, s: StateVector, t: number, ctx: StepContext, fn: string): boolean {
  const h = handleOf(m, s, t);
  const obj = s[m.f.hObj[h]];
  const p = objPfn(obj);
  if (!m.touchPage(s, p, ctx, fn)) return false;
  const z = s[m.f.pZspage[p]];
  if (!m.touchZ(s, z, ctx, fn)) return false;
  m.set(s, m.f.tH, t, h);
  m.set(s, m.f.tObj, t, obj);
  m.set(s, m.f.tZ, t, z);
  return true;
}

/** The access itself, through the location resolved at read_obj: offset_in_page(size * idx)
 *  in the page obj names, the tail of a spanning object in get_next_zpdesc(page)
 *  (zs_obj_read_begin's two-part copy, zs_obj_write). */
function copy(m: Machine, s: StateVector, t: number, ctx: StepContext, fn: string): void {
  const h = m.get(s, m.f.tH, t);
  const z = m.get(s, m.f.tZ, t);
  if (!m.touchZ(s, z, ctx, fn)) return;
  const obj = m.get(s, m.f.tObj, t);
  if (!m.touchPage(s, objPfn(obj), ctx, fn)) return;
  const c = m.classOf(s, z);
  const op = m.op(s, t);
  if (op.kind === 'write') {
    const at = handleAt(m, s, c, obj);
    if (at !== h) {
      ctx.fail(V.contentConservation, `${fn}: handle[${handleName(h)}]'s data is written to page[${objPfn(obj)}] object ${objIdx(obj)}, a slot that ` +
        (at < 0 ? 'is free' : `holds handle[${handleName(at)}]`));
      return;
    }
    writeAt(m, s, c, obj, op.payload);
    s[m.f.hPayload[h]] = op.payload;
    return;
  }
  const want = s[m.f.hPayload[h]];
  const got = readAt(m, s, c, obj);
  if (got.some((v) => v !== want)) {
    ctx.fail(V.contentConservation, `${fn}: handle[${handleName(h)}] reads [${got.join(',')}] from page[${objPfn(obj)}] object ${objIdx(obj)}, but ${want} was written`);
  }
}

function unlockAfter(m: Machine, s: StateVector, t: number, ctx: StepContext, fn: string): void {
  const h = m.get(s, m.f.tH, t);
  const p = objPfn(s[m.f.hObj[h]]);
  if (!m.touchPage(s, p, ctx, fn)) return;
  const z = s[m.f.pZspage[p]];
  if (z !== m.get(s, m.f.tZ, t)) {
    ctx.fail(V.contentConservation, `${fn}: handle[${handleName(h)}] moved to zspage[${z}] while read-locked in zspage[${m.get(s, m.f.tZ, t)}]`);
  }
  if (!m.zspageLockNoop) m.zspageReadUnlock(s, m.get(s, m.f.tZ, t), t, ctx, fn);
}
