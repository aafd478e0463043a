import type { Action, StateVector, TransitionSystem } from './system.js';
import type { Trace, ViolationKind } from './result.js';
import { resolveOptions } from './options.js';
import { Search } from './search.js';
import { exactSetFactory } from './exact-set.js';
import { describeAction } from './describe.js';
import { confirmLasso } from './lasso-replay.js';

export interface ReplayOptions {
  /** As in CheckOptions. Default true. */
  readonly checkDeadlock?: boolean;
  /** For a lasso (`trace.loop`): the progress property it claims to break; absent or
   *  'non-progress' for a non-progress loop. */
  readonly property?: string;
  /** As in CheckOptions (default: the model's `fairness`, else 'weak'). A lasso must be fair
   *  to count. */
  readonly fairness?: 'weak' | 'strong' | 'none';
}

/** `step` is the number of trace steps taken when it was seen: `states[step]` is the state. */
export interface ReplayViolation {
  readonly step: number;
  readonly kind: ViolationKind;
  readonly invariant: string;
  readonly message: string;
}

/** `trace.steps[step]` could not be taken from `states[step]`. */
export interface ReplayDivergence {
  readonly step: number;
  readonly reason: string;
}

export interface ReplayResult {
  /** The initial state and the state after each step taken. */
  readonly states: StateVector[];
  readonly violation?: ReplayViolation;
  readonly divergence?: ReplayDivergence;
}

/**
 * Re-executes a trace step by step, without search, with the same checks as `check`: the
 * invariants of every state, StepContext failures and action properties of every step, and
 * deadlock or terminal properties at the end. Steps are matched by their action (thread, label,
 * choice), not by index, so a trace stays replayable when the enumeration order changes; an
 * action that is not enabled is reported as a divergence with the list of enabled ones.
 * Stops at the first violation or divergence.
 *
 * A lasso (`trace.loop` set) is confirmed after its last step: the loop must close (the state
 * after the last step is the state after `loop` steps) and show what it claims (no thread
 * finishing in it; the property's goal never reached; every thread taking a step in it or
 * disabled somewhere in it under weak fairness). Then the violation is reported at the last
 * step; anything else is a divergence.
 */
export function replay(system: TransitionSystem, trace: Trace, options: ReplayOptions = {}): ReplayResult {
  const search = new Search(system, resolveOptions({ checkDeadlock: options.checkDeadlock, visitedSet: exactSetFactory }));
  const inits = search.initialStates();
  const states: StateVector[] = [];
  if (!(trace.initial >= 0 && trace.initial < inits.length)) {
    return { states, divergence: { step: 0, reason: `the trace starts from initial state ${trace.initial}, the model has ${inits.length}` } };
  }
  const cur = search.cur;
  cur.set(inits[trace.initial]);
  states.push(Int32Array.from(cur));
  const found = (step: number): ReplayResult => {
    const f = search.finding!;
    return { states, violation: { step, kind: f.kind, invariant: f.invariant, message: f.message } };
  };
  if (!search.invariantsHold(cur)) return found(0);

  for (let s = 0; s < trace.steps.length; s++) {
    const want: Action = trace.steps[s].action;
    const n = search.enumerate(cur);
    const k = search.buf.indexOf(want);
    if (k < 0) {
      const enabled: string[] = [];
      for (let i = 0; i < n; i++) enabled.push(describeAction(system, search.buf.get(i)));
      const list = n === 0 ? 'no action is enabled' : `enabled: ${enabled.join(', ')}`;
      return { states, divergence: { step: s, reason: `${describeAction(system, want)} is not enabled (${list})` } };
    }
    const stepOk = search.step(k);
    search.layout.validate(search.next);
    states.push(Int32Array.from(search.next));
    if (!stepOk) return found(s + 1);
    cur.set(search.next);
    if (!search.invariantsHold(cur)) return found(s + 1);
  }
  if (search.enumerate(cur) === 0 && !search.quiescentStateOk(cur)) return found(trace.steps.length);
  if (trace.loop !== undefined) {
    const r = confirmLasso(system, trace, states, options.property, options.fairness ?? system.fairness ?? 'weak');
    if ('reason' in r) return { states, divergence: { step: trace.steps.length, reason: r.reason } };
    return { states, violation: { step: trace.steps.length, ...r } };
  }
  return { states };
}
