/**
 * A small step machine shared by the allocator models that are not zsmalloc (zbud, the buddy
 * allocator): bounded fields declared by name, one program counter and operation index per
 * thread, a table of steps each of which is one atomic section of a kernel function (a
 * critical section under a lock, or one unlocked access), and the mapping to the engine's
 * TransitionSystem. The model folders say what the steps do; this file knows no kernel.
 */
import type { FieldKind } from '../../explorer/index.js';
import type {
  Action, ActionSink, Field, StateInvariant, StateVector, StepContext, TerminalProperty, TransitionSystem,
} from '../../explorer/system.js';

/** One atomic step. `label` is `function:step`, as the kernel function is named. */
export interface Step<M> {
  readonly label: string;
  /** Designs the step exists in (all when absent). */
  readonly designs?: readonly string[];
  /** False while the step is blocked (a lock another thread holds). */
  enabled?(m: M, s: StateVector, t: number): boolean;
  /** Number of nondeterministic choices (1 when absent). */
  choices?(m: M, s: StateVector, t: number): number;
  run(m: M, s: StateVector, t: number, choice: number, ctx: StepContext): void;
}

/** A thread's program: operations of the model's own operation type. */
export interface Program<Op> {
  readonly name: string;
  readonly ops: readonly Op[];
}

/** Declares the state vector's fields by name and returns their indices. */
export class FieldTable {
  readonly fields: Field[] = [];
  add(name: string, min: number, max: number, kind?: FieldKind): number {
    if (min > max) throw new Error(`field ${name}: empty range ${min}..${max}`);
    this.fields.push(kind ? { name, min, max, kind } : { name, min, max });
    return this.fields.length - 1;
  }
  index(name: string): number {
    return this.fields.findIndex((f) => f.name === name);
  }
}

export interface ThreadFields {
  readonly pc: number;
  readonly op: number;
}

/**
 * The generic part of a model: threads running programs of operations, each operation a
 * sequence of steps that `goto` each other and `endOp` when the kernel function returns.
 */
export abstract class StepMachine<Op, M extends StepMachine<Op, M>> {
  readonly table = new FieldTable();
  readonly steps: Step<M>[];
  readonly labels: string[];
  private readonly labelIds = new Map<string, number>();
  readonly DONE: number;
  readonly threads: readonly Program<Op>[];
  readonly threadNames: readonly string[];
  readonly T: number;
  readonly tf: ThreadFields[] = [];
  private setupOps: readonly Op[] | null = null;

  constructor(readonly design: string, steps: readonly Step<M>[], threads: readonly Program<Op>[], maxOps: number) {
    this.steps = steps.filter((st) => !st.designs || st.designs.includes(design));
    this.labels = this.steps.map((st) => st.label);
    this.labels.forEach((l, i) => {
      if (this.labelIds.has(l)) throw new Error(`duplicate step label ${l}`);
      this.labelIds.set(l, i);
    });
    this.DONE = this.labels.length;
    this.threads = threads;
    this.threadNames = threads.map((t) => t.name);
    this.T = threads.length;
    const ops = Math.max(maxOps, ...threads.map((t) => t.ops.length));
    // Control fields: the trace view hides them (unless --raw) and shows the step taken instead.
    this.threadNames.forEach((name, t) => {
      this.tf.push({
        pc: this.table.add(`${name}.pc`, 0, this.DONE, { kind: 'control', role: 'pc', thread: t }),
        op: this.table.add(`${name}.op`, 0, ops, { kind: 'control', role: 'op', thread: t }),
      });
    });
  }

  /** The first step of an operation. */
  protected abstract entry(op: Op): string;
  /** Resets the thread's locals when an operation starts or ends (a C function's frame). */
  protected abstract resetLocals(s: StateVector, t: number): void;
  /** The boot state before setup: every field at its declared initial value. */
  protected abstract boot(s: StateVector): void;
  /** Whether the operation is skipped (e.g. it uses a handle whose allocation failed). */
  protected skip(_s: StateVector, _op: Op): boolean { return false; }

