import type { SymmetryGroup } from '../../explorer/system.js';
import type { Machine } from './machine.js';

/**
 * Threads that run the same program are interchangeable: swapping two of them, with their
 * locals and every record of which thread holds what, maps the machine's reachable states to
 * reachable states (no step looks at a thread's index other than to name itself). Records of
 * a thread are lock owners stored as `thread + 1` (pool.lock writer, class locks, zspage lock
 * writers, PG_locked, the E2 handle pin) and reader sets stored as bit `thread` (pool.lock and
 * zspage lock readers). A field added to the machine that records a thread must be listed
 * here; test/scenarios/symmetry.test.ts checks every swap against the step function.
 */
export function threadSymmetry(m: Machine): SymmetryGroup[] {
  const f = m.f;
  const byProgram = new Map<string, number[]>();
  m.programs.forEach((ops, t) => {
    const k = JSON.stringify(ops);
    byProgram.set(k, [...(byProgram.get(k) ?? []), t]);
  });
  const owners = [f.poolWriter, ...f.classLock, ...f.zslWriter, ...f.zLocked, ...f.pLocked, ...f.hPin].filter((i) => i >= 0);
  const readers = [f.poolReaders, ...f.zslReaders].filter((i) => i >= 0);
  const locals = (t: number) => [
    f.tPc[t], f.tOp[t], f.tZ[t], f.tC[t], f.tP[t], f.tQ[t], f.tR[t], f.tI[t], f.tObj[t], f.tH[t], f.tRet[t], f.tW[t],
    f.tSrcFolio[t], f.tDstFolio[t],
  ].filter((i) => i >= 0);
  return [...byProgram.values()].filter((ts) => ts.length > 1).map((ts) => ({
    slots: ts.map(locals),
    ids: ts,
    references: owners.map((field) => ({ field, offset: 1 })),
    bitsets: readers,
  }));
}
