/**
 * The one model interface of the engine (cf. Stateright's `Model`, Loom's hard line between
 * the model API and the explorer). The explorer knows nothing about the kernel: a model is a
 * vector of bounded integer fields, a set of threads, and a deterministic enumeration of the
 * steps each thread may take next.
 *
 * Contract a model must keep:
 * - `actions` enumerates the enabled steps of a state in a deterministic order (the same state
 *   always yields the same list in the same order). Traces are kept as indices into that list.
 * - `apply` is a pure function of (state, action): the engine has already copied `state` into
 *   `next`; the model mutates `next` only.
 * - every field stays within [min, max] of its declaration; the engine packs states by those
 *   bounds and reports a value out of range as a model error, not as a violation.
 */
import type { FieldKind } from './field-kind.js';

/** A bounded integer field of the state vector. `name` is what a trace shows when it changes
 *  (kernel models name them as the kernel does: `zspage[1].inuse`, `page[3]._refcount`). */
export interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** How the value reads to a person (renderers only; the engine ignores it). */
  readonly kind?: FieldKind;
}

/** A state, unpacked: one int32 per declared field, in declaration order. */
export type StateVector = Int32Array;

/** One step a thread can take. `label` indexes `TransitionSystem.labels`; `choice` is the
 *  nondeterministic choice made by the step (0 when there is none). */
export interface Action {
  readonly thread: number;
  readonly label: number;
  readonly choice: number;
}

/** Receives the enabled actions of a state (avoids allocating an array per state). */
export interface ActionSink {
  push(thread: number, label: number, choice: number): void;
}

/** Lets `apply` report a violation that is only visible while a step executes
 *  (e.g. a use-after-free, an unlock by a thread that does not hold the lock). */
export interface StepContext {
  fail(invariant: string, message: string): void;
}

/** A named predicate over one state. `check` returns null when it holds, otherwise one sentence
 *  saying what is wrong in this state. */
export interface StateInvariant {
  readonly name: string;
  readonly description: string;
  check(state: StateVector): string | null;
  /** Field indices `check` reads (partial-order reduction keeps steps that write them visible).
   *  Absent: it may read every field. */
  readonly reads?: readonly number[];
  /** Fields of `reads` that `check` depends on only through a table (a program counter read
   *  only as "inside this window or not"): the verdict is the same on any two states that agree
   *  on the other fields of `reads` and on `table[s[f]]` for these. Incremental checks then
   *  skip the invariant after a step that moved such a field within its class. */
  readonly views?: readonly FieldView[];
}

/** Fields read only through `table`, indexed by the field's value (each field's minimum must
 *  be 0 or more and the table must cover its maximum). */
export interface FieldView {
  readonly fields: readonly number[];
  readonly table: ArrayLike<number>;
}

/** A named predicate over one transition, seeing the state before and after. */
export interface ActionProperty {
  readonly name: string;
  readonly description: string;
  check(before: StateVector, action: Action, after: StateVector): string | null;
  /** As for StateInvariant: the fields `check` reads; absent means every field. */
  readonly reads?: readonly number[];
  /** Fields whose change the property is about: `check` returns null on every transition
   *  that leaves all of them unchanged (e.g. "every write to X holds X's lock"), so the search
   *  skips it on a step that changed no packed word holding one of them. Absent: checked on
   *  every transition. */
  readonly changes?: readonly number[];
  /** Labels of the actions `check` can fail on: it returns null on every transition by an
   *  action of any other label (e.g. "a step that may sleep holds no spinlock" looks only at
   *  the steps that may sleep), so the search skips it there. Absent: any label. */
  readonly labels?: readonly number[];
}

/**
 * What a thread's steps may touch, as field indices (the partial-order reduction contract).
 * A lock is a field like any other; `locks` lists lock fields taken or released, which count
 * as both read and written.
 */
export interface Footprint {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly locks?: readonly number[];
}

/**
 * A liveness property over the model's predicates, checked on the whole reachable graph after
 * the safety search (see explorer/liveness.ts):
 * - `eventually`: every (fair) run reaches a state where `holds` is true;
 * - `always-eventually`: every (fair) run passes through such states infinitely often (a run
 *   that ends, every thread done or stuck, must end in one);
 * - `leads-to`: whenever `trigger` is true, a state where `holds` is true follows.
 * Runs that stop (no enabled action) count as staying in their last state for ever.
 */
export interface ProgressProperty {
  readonly name: string;
  readonly description: string;
  readonly kind: 'eventually' | 'always-eventually' | 'leads-to';
  holds(state: StateVector): boolean;
  /** Only for `leads-to`. */
  trigger?(state: StateVector): boolean;
}

/** A field that names a member of a symmetry group (see SymmetryGroup.references). */
export interface SymmetryReference {
  readonly field: number;
  readonly offset: number;
  readonly shift?: number;
  readonly tag?: number;
  /** The numbers this field names members by, when not the group's `ids`: `names[i]` lists
   *  member i's (the same count for each member); a permutation renames member i's j-th
   *  number to the j-th of member i's image. E.g. threads that each own some handles: owner
   *  fields name a member by its thread number (`ids`), handle fields by its handles. */
  readonly names?: readonly (readonly number[])[];
}

