import type { StateVector, StepContext, ActionSink, Action } from '../../explorer/system.js';
import type { Design } from './designs.js';
import type { MutationId } from './mutations/ids.js';
import type { ProtocolOptions } from './memdesc/options.js';
import { resolveZspageLayout, type ZspageLayout, type ZspageMember } from './memdesc/zspage-layout.js';
import { match } from 'ts-pattern';
import { zspageLockCompiledOut, type ModelConfig } from './config.js';
import { clearNode, headNode, listAdd, listDel, listHeads, zNode } from './lists.js';
import { Fields, handleName, HANDLE_LIVE, ZSPAGE_MAGIC } from './fields.js';
import type { Op, ThreadProgram } from './program.js';
import {
  fullnessGroup, isHuge, objChainIndex, objOffset, objsPerZspage, OBJ_IDX_SPAN,
  type PoolShape,
} from './shape.js';
import { V } from './violations.js';

/** One atomic step of a kernel function (§2.7). `label` is `function:step`. */
export interface StepDef {
  readonly label: string;
  /** Designs the step exists in (all when absent). */
  readonly designs?: readonly Design[];
  /** False when the step is blocked (a lock that is held, a worker with nothing to do). */
  enabled?(m: Machine, s: StateVector, t: number): boolean;
  /** The kernel code of this step may sleep (folio_lock, wait_on_page_locked, wait_event,
   *  flush_work): it must not run under a spinning lock. */
  readonly sleeps?: boolean | ((m: Machine) => boolean);
  /** Nondeterministic choices (a single choice 0 when absent). */
  choices?(m: Machine, s: StateVector, t: number): number;
  run(m: Machine, s: StateVector, t: number, choice: number, ctx: StepContext): void;
}

export interface MachineSpec {
  readonly design: Design;
  readonly pool: PoolShape;
  readonly threads: readonly ThreadProgram[];
  /** Operations run to completion, one thread, before exploration (builds the initial pool). */
  readonly setup: readonly Op[];
  readonly mutations: ReadonlySet<MutationId>;
  readonly protocol: ProtocolOptions;
  readonly config: ModelConfig;
  readonly steps: readonly StepDef[];
  /** Entry step label of each operation kind, per design. */
  readonly entry: (op: Op, design: Design) => string;
}

/** Header encodings (§1.2): allocated = handle<<1 | OBJ_ALLOCATED_TAG; free = next index, shifted.
 *  0 means "never written" (fresh page). */
export function hdrAllocated(h: number): number { return 2 * h + 1; }
export function hdrFree(next: number): number { return 2 * (next + 2); }
export function hdrIsAllocated(v: number): boolean { return (v & 1) === 1; }
export function hdrHandle(v: number): number { return (v - 1) >> 1; }
export function hdrNext(v: number): number { return (v >> 1) - 2; }

export function encodeObj(pfn: number, idx: number): number { return pfn * OBJ_IDX_SPAN + idx; }
export function objPfn(obj: number): number { return Math.floor(obj / OBJ_IDX_SPAN); }
export function objIdx(obj: number): number { return obj % OBJ_IDX_SPAN; }

/**
 * The zsmalloc machine: state layout, the step table, and the shared kernel helpers
 * (page allocator, lists, obj_malloc/obj_free, lock and refcount operations with the design's
 * redirection). Steps in steps/ are written against these helpers.
 */
export class Machine {
  readonly design: Design;
  readonly pool: PoolShape;
  readonly f: Fields;
  readonly labels: string[];
  readonly labelId = new Map<string, number>();
  readonly stepTable: StepDef[];
  readonly DONE: number;
  readonly programs: readonly (readonly Op[])[];
  private setupOps: readonly Op[] | null = null;
  readonly threadNames: readonly string[];
  readonly N: number;
  readonly K: number;
  readonly T: number;

