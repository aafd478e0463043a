import type { StateVector, TransitionSystem } from './system.js';
import type { Trace } from './result.js';
import { finished, NON_PROGRESS, nonProgressMessage, progressMessage, type Fairness } from './liveness.js';
import { ActionBuffer } from './action-buffer.js';

/**
 * Checks, without search, that a replayed lasso is what it claims: the loop closes, and its
 * states break the property (see replay.ts). `states[i]` is the state after i steps.
 */
export function confirmLasso(
  system: TransitionSystem, trace: Trace, states: readonly StateVector[], property: string | undefined, fairness: Fairness,
): { kind: 'non-progress' | 'liveness'; invariant: string; message: string } | { reason: string } {
  const n = trace.steps.length;
  const loop = trace.loop!;
  if (!(Number.isInteger(loop) && loop >= 0 && loop <= n)) return { reason: `the loop starts at step ${loop}, the trace has ${n} steps` };
  const last = states[n];
  const buf = new ActionBuffer();
  const enabledThreads = (s: StateVector): Set<number> => {
    buf.clear();
    system.actions(s, buf);
    return new Set(Array.from(buf.thread.subarray(0, buf.count)));
  };
  if (loop === n) {
    if (enabledThreads(last).size > 0) return { reason: `the trace ends where the run is said to stop, but actions are still enabled there` };
  } else {
    const back = states[loop];
    // Stryker disable next-line EqualityOperator: `<=` also compares the two undefined slots past the end, which are equal
    for (let i = 0; i < last.length; i++) {
      if (last[i] !== back[i]) {
        return { reason: `the loop does not close: after step ${n}, ${system.fields[i].name} = ${last[i]}, after step ${loop} it was ${back[i]}` };
      }
    }
  }
  // Stryker disable next-line ArithmeticOperator: here loop < n, so Math.max(loop - 1, n) is n as well
  const cycle = states.slice(loop, Math.max(loop + 1, n));
  // No property (undefined) is found by name either: the non-progress check.
  const progress = property === NON_PROGRESS ? undefined : system.progressProperties?.find((p) => p.name === property);
  if (property !== undefined && property !== NON_PROGRESS && progress === undefined) {
    return { reason: `the model has no progress property '${property}'` };
  }
  if (progress === undefined) {
    if (loop === n) return { reason: 'a non-progress loop needs at least one step in its cycle' };
    const done = cycle.findIndex((s) => finished(system, s));
    if (done >= 0) return { reason: `every thread is done (or the model is quiescent) in the loop, after step ${loop + done}` };
    return { kind: 'non-progress', invariant: NON_PROGRESS, message: nonProgressMessage(system, last) };
  }
  // The goal must never hold where the property says it must come.
  const from = progress.kind === 'eventually' ? 0 : loop;
  for (let i = from; i <= n; i++) {
    if (progress.holds(states[i])) return { reason: `${progress.name} holds after step ${i}, which the lasso passes for ever` };
  }
  if (progress.kind === 'leads-to') {
    // A trigger after the goal last held (or in the loop) that the goal never follows.
    let i = n;
    while (i >= 0 && !progress.holds(states[i]) && !progress.trigger!(states[i])) i--;
    if (i < 0 || progress.holds(states[i])) return { reason: `no state of the trace triggers ${progress.name} without its goal following` };
  }
  // Stryker disable next-line StringLiteral: under fairness 'none' the loop below rejects nothing (only 'weak' and 'strong' do)
  if (fairness !== 'none' && loop < n) {
    // Stryker disable next-line EqualityOperator: `<=` also looks at a thread that does not exist: never stepping, never enabled, so never unfair
    for (let t = 0; t < system.threads.length; t++) {
      let steps = false, disabled = false, enabled = false;
      for (let i = loop; i < n; i++) {
        if (trace.steps[i].action.thread === t) steps = true;
        if (enabledThreads(states[i]).has(t)) enabled = true; else disabled = true;
      }
      if (fairness === 'weak' && !steps && !disabled) {
        return { reason: `the loop is unfair to ${system.threads[t]}: it is enabled throughout the loop and never takes a step` };
      }
      if (fairness === 'strong' && !steps && enabled) {
        return { reason: `the loop is unfair to ${system.threads[t]}: it is enabled in the loop and never takes a step (strong fairness)` };
      }
    }
  }
  return { kind: 'liveness', invariant: progress.name, message: progressMessage(progress, fairness) };
}
