import type { Footprint, StateVector, StepContext } from '../../explorer/system.js';
import type { Machine } from './machine.js';
import type { OpKind } from './program.js';

/**
 * Partial-order reduction footprints of the zsmalloc machine (the contract of
 * explorer/system.ts `stepFootprint` / `futureFootprint`).
 *
 * Step footprints are recorded, not declared: the thread's next step (its guard, its choices,
 * and its body once per choice) runs on a scratch copy of the state through a recording view,
 * and the fields it reads and writes are its footprint. A step is a deterministic function of
 * the fields it reads, so any state that agrees on those fields runs the step the same way:
 * the recorded footprint is exact, and it follows every change to the step tables without a
 * hand-kept list that could go stale.
 *
 * Future footprints are declared per operation kind (an over-approximation of everything the
 * kernel functions an operation calls may touch), united over the operations the thread has
 * left. Most operations reach nearly every shared structure (a free may free a zspage and its
 * pages, migration allocates a page and rewrites handles), so only the narrow ones — the
 * shrinker's unlocked count and the object readers and writers — leave room for
 * independence. test/scenarios/footprints.test.ts checks on every reachable state of a set of
 * default-suite scenarios that each step's recorded footprint lies inside its thread's future
 * footprint and that no step of any thread makes a future footprint grow.
 */

/** The fields only thread t's own steps read or write: its control and its locals. The
 *  exceptions are its pc and op, which compaction (rwlock_is_contended on pool->lock) and
 *  pool teardown (flush_work) read for every thread; the tables below list those readers. */
export function privateFields(m: Machine, t: number): number[] {
  const f = m.f;
  return [f.tPc, f.tOp, f.tZ, f.tC, f.tP, f.tQ, f.tR, f.tI, f.tObj, f.tH, f.tRet, f.tW, f.tSrcFolio, f.tDstFolio]
    .map((a) => a[t]).filter((i) => i >= 0);
}

/** Records field accesses of code that indexes a StateVector. */
class Recorder {
  private readonly scratch: Int32Array;
  private readonly view: StateVector;
  private readonly readMark: Uint32Array;
  private readonly writeMark: Uint32Array;
  private stamp = 0;
  reads: number[] = [];
  writes: number[] = [];

  constructor(size: number) {
    this.scratch = new Int32Array(size);
    this.readMark = new Uint32Array(size);
    this.writeMark = new Uint32Array(size);
    const self = this;
    const isIndex = (k: string | symbol): k is string => typeof k === 'string' && k.length > 0 && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57;
    this.view = new Proxy(this.scratch, {
      get(o, k) {
        if (isIndex(k)) {
          const i = +k;
          if (self.readMark[i] !== self.stamp) { self.readMark[i] = self.stamp; self.reads.push(i); }
          return o[i];
        }
        const v = Reflect.get(o, k, o);
        return typeof v === 'function' ? v.bind(o) : v;
      },
      set(o, k, v) {
        if (isIndex(k)) {
          const i = +k;
          if (self.writeMark[i] !== self.stamp) { self.writeMark[i] = self.stamp; self.writes.push(i); }
          o[i] = v;
          return true;
        }
        return Reflect.set(o, k, v, o);
      },
    }) as unknown as StateVector;
  }

  /** Starts a new footprint. */
  begin(): void {
    this.stamp++;
    this.reads = [];
    this.writes = [];
  }

  /** Runs `fn` on a fresh copy of `state`, adding its accesses to the current footprint. */
  run<R>(state: StateVector, fn: (view: StateVector) => R): R {
    this.scratch.set(state);
    return fn(this.view);
  }

  /** Marks field i read without running anything. */
  read(i: number): void {
    if (this.readMark[i] !== this.stamp) { this.readMark[i] = this.stamp; this.reads.push(i); }
  }
}

/** A step's StepContext while it is recorded: a failure ends the step, nothing else. */
const quiet: StepContext = { fail() {} };

const EMPTY: Footprint = { reads: [], writes: [] };