  constructor(readonly spec: MachineSpec) {
    this.design = spec.design;
    this.pool = spec.pool;
    this.stepTable = spec.steps.filter((st) => !st.designs || st.designs.includes(spec.design));
    this.labels = this.stepTable.map((st) => st.label);
    this.labels.forEach((l, i) => {
      if (this.labelId.has(l)) throw new Error(`duplicate step label ${l}`);
      this.labelId.set(l, i);
    });
    this.DONE = this.labels.length;
    this.programs = spec.threads.map((th) => th.ops);
    this.threadNames = spec.threads.map((th) => th.name);
    const maxOps = Math.max(spec.setup.length, ...this.programs.map((p) => p.length));
    this.zspageLayout = spec.design === 'memdesc' ? resolveZspageLayout(spec.protocol.zspageLayout) : null;
    this.f = new Fields(spec.design, spec.pool, this.threadNames, this.labels.length, maxOps,
      this.zspageLayout ? { lockBit: this.zspageLayout.lockBit, refcount: this.zspageLayout.refcount } : {},
      spec.config.lists === 'list_head');
    this.aliasLock = this.zspageLayout && this.zspageLayout.lockBit !== 'flags' ? this.memberFields(this.zspageLayout.lockBit) : null;
    this.aliasRef = this.zspageLayout && this.zspageLayout.refcount !== '_refcount' ? this.memberFields(this.zspageLayout.refcount) : null;
    this.N = spec.pool.pageFrames;
    this.K = spec.pool.zspageSlots;
    this.T = spec.threads.length;
    const classes = spec.pool.classes.length;
    this.objsOf = Int32Array.from({ length: classes }, (_, c) => objsPerZspage(spec.pool, c));
    this.hugeOf = Uint8Array.from({ length: classes }, (_, c) => (isHuge(spec.pool, c) ? 1 : 0));
    this.objPageOf = Int32Array.from({ length: classes * OBJ_IDX_SPAN }, (_, j) => objChainIndex(spec.pool, Math.floor(j / OBJ_IDX_SPAN), j % OBJ_IDX_SPAN));
    this.objUnitOf = Int32Array.from({ length: classes * OBJ_IDX_SPAN }, (_, j) => objOffset(spec.pool, Math.floor(j / OBJ_IDX_SPAN), j % OBJ_IDX_SPAN));
    const f = this.f;
    this.localFields = [f.tZ, f.tC, f.tP, f.tQ, f.tR, f.tI, f.tObj, f.tH, f.tRet, f.tW];
    for (const ops of this.programs) this.entryIds.set(ops, Int32Array.from(ops, (op) => this.id(spec.entry(op, spec.design))));
    this.pageFrames = Array.from({ length: this.N }, (_, p) => p);
    this.runOf = this.stepTable.map((st) => st.run);
    this.enabledOf = this.stepTable.map((st) => st.enabled ?? null);
    this.choicesOf = this.stepTable.map((st) => st.choices ?? null);
  }

  /** Every page frame, 0 .. N-1 (a migration op without `pages` may pick any). */
  readonly pageFrames: readonly number[];
  /** The step table's functions by label id, for `actions` and `apply` (once per state and per
   *  transition). The step definitions are object literals of many shapes (each has the
   *  optional members it needs), so reading `.run` or `.enabled` off them is a megamorphic
   *  property load; an array of functions is one element load. */
  private readonly runOf: readonly StepDef['run'][];
  private readonly enabledOf: readonly (NonNullable<StepDef['enabled']> | null)[];
  private readonly choicesOf: readonly (NonNullable<StepDef['choices']> | null)[];

  /** The per-thread locals an operation's end drops (all but the folio pointers). */
  private readonly localFields: readonly (readonly number[])[];
  /** Per thread program, the label id of each op's first step. */
  private readonly entryIds = new Map<readonly Op[], Int32Array>();

  /** memdesc: where the generic core's struct page offsets land in struct zspage. */
  readonly zspageLayout: ZspageLayout | null;
  private readonly aliasLock: readonly number[] | null;
  private readonly aliasRef: readonly number[] | null;

  /** The per-zspage field of a tracked struct zspage member. */
  private memberFields(m: ZspageMember): readonly number[] {
    const f = this.f;
    return match(m)
      .with('flags', () => f.zLocked)
      .with('_refcount', () => f.zRefcount)
      .with('mapping', () => f.zMapping)
      .with('huge', () => f.zHuge)
      .with('fullness', () => f.zFullness)
      .with('class', () => f.zClass)
      .with('magic', () => f.zMagic)
      .with('inuse', () => f.zInuse)
      .with('freeobj', () => f.zFreeobj)
      .with('zsl.cnt', () => f.zslCnt)
      .exhaustive();
  }

  has(m: MutationId): boolean { return this.spec.mutations.has(m); }
  get protocol(): ProtocolOptions { return this.spec.protocol; }
  get config(): ModelConfig { return this.spec.config; }
  /** The per-zspage lock is a no-op in this build (see config.ts zspageLockCompiledOut). */
  get zspageLockNoop(): boolean { return zspageLockCompiledOut(this.design, this.spec.config, this.has('A7')); }

  // ---- control flow -------------------------------------------------------------------------

