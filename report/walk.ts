import type { Action, StateVector, Trace, TransitionSystem, ViolationKind } from '../explorer/index.js';
import { changedFields, locksByThread, type FieldChange } from './diff.js';

/** What a counterexample broke, and after how many steps (0: the initial state). */
export interface BrokenInvariant {
  readonly step: number;
  readonly kind: ViolationKind;
  readonly invariant: string;
  readonly message: string;
  /** The catalogue's explanation of the invariant, when it has one. */
  readonly description?: string;
}

/** One step as people read it: who did what, what changed, who holds which locks after it. */
export interface WalkedStep {
  /** 1-based. */
  readonly number: number;
  readonly thread: number;
  readonly threadName: string;
  readonly label: string;
  readonly choice: number;
  readonly changes: readonly FieldChange[];
  /** Per thread, after the step. */
  readonly locks: readonly (readonly string[])[];
}

/** A counterexample with the states the replay went through, ready for any renderer. */
export interface WalkedTrace {
  readonly title: string;
  readonly threads: readonly string[];
  readonly initialLocks: readonly (readonly string[])[];
  readonly steps: readonly WalkedStep[];
  readonly broken?: BrokenInvariant;
  /** A lasso: steps numbered above this repeat for ever (see Trace.loop). */
  readonly loop?: number;
}

/**
 * Pairs each step of `trace` with the states before and after it (`states[i]` is the state
 * after i steps, as the explorer's replay returns them).
 */
export function walkTrace(system: TransitionSystem, trace: Trace, states: readonly StateVector[], title: string, broken?: BrokenInvariant): WalkedTrace {
  const steps: WalkedStep[] = [];
  for (let i = 0; i < trace.steps.length && i + 1 < states.length; i++) {
    const a: Action = trace.steps[i].action;
    steps.push({
      number: i + 1,
      thread: a.thread,
      threadName: system.threads[a.thread] ?? `thread ${a.thread}`,
      label: system.labels[a.label] ?? `label ${a.label}`,
      choice: a.choice,
      changes: changedFields(system, states[i], states[i + 1]),
      locks: locksByThread(system, states[i + 1]),
    });
  }
  return {
    title,
    threads: system.threads,
    initialLocks: states.length > 0 ? locksByThread(system, states[0]) : system.threads.map(() => []),
    steps,
    broken,
    ...(trace.loop !== undefined ? { loop: trace.loop } : {}),
  };
}
