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
}

/** A named predicate over one transition, seeing the state before and after. */
export interface ActionProperty {
  readonly name: string;
  readonly description: string;
  check(before: StateVector, action: Action, after: StateVector): string | null;
}

/** A predicate checked only in terminal states where every thread is done
 *  (end-of-run liveness: nothing left locked, nothing leaked). */
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

  /** Symmetry reduction hook: rewrite `state` in place to the representative of its
   *  equivalence class (interchangeable pages, handles, identical threads). */
  canonicalise?(state: StateVector): void;

  /** Partial-order reduction hook: true when `action` touches only state private to its
   *  thread, so it commutes with every other thread's steps. */
  isLocal?(state: StateVector, action: Action): boolean;

  /** Rendering hook: the locks `thread` holds in `state`, named as the kernel names them. */
  locksHeld?(state: StateVector, thread: number): readonly string[];
}