  id(label: string): number {
    const i = this.labelId.get(label);
    if (i === undefined) throw new Error(`step ${label} does not exist in design ${this.design}`);
    return i;
  }
  op(s: StateVector, t: number): Op {
    const ops = this.setupOps && t === 0 ? this.setupOps : this.programs[t];
    return ops[s[this.f.tOp[t]]];
  }
  goto(s: StateVector, t: number, label: string): void { s[this.f.tPc[t]] = this.id(label); }
  /** Calls a shared subroutine (trylock_zspage, __free_zspage, ...) returning to `ret`. */
  call(s: StateVector, t: number, label: string, ret: string): void {
    s[this.f.tRet[t]] = this.id(ret);
    this.goto(s, t, label);
  }
  ret(s: StateVector, t: number): void {
    const r = s[this.f.tRet[t]];
    s[this.f.tRet[t]] = -1;
    s[this.f.tPc[t]] = r;
  }
  pcLabel(s: StateVector, t: number): string | undefined { return this.labels[s[this.f.tPc[t]]]; }

  private resetLocals(s: StateVector, t: number): void {
    const f = this.f;
    const locals = this.localFields;
    for (let k = 0; k < locals.length; k++) s[locals[k][t]] = -1;
    if (f.tSrcFolio[t] >= 0) { s[f.tSrcFolio[t]] = -1; s[f.tDstFolio[t]] = -1; }
  }
  /** Ends the current operation: locals are dropped (they die with the C function's frame). */
  endOp(s: StateVector, t: number): void {
    this.resetLocals(s, t);
    const ops = this.setupOps && t === 0 ? this.setupOps : this.programs[t];
    this.enterOp(s, t, ops, s[this.f.tOp[t]] + 1);
  }
  private startProgram(s: StateVector, t: number, ops: readonly Op[]): void {
    this.resetLocals(s, t);
    this.enterOp(s, t, ops, 0);
  }
  /** Enters op `i`, skipping uses of a handle whose zs_malloc failed (the caller checks the
   *  return value, so it never frees or maps an error handle). */
  private enterOp(s: StateVector, t: number, ops: readonly Op[], i: number): void {
    while (i < ops.length) {
      const op = ops[i];
      const usesHandle = op.kind === 'free' || op.kind === 'read' || op.kind === 'write';
      if (!usesHandle || s[this.f.hState[op.handle]] === HANDLE_LIVE) break;
      i++;
    }
    s[this.f.tOp[t]] = i;
    s[this.f.tPc[t]] = i < ops.length ? this.entryId(ops, i) : this.DONE;
  }
  /** The label id of op i's first step: for the threads' programs from tables built once (a
   *  thread enters an op on every step that ends one), else (the setup) asked of the spec. */
  private entryId(ops: readonly Op[], i: number): number {
    const ids = this.entryIds.get(ops);
    return ids !== undefined ? ids[i] : this.id(this.spec.entry(ops[i], this.design));
  }

  // ---- the transition system ----------------------------------------------------------------

  /** Boot state: every page frame free in the buddy, no zspage, no handle; then the setup ops. */
  initialState(): StateVector {
    const f = this.f;
    const s = new Int32Array(f.fields.length);
    f.fields.forEach((fd, i) => { s[i] = Math.max(fd.min, Math.min(0, fd.max)); });
    for (let p = 0; p < this.N; p++) {
      s[f.pBuddy[p]] = 1; s[f.pZspage[p]] = -1; s[f.pNext[p]] = -1;
    }
    for (let z = 0; z < this.K; z++) { s[f.zFreeobj[z]] = -1; s[f.zFirst[z]] = -1; s[f.zList[z]] = -1; }
    for (let h = 0; h < this.pool.handles; h++) s[f.hObj[h]] = -1;
    for (let t = 0; t < this.T; t++) this.resetLocals(s, t);
    if (this.spec.setup.length > 0) {
      if (this.T === 0) throw new Error('a setup needs at least one thread');
      this.setupOps = this.spec.setup;
      this.startProgram(s, 0, this.spec.setup);
      const ctx = { fail: (inv: string, msg: string) => { throw new Error(`setup violates ${inv}: ${msg}`); } };
      let guard = 0;
      while (s[f.tPc[0]] !== this.DONE) {
        const st = this.stepTable[s[f.tPc[0]]];
        if (st.enabled && !st.enabled(this, s, 0)) throw new Error(`setup blocked at ${st.label}`);
        st.run(this, s, 0, 0, ctx);
        if (++guard > 10000) throw new Error('setup does not terminate');
      }
      this.setupOps = null;
    }
    for (let t = 0; t < this.T; t++) this.startProgram(s, t, this.programs[t]);
    return s;
  }