/** What an operation kind may touch besides its thread's own fields. */
interface OpScope {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

export interface ZsmallocFootprints {
  stepFootprint(state: StateVector, thread: number): Footprint;
  futureFootprint(state: StateVector, thread: number): Footprint;
}

export function zsmallocFootprints(m: Machine): ZsmallocFootprints {
  const f = m.f;
  const n = f.fields.length;
  const recorder = new Recorder(n);
  const own = Array.from({ length: m.T }, (_, t) => privateFields(m, t));
  const isPrivate = new Uint8Array(n);
  for (const fs of own) for (const i of fs) isPrivate[i] = 1;
  const shared: number[] = [];
  for (let i = 0; i < n; i++) if (isPrivate[i] === 0) shared.push(i);
  const everyPcAndOp = [...f.tPc, ...f.tOp];
  // Every operation's last step ends it, and entering the next one reads its handle's state
  // (machine.ts enterOp skips uses of a handle whose zs_malloc failed).
  const handleStates = [...f.hState];
  const lockFields = (xs: readonly number[]) => xs.filter((i) => i >= 0);

  const everything: OpScope = { reads: shared, writes: shared };
  const scopes: Record<OpKind, OpScope> = {
    malloc: everything,
    free: everything,
    migrate: everything,
    async_free: everything,
    // zs_compact polls rwlock_is_contended(&pool->lock): it reads where every thread is.
    compact: { reads: [...shared, ...everyPcAndOp], writes: shared },
    // flush_work reads whether the free_work thread is running.
    destroy_pool: { reads: [...shared, ...everyPcAndOp], writes: shared },
    // zs_shrinker_count (shrinker.ts): two unlocked loads of the class stats per class.
    shrinker_count: { reads: [...f.classAllocated, ...f.classInuse, ...handleStates], writes: [] },
    // zs_obj_read_begin/end, zs_obj_write, zs_map_object/zs_unmap_object (access.ts): the pool
    // and zspage read locks (legacy: the handle's pin and the migrate read lock), the handle
    // word, the object's pages and zspage; writes only the locks, and the payload on a write.
    read: objectAccess(false),
    write: objectAccess(true),
  };

  function objectAccess(writes: boolean): OpScope {
    const locks = lockFields([f.poolReaders, ...f.zslCnt, ...f.zslReaders, ...f.hPin]);
    const reads = lockFields([
      f.poolWriter, f.poolReaders, ...f.zslCnt, ...f.zslReaders, ...f.zslWriter, ...f.hPin, ...f.hObj, ...f.hState, ...f.hPayload,
      ...f.zMagic, ...f.zClass, ...f.zFirst, ...f.zHuge, ...f.pBuddy, ...f.pZspage, ...f.pNext, ...f.pHandle, ...f.pHdr.flat(), ...f.pData.flat(),
    ]);
    return { reads, writes: writes ? [...locks, ...f.pData.flat(), ...f.hPayload] : locks };
  }

  // The future of thread t depends only on t and the operation it is in (pc DONE: nothing).
  const futures = new Map<number, Footprint>();
  function futureOf(t: number, opIndex: number): Footprint {
    const key = t * 1024 + opIndex;
    const hit = futures.get(key);
    if (hit !== undefined) return hit;
    const r = new Uint8Array(n);
    const w = new Uint8Array(n);
    for (const i of own[t]) { r[i] = 1; w[i] = 1; }
    const ops = m.programs[t];
    for (let k = opIndex; k < ops.length; k++) {
      const sc = scopes[ops[k].kind];
      for (const i of sc.reads) r[i] = 1;
      for (const i of sc.writes) { r[i] = 1; w[i] = 1; }
    }
    const fp: Footprint = { reads: indices(r), writes: indices(w) };
    futures.set(key, fp);
    return fp;
  }

  return {
    stepFootprint(state, t) {
      const pc = state[f.tPc[t]];
      recorder.begin();
      recorder.read(f.tPc[t]);
      if (pc === m.DONE) return { reads: recorder.reads, writes: [] };
      const st = m.stepTable[pc];
      const enabled = st.enabled === undefined || recorder.run(state, (v) => st.enabled!(m, v, t));
      if (enabled) {
        const choices = st.choices === undefined ? 1 : recorder.run(state, (v) => st.choices!(m, v, t));
        for (let c = 0; c < choices; c++) recorder.run(state, (v) => st.run(m, v, t, c, quiet));
      }
      return { reads: recorder.reads, writes: recorder.writes };
    },
    futureFootprint(state, t) {
      if (state[f.tPc[t]] === m.DONE) return EMPTY;
      return futureOf(t, state[f.tOp[t]]);
    },
  };
}

function indices(mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) out.push(i);
  return out;
}