  id(label: string): number {
    const i = this.labelIds.get(label);
    if (i === undefined) throw new Error(`step ${label} does not exist in design ${this.design}`);
    return i;
  }
  op(s: StateVector, t: number): Op {
    const ops = this.setupOps && t === 0 ? this.setupOps : this.threads[t].ops;
    return ops[s[this.tf[t].op]];
  }
  goto(s: StateVector, t: number, label: string): void { s[this.tf[t].pc] = this.id(label); }
  pcLabel(s: StateVector, t: number): string | undefined { return this.labels[s[this.tf[t].pc]]; }
  endOp(s: StateVector, t: number): void {
    this.resetLocals(s, t);
    const ops = this.setupOps && t === 0 ? this.setupOps : this.threads[t].ops;
    this.enter(s, t, ops, s[this.tf[t].op] + 1);
  }
  private enter(s: StateVector, t: number, ops: readonly Op[], i: number): void {
    while (i < ops.length && this.skip(s, ops[i])) i++;
    s[this.tf[t].op] = i;
    s[this.tf[t].pc] = i < ops.length ? this.id(this.entry(ops[i])) : this.DONE;
  }

  /** Boot, then `setup` run to completion by thread 0 (the pool the threads start from). */
  initialState(setup: readonly Op[]): StateVector {
    const s = new Int32Array(this.table.fields.length);
    this.table.fields.forEach((f, i) => { s[i] = Math.max(f.min, Math.min(0, f.max)); });
    this.boot(s);
    for (let t = 0; t < this.T; t++) this.resetLocals(s, t);
    if (setup.length > 0) {
      if (this.T === 0) throw new Error('a setup needs at least one thread');
      this.setupOps = setup;
      this.resetLocals(s, 0);
      this.enter(s, 0, setup, 0);
      const ctx = { fail: (inv: string, msg: string) => { throw new Error(`setup violates ${inv}: ${msg}`); } };
      for (let guard = 0; s[this.tf[0].pc] !== this.DONE; guard++) {
        const st = this.steps[s[this.tf[0].pc]];
        if (st.enabled && !st.enabled(this as unknown as M, s, 0)) throw new Error(`setup blocked at ${st.label}`);
        st.run(this as unknown as M, s, 0, 0, ctx);
        if (guard > 10_000) throw new Error('setup does not terminate');
      }
      this.setupOps = null;
    }
    for (let t = 0; t < this.T; t++) {
      this.resetLocals(s, t);
      this.enter(s, t, this.threads[t].ops, 0);
    }
    return s;
  }

  actions(s: StateVector, sink: ActionSink): void {
    for (let t = 0; t < this.T; t++) {
      const pc = s[this.tf[t].pc];
      if (pc === this.DONE) continue;
      const st = this.steps[pc];
      if (st.enabled && !st.enabled(this as unknown as M, s, t)) continue;
      const n = st.choices ? st.choices(this as unknown as M, s, t) : 1;
      for (let c = 0; c < n; c++) sink.push(t, pc, c);
    }
  }

  apply(a: Action, next: StateVector, ctx: StepContext): void {
    this.steps[a.label].run(this as unknown as M, next, a.thread, a.choice, ctx);
  }

  threadDone(s: StateVector, t: number): boolean {
    return s[this.tf[t].pc] === this.DONE;
  }

  locksHeld(_s: StateVector, _t: number): readonly string[] { return []; }
}

export interface Properties {
  readonly invariants: readonly StateInvariant[];
  readonly terminalProperties?: readonly TerminalProperty[];
}

/** A machine plus its properties as the engine's TransitionSystem. Deterministic: the same
 *  spec gives the same fields, labels and action order, so traces replay. */
export function toTransitionSystem<Op, M extends StepMachine<Op, M>>(m: M, setup: readonly Op[], props: Properties): TransitionSystem {
  const init = m.initialState(setup);
  return {
    fields: m.table.fields,
    threads: m.threadNames,
    labels: m.labels,
    initialStates: () => [init.slice()],
    actions: (s, sink) => m.actions(s, sink),
    apply: (_s, a, next, ctx) => m.apply(a, next, ctx),
    threadDone: (s, t) => m.threadDone(s, t),
    invariants: props.invariants,
    terminalProperties: props.terminalProperties,
    locksHeld: (s, t) => m.locksHeld(s, t),
  };
}