  actions(s: StateVector, sink: ActionSink): void {
    for (let t = 0; t < this.T; t++) {
      const pc = s[this.f.tPc[t]];
      if (pc === this.DONE) continue;
      const enabled = this.enabledOf[pc];
      if (enabled !== null && !enabled(this, s, t)) continue;
      const choices = this.choicesOf[pc];
      const n = choices !== null ? choices(this, s, t) : 1;
      for (let c = 0; c < n; c++) sink.push(t, pc, c);
    }
  }

  apply(_s: StateVector, a: Action, next: StateVector, ctx: StepContext): void {
    this.runOf[a.label](this, next, a.thread, a.choice, ctx);
  }

  threadDone(s: StateVector, t: number): boolean {
    const pc = s[this.f.tPc[t]];
    if (pc === this.DONE) return true;
    // An idle free_work worker with nothing scheduled is done: the work item never runs.
    return this.labels[pc] === 'async_free_zspage:start' && s[this.f.freeWork] === 0;
  }

  /** Every field `locksHeld` reads, each with how it records a holder: an owner field holds
   *  `thread + 1`, a reader set has bit `thread`. One entry per lock name of `locksHeld`, so a
   *  thread holds a lock it did not hold before iff one of these fields changed that way. */
  lockFields(): { readonly field: number; readonly readerBits: boolean }[] {
    const f = this.f;
    const owners = [...(f.poolWriter >= 0 ? [f.poolWriter] : []), ...f.classLock, ...f.zslWriter, ...f.zLocked, ...f.pLocked, ...f.hPin];
    const readers = [...(f.poolWriter >= 0 ? [f.poolReaders] : []), ...f.zslReaders];
    return [
      ...owners.filter((i) => i >= 0).map((field) => ({ field, readerBits: false })),
      ...readers.filter((i) => i >= 0).map((field) => ({ field, readerBits: true })),
    ];
  }

  /** Every lock record, in the order `locksHeld` lists them: its name, its field, and
   *  whether the field is a reader set (bit `thread`) rather than an owner (`thread + 1`). */
  lockRecords(): readonly { readonly name: string; readonly field: number; readonly readerBits: boolean }[] {
    const f = this.f;
    const out: { name: string; field: number; readerBits: boolean }[] = [];
    const owner = (name: string, field: number) => { if (field >= 0) out.push({ name, field, readerBits: false }); };
    if (f.poolWriter >= 0) {
      owner('pool.lock (write)', f.poolWriter);
      out.push({ name: 'pool.lock (read)', field: f.poolReaders, readerBits: true });
    }
    f.classLock.forEach((l, c) => owner(`class[${c}].lock`, l));
    const zl = this.design === 'legacy' ? 'lock' : 'zsl';
    for (let z = 0; z < this.K; z++) {
      owner(`zspage[${z}].${zl} (write)`, f.zslWriter[z]);
      out.push({ name: `zspage[${z}].${zl} (read)`, field: f.zslReaders[z], readerBits: true });
      owner(`zspage[${z}].flags.PG_locked`, f.zLocked[z]);
    }
    for (let p = 0; p < this.N; p++) owner(`page[${p}].flags.PG_locked`, f.pLocked[p]);
    f.hPin.forEach((pin, h) => owner(`handle[${handleName(h)}].HANDLE_PIN_BIT`, pin));
    return out;
  }
  private lockRecordList: ReturnType<Machine['lockRecords']> | null = null;

  locksHeld(s: StateVector, t: number): string[] {
    this.lockRecordList ??= this.lockRecords();
    const out: string[] = [];
    for (const r of this.lockRecordList) {
      if (r.readerBits ? (s[r.field] & (1 << t)) !== 0 : s[r.field] === t + 1) out.push(r.name);
    }
    return out;
  }

  // ---- use-after-free guards ----------------------------------------------------------------

  /** get_zspage(): any access to a freed zspage is a use-after-free (§5 inv. 23; magic BUG()). */
  touchZ(s: StateVector, z: number, ctx: StepContext, what: string): boolean {
    if (z < 0 || s[this.f.zMagic[z]] !== ZSPAGE_MAGIC) {
      // A link that is already cleared (-1) reads as "no zspage", never as an index.
      ctx.fail(V.zspageUseAfterFree, z < 0 ? `${what} follows a zspage link that is already cleared (no zspage)` : `${what} touches zspage[${z}], which is freed`);
      return false;
    }
    return true;
  }
  touchPage(s: StateVector, p: number, ctx: StepContext, what: string): boolean {
    if (p < 0 || s[this.f.pBuddy[p]] === 1) {
      ctx.fail(V.pageUseAfterFree, p < 0 ? `${what} follows a page link that is already cleared (no page)` : `${what} touches page[${p}], which is free in the buddy allocator`);
      return false;
    }
    return true;
  }