/**
 * Threads (or other members: handles, page frames) that the model declares interchangeable:
 * for every reachable state, swapping two members, together with their slots and every
 * reference to them, maps the state's successors to its swap's successors (a step fails in one
 * iff in the other), and leaves every property's verdict unchanged: each invariant, "every
 * thread done", `quiescent` and each progress property's `holds` and `trigger` give the same
 * answer in a state and in its swap. The swap of a reachable state need not be reachable (an
 * initial state may use some members and not others): the search starts from the concrete
 * initial states, so the orbits it reaches are those of the reachable states. The engine then
 * fingerprints the least permuted state (symmetry reduction), and checks progress on the
 * quotient first (liveness.ts).
 */
export interface SymmetryGroup {
  /** What the members are, for statistics and errors (e.g. `threads`, `page frames`). */
  readonly name?: string;
  /** `slots[i]`: the field indices owned by member i, in the same order for every member. */
  readonly slots: readonly (readonly number[])[];
  /** The number that names member i in references and bitsets (default i), e.g. the thread
   *  index when the members are some of the threads. */
  readonly ids?: readonly number[];
  /** Fields whose value names a member: `offset + (id << shift | low)` (`shift` default 0:
   *  `id + offset`, e.g. a lock owner `thread + 1`; with a shift, an encoded reference such as
   *  a location `pfn << bits | index`, whose low part is kept). With `tag`, only values whose
   *  low part is `tag` are references (a tagged word that holds something else otherwise).
   *  Other values are left alone. */
  readonly references?: readonly SymmetryReference[];
  /** Fields holding a set of members as bits (bit `id`: the member), e.g. a rwlock's readers. */
  readonly bitsets?: readonly number[];
}

/** A predicate checked only in terminal states where every thread is done
 *  (end-of-run properties: nothing left locked, nothing leaked). */
export interface TerminalProperty {
  readonly name: string;
  readonly description: string;
  check(state: StateVector): string | null;
}

export interface TransitionSystem {
  readonly fields: readonly Field[];
  /** Thread names, index = thread id. */
  readonly threads: readonly string[];
  /** Step labels, index = label id, e.g. `zs_free:lock_class`. */
  readonly labels: readonly string[];

  initialStates(): StateVector[];
  actions(state: StateVector, sink: ActionSink): void;
  apply(state: StateVector, action: Action, next: StateVector, ctx: StepContext): void;

  /** A thread is done when its program has finished. A state with no enabled action in which
   *  some thread is not done is a deadlock. */
  threadDone(state: StateVector, thread: number): boolean;

  readonly invariants: readonly StateInvariant[];
  readonly actionProperties?: readonly ActionProperty[];
  readonly terminalProperties?: readonly TerminalProperty[];

  /** Liveness properties (checked after the safety search; see ProgressProperty). */
  readonly progressProperties?: readonly ProgressProperty[];

  /** The fairness the model's scheduler gives its threads, assumed by the progress properties
   *  unless a run says otherwise (default weak): strong when a waiting thread gets its turn
   *  once the thing it waits for comes free again and again (FIFO locks). */
  readonly fairness?: 'weak' | 'strong';

  /** A state other than "every thread done" in which the system may rest for ever without it
   *  counting as non-progress (e.g. a worker idling with nothing to do). */
  quiescent?(state: StateVector): boolean;

  /** Symmetry reduction hook: rewrite `state` in place to the representative of its
   *  equivalence class (interchangeable pages, handles, identical threads). */
  canonicalise?(state: StateVector): void;

  /** Symmetry by declaration: the engine derives `canonicalise` (least state over all
   *  permutations of each group's members) when the model does not give one. */
  readonly symmetry?: readonly SymmetryGroup[];

  /**
   * Partial-order reduction contract, part 1: everything `thread`'s next step can read or write
   * in `state`. `reads` must cover what decides which of the thread's actions are enabled and
   * what each of them does (its guard and its inputs, including actions that are disabled now);
   * `writes` every field any of them may change. The footprint itself must depend only on the
   * fields in `reads`. Over-approximating is always sound; under-approximating is not.
   */
  stepFootprint?(state: StateVector, thread: number): Footprint;

  /**
   * Partial-order reduction contract, part 2: everything `thread` may read or write in any
   * step from `state` on, until it is done (empty when it is done). The engine derives
   * independence from the two: a thread's next step is expanded alone only when no other
   * thread can ever write what it reads or touch what it writes, and no property reads what
   * it writes.
   */
  futureFootprint?(state: StateVector, thread: number): Footprint;

  /** @deprecated Not used any more: "touches thread-private state" is not enough for a sound
   *  reduction (another thread can still enable or disable the step). Declare
   *  `stepFootprint` and `futureFootprint` instead. */
  isLocal?(state: StateVector, action: Action): boolean;

  /** Rendering hook: the locks `thread` holds in `state`, named as the kernel names them. */
  locksHeld?(state: StateVector, thread: number): readonly string[];
}