  // ---- folios: what generic mm code locks and refcounts -------------------------------------

  /** page_folio(p) as an identity: a page is its own folio, except a memdesc zsmalloc page,
   *  whose one word names its zspage (folio ids N.. are zspages). */
  folioOf(s: StateVector, p: number): number {
    if (this.design === 'memdesc') {
      const z = s[this.f.pZspage[p]];
      if (z >= 0) return this.N + z;
    }
    return p;
  }
  folioName(fo: number): string { return fo < this.N ? `page[${fo}]` : `zspage[${fo - this.N}]`; }
  private lockField(fo: number): number { return fo < this.N ? this.f.pLocked[fo] : this.f.zLocked[fo - this.N]; }
  /** The word a `_refcount` access lands on. Generic mm code (the migration core) reaches a
   *  memdesc zspage through struct page offsets: with the 6.18 `struct zspage`, offset 52 is
   *  `zsl.cnt` (§6.2), so its get/put moves the zspage lock's reader count. */
  private refField(fo: number, generic = false): number {
    if (fo < this.N) return this.f.pRefcount[fo];
    const z = fo - this.N;
    return generic && this.aliasRef ? this.aliasRef[z] : this.f.zRefcount[z];
  }
  /** With a layout that puts another member under the flags word (6.18: the bitfield word, so
   *  PG_locked is the `huge` bit), a generic PG_locked store sets or clears that member's bit 0. */
  private lockAlias(s: StateVector, fo: number, generic: boolean, v: number): void {
    if (!generic || fo < this.N || !this.aliasLock) return;
    const f = this.aliasLock[fo - this.N];
    s[f] = v ? s[f] | 1 : s[f] & ~1;
  }

  folioLocked(s: StateVector, fo: number): boolean { return s[this.lockField(fo)] !== 0; }
  folioLockOwner(s: StateVector, fo: number): number { return s[this.lockField(fo)]; }
  trylockFolio(s: StateVector, fo: number, t: number, generic = false): boolean {
    const l = this.lockField(fo);
    if (s[l] !== 0) return false;
    s[l] = t + 1;
    this.lockAlias(s, fo, generic, 1);
    return true;
  }
  unlockFolio(s: StateVector, fo: number, t: number, ctx: StepContext, what: string, generic = false): void {
    this.lockAlias(s, fo, generic, 0);
    const l = this.lockField(fo);
    if (s[l] !== t + 1) {
      ctx.fail(V.lockOwnerUnlock, `${what}: ${this.threadNames[t]} unlocks ${this.folioName(fo)}.flags.PG_locked, ` +
        (s[l] === 0 ? 'which is not locked' : `which ${this.threadNames[s[l] - 1]} holds`));
    }
    s[l] = 0;
  }
  folioRef(s: StateVector, fo: number): number { return s[this.refField(fo)]; }
  getFolio(s: StateVector, fo: number, generic = false): void { s[this.refField(fo, generic)]++; }
  /** get_page_unless_zero / folio_try_get. */
  tryGetFolio(s: StateVector, fo: number, generic = false): boolean {
    const r = this.refField(fo, generic);
    if (s[r] === 0) return false;
    s[r]++;
    return true;
  }
  /** folio_put. A page whose count reaches 0 goes back to the buddy allocator (§3); a memdesc
   *  zspage descriptor reaching 0 is freed (§6.3.8); a page that is a memdesc tail has no
   *  count of its own and is never freed by a put. */
  putFolio(s: StateVector, fo: number, ctx: StepContext, what: string, generic = false): void {
    const r = this.refField(fo, generic);
    if (s[r] <= 0) {
      ctx.fail(V.refcountNonNegative, `${what}: put of ${this.folioName(fo)} with _refcount ${s[r]}`);
      return;
    }
    s[r]--;
    if (s[r] !== 0) return;
    if (fo < this.N) {
      if (this.design !== 'memdesc' || s[this.f.pZspage[fo]] < 0) this.freePageToBuddy(s, fo, ctx, what);
    } else {
      this.cacheFreeZspage(s, fo - this.N, ctx, what);
    }
  }

  // ---- page allocator -----------------------------------------------------------------------

  /** alloc_pages(): the lowest free frame (deterministic pick; the buddy's order is not modelled). */
  allocPage(s: StateVector, nth = 0): number {
    let seen = 0;
    for (let p = 0; p < this.N; p++) {
      if (s[this.f.pBuddy[p]] === 1 && seen++ === nth) {
        s[this.f.pBuddy[p]] = 0;
        s[this.f.pRefcount[p]] = 1;
        return p;
      }
    }
    return -1;
  }
  /** __free_pages to the buddy. Invariant 7: unlocked, PagePrivate clear, off every chain, not
   *  isolated, no live obj encodes its PFN. Stale contents are cleared (not modelled). */
  freePageToBuddy(s: StateVector, p: number, ctx: StepContext, what: string): void {
    const f = this.f;
    const bad: string[] = [];
    if (s[f.pBuddy[p]] === 1) bad.push('it is already free');
    if (s[f.pLocked[p]] !== 0) bad.push('PG_locked is set');
    if (s[f.pPrivate[p]] !== 0) bad.push('PG_private is set');
    if (s[f.pIsolated[p]] !== 0) bad.push('it is still isolated');
    if (s[f.pZspage[p]] >= 0 && s[f.zMagic[s[f.pZspage[p]]]] === ZSPAGE_MAGIC) bad.push(`it still belongs to zspage[${s[f.pZspage[p]]}]`);
    for (let h = 0; h < this.pool.handles; h++) {
      if (s[f.hState[h]] === HANDLE_LIVE && s[f.hObj[h]] >= 0 && objPfn(s[f.hObj[h]]) === p) {
        bad.push(`handle[${handleName(h)}].obj still encodes its PFN`);
      }
    }
    if (bad.length > 0) ctx.fail(V.pageFreeClean, `${what} frees page[${p}] to the buddy allocator but ${bad.join(', ')}`);
    s[f.pBuddy[p]] = 1;
    s[f.pRefcount[p]] = 0;
    s[f.pLocked[p]] = 0;
    s[f.pPrivate[p]] = 0;
    s[f.pMovable[p]] = 0;
    s[f.pIsolated[p]] = 0;
    s[f.pZspage[p]] = -1;
    s[f.pNext[p]] = -1;
    s[f.pFirstObjOffset[p]] = 0;
    if (f.pPageType[p] >= 0) s[f.pPageType[p]] = 0; // the buddy allocator clears the page type
    s[f.pHandle[p]] = 0;
    for (const a of f.pHdr[p]) s[a] = 0;
    for (const a of f.pData[p]) s[a] = 0;
  }

  // ---- zspages ------------------------------------------------------------------------------

  classOf(s: StateVector, z: number): number { return s[this.f.zClass[z]]; }
  objs(c: number): number { return this.objsOf[c]; }
  /** Per class, the shape helpers' answers (shape.ts) as tables: objects per zspage, huge, and
   *  per object index below OBJ_IDX_SPAN the chain page and unit its header is in. The
   *  invariants ask them for every object of every new state. */
  private readonly objsOf: Int32Array;
  /** isHuge(pool, c). */
  huge(c: number): boolean { return this.hugeOf[c] === 1; }
  /** objChainIndex(pool, c, idx): the chain page object idx starts in. */
  objPage(c: number, idx: number): number {
    return idx >= 0 && idx < OBJ_IDX_SPAN ? this.objPageOf[c * OBJ_IDX_SPAN + idx] : objChainIndex(this.pool, c, idx);
  }
  /** objOffset(pool, c, idx): the unit of that page its header is in. */
  objUnit(c: number, idx: number): number {
    return idx >= 0 && idx < OBJ_IDX_SPAN ? this.objUnitOf[c * OBJ_IDX_SPAN + idx] : objOffset(this.pool, c, idx);
  }
  private readonly hugeOf: Uint8Array;
  private readonly objPageOf: Int32Array;
  private readonly objUnitOf: Int32Array;
  chain(s: StateVector, z: number): number[] {
    const buf = this.chainBuf;
    const n = this.chainInto(s, z, buf);
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(buf[k]);
    return out;
  }
  /** `chain`'s walk, kept an Int32Array so that chainInto only ever sees one kind of buffer
   *  (the invariants call it on every new state; a second kind made the store polymorphic). */
  private readonly chainBuf = new Int32Array(5);
  /** `chain` without allocating, for checks that run on every state: the pages into `out`
   *  from `at` (room for 5; a corrupted chain stops after 5 pages), returns how many. */
  chainInto(s: StateVector, z: number, out: Int32Array, at = 0): number {
    let n = 0;
    let p = s[this.f.zFirst[z]];
    while (p >= 0 && n <= 4) { out[at + n++] = p; p = s[this.f.pNext[p]]; }
    return n;
  }
  chainPage(s: StateVector, z: number, k: number): number {
    let p = s[this.f.zFirst[z]];
    for (let i = 0; i < k && p >= 0; i++) p = s[this.f.pNext[p]];
    return p;
  }
  /** cache_free_zspage: the descriptor goes back to the slab (ghost: magic cleared). */
  cacheFreeZspage(s: StateVector, z: number, ctx: StepContext, what: string): void {
    const f = this.f;
    if (s[f.zMagic[z]] !== ZSPAGE_MAGIC) ctx.fail(V.zspageUseAfterFree, `${what} frees zspage[${z}] twice`);
    s[f.zMagic[z]] = 0; s[f.zHuge[z]] = 0; s[f.zFullness[z]] = 0; s[f.zClass[z]] = 0;
    if (f.zIsolated[z] >= 0) s[f.zIsolated[z]] = 0;
    s[f.zInuse[z]] = 0; s[f.zFreeobj[z]] = -1; s[f.zFirst[z]] = -1; s[f.zList[z]] = -1;
    clearNode(this, s, z);
    s[f.zslCnt[z]] = 0; s[f.zslWriter[z]] = 0; s[f.zslReaders[z]] = 0;
    if (f.zLocked[z] >= 0) { s[f.zLocked[z]] = 0; s[f.zRefcount[z]] = 0; s[f.zMapping[z]] = 0; }
  }
  fg(s: StateVector, z: number): number {
    return fullnessGroup(this.design, s[this.f.zInuse[z]], this.objs(this.classOf(s, z)));
  }
  insertZspage(s: StateVector, c: number, z: number, fg: number): void {
    if (listHeads(this)) listAdd(this, s, zNode(z), headNode(this, c, fg));
    s[this.f.classStat[c][fg]]++;
    s[this.f.zList[z]] = fg;
    s[this.f.zFullness[z]] = fg;
  }
  removeZspage(s: StateVector, c: number, z: number): void {
    const l = s[this.f.zList[z]];
    if (listHeads(this)) listDel(this, s, zNode(z), true);
    if (l >= 0) s[this.f.classStat[c][l]]--;
    s[this.f.zList[z]] = -1;
  }
  /** fix_fullness_group(). Legacy (E2) leaves an isolated zspage off its list, only the field. */
  fixFullness(s: StateVector, c: number, z: number): number {
    const fg = this.fg(s, z);
    if (this.design === 'legacy' && s[this.f.zIsolated[z]] > 0) {
      s[this.f.zFullness[z]] = fg;
      return fg;
    }
    if (s[this.f.zList[z]] === fg && s[this.f.zFullness[z]] === fg) return fg;
    if (s[this.f.zList[z]] >= 0) this.removeZspage(s, c, z);
    this.insertZspage(s, c, z, fg);
    return fg;
  }
  /** putback_zspage(): compute and insert. */
  putbackZspage(s: StateVector, c: number, z: number): number {
    const fg = this.fg(s, z);
    this.insertZspage(s, c, z, fg);
    return fg;
  }
  // ---- objects ------------------------------------------------------------------------------

  /** The (page, unit) cells of object idx of zspage z, header cell first. */
  objCells(s: StateVector, z: number, idx: number): Array<[number, number]> {
    const c = this.classOf(s, z);
    const U = this.pool.pageUnits;
    const size = this.pool.classes[c].size;
    let p = this.chainPage(s, z, objChainIndex(this.pool, c, idx));
    let off = objOffset(this.pool, c, idx);
    const cells: Array<[number, number]> = [];
    for (let i = 0; i < size; i++) {
      if (off === U) { p = p >= 0 ? s[this.f.pNext[p]] : -1; off = 0; }
      cells.push([p, off]);
      off++;
    }
    return cells;
  }
  /** obj_malloc(): take freeobj, write the header (huge: first page's handle), inuse++,
   *  record_obj(h, obj). Returns obj. */
  objMalloc(s: StateVector, z: number, h: number): number {
    const f = this.f;
    const c = this.classOf(s, z);
    const idx = s[f.zFreeobj[z]];
    const cells = this.objCells(s, z, idx);
    const [p, u] = cells[0];
    if (isHuge(this.pool, c)) {
      s[f.zFreeobj[z]] = -1;
      s[f.pHandle[p]] = h + 1;
    } else {
      s[f.zFreeobj[z]] = hdrNext(s[f.pHdr[p][u]]);
      s[f.pHdr[p][u]] = hdrAllocated(h);
    }
    s[f.zInuse[z]]++;
    const obj = encodeObj(p, idx);
    this.recordObj(s, h, obj);
    return obj;
  }
  /** record_obj(): a plain store of the whole handle word. In legacy the word also carries
   *  HANDLE_PIN_BIT; the A1 fix keeps the current pin, the A1 mutation's store clears it. */
  recordObj(s: StateVector, h: number, obj: number): void {
    s[this.f.hObj[h]] = obj;
    if (this.design === 'legacy' && this.has('A1')) s[this.f.hPin[h]] = 0;
  }
  /** obj_allocated(): the handle stored for object idx, or -1. */
  objHandle(s: StateVector, z: number, idx: number): number {
    const c = this.classOf(s, z);
    // The header cell, objCells(s, z, idx)[0], without building the object's cell list
    // (invariants call this for every object of every new state).
    let p = this.chainPage(s, z, this.objPage(c, idx));
    let u = this.objUnit(c, idx);
    if (u === this.pool.pageUnits) { p = p >= 0 ? s[this.f.pNext[p]] : -1; u = 0; }
    if (p < 0) return -1;
    if (this.hugeOf[c] === 1) return s[this.f.pHandle[p]] - 1;
    const v = s[this.f.pHdr[p][u]];
    return hdrIsAllocated(v) ? hdrHandle(v) : -1;
  }
  /** The zspage an obj resolves to: pfn_to_page(obj) -> zspage link. */
  objZspage(s: StateVector, obj: number): number {
    return s[this.f.pZspage[objPfn(obj)]];
  }

  // ---- locks --------------------------------------------------------------------------------

  classLockFree(s: StateVector, c: number): boolean { return s[this.f.classLock[c]] === 0; }
  lockClass(s: StateVector, c: number, t: number): void { s[this.f.classLock[c]] = t + 1; }
  unlockClass(s: StateVector, c: number, t: number, ctx: StepContext, what: string): void {
    if (s[this.f.classLock[c]] !== t + 1) ctx.fail(V.lockOwnerUnlock, `${what}: class[${c}].lock is not held by ${this.threadNames[t]}`);
    s[this.f.classLock[c]] = 0;
  }
  poolReadable(s: StateVector): boolean { return s[this.f.poolWriter] === 0; }
  poolWritable(s: StateVector): boolean { return s[this.f.poolWriter] === 0 && s[this.f.poolReaders] === 0; }
  readLockPool(s: StateVector, t: number): void { s[this.f.poolReaders] |= 1 << t; }
  readUnlockPool(s: StateVector, t: number, ctx: StepContext, what: string): void {
    if (!(s[this.f.poolReaders] & (1 << t))) ctx.fail(V.lockOwnerUnlock, `${what}: pool.lock is not read-held by ${this.threadNames[t]}`);
    s[this.f.poolReaders] &= ~(1 << t);
  }
  writeLockPool(s: StateVector, t: number): void { s[this.f.poolWriter] = t + 1; }
  writeUnlockPool(s: StateVector, t: number, ctx: StepContext, what: string): void {
    if (s[this.f.poolWriter] !== t + 1) ctx.fail(V.lockOwnerUnlock, `${what}: pool.lock is not write-held by ${this.threadNames[t]}`);
    s[this.f.poolWriter] = 0;
  }
  /** zspage_read_lock (E6 zsl: readers spin while a writer holds zsl.lock; legacy rwlock). */
  zspageReadable(s: StateVector, z: number): boolean { return s[this.f.zslCnt[z]] >= 0; }
  zspageReadLock(s: StateVector, z: number, t: number): void {
    s[this.f.zslCnt[z]]++;
    s[this.f.zslReaders[z]] |= 1 << t;
  }
  zspageReadUnlock(s: StateVector, z: number, t: number, ctx: StepContext, what: string): void {
    if (!(s[this.f.zslReaders[z]] & (1 << t))) ctx.fail(V.lockOwnerUnlock, `${what}: zspage[${z}] lock is not read-held by ${this.threadNames[t]}`);
    s[this.f.zslReaders[z]] &= ~(1 << t);
    s[this.f.zslCnt[z]]--;
  }
  /** zspage_write_trylock: succeeds iff cnt == 0, then cnt = -1 (§4.2). */
  zspageWriteTrylock(s: StateVector, z: number, t: number): boolean {
    if (s[this.f.zslCnt[z]] !== 0) return false;
    s[this.f.zslCnt[z]] = -1;
    s[this.f.zslWriter[z]] = t + 1;
    return true;
  }
  zspageWriteUnlock(s: StateVector, z: number, t: number, ctx: StepContext, what: string): void {
    if (s[this.f.zslWriter[z]] !== t + 1) ctx.fail(V.lockOwnerUnlock, `${what}: zspage[${z}] lock is not write-held by ${this.threadNames[t]}`);
    s[this.f.zslWriter[z]] = 0;
    s[this.f.zslCnt[z]] = 0;
  }

  /** Locals by name, for the steps. */
  get(s: StateVector, local: number[], t: number): number { return s[local[t]]; }
  set(s: StateVector, local: number[], t: number, v: number): void { s[local[t]] = v; }
}


