import type { Action, StateVector, TransitionSystem } from '../../explorer/index.js';

/**
 * A deliberately naive explorer used as ground truth: plain BFS over states keyed by their
 * JSON text in a Map, no packing, no fingerprints, no reductions. It computes every reachable
 * state with its BFS distance and the shortest distance to any "bad" state (an invariant
 * fails, a step fails, an action property fails on the step into it, or it is deadlocked /
 * breaks a terminal property).
 */
export interface ReferenceResult {
  readonly states: Map<string, number>;
  /** Shortest length of a counterexample, or -1 when none exists. */
  readonly shortestViolation: number;
}

export function collectActions(sys: TransitionSystem, s: StateVector): Action[] {
  const out: Action[] = [];
  sys.actions(s, { push: (thread, label, choice) => out.push({ thread, label, choice }) });
  return out;
}

export function applyAction(sys: TransitionSystem, s: StateVector, a: Action): { next: StateVector; failed: boolean } {
  const next = Int32Array.from(s);
  let failed = false;
  sys.apply(s, a, next, { fail: () => { failed = true; } });
  return { next, failed };
}

export function stateBad(sys: TransitionSystem, s: StateVector, checkDeadlock = true): boolean {
  if (sys.invariants.some((inv) => inv.check(s) !== null)) return true;
  if (collectActions(sys, s).length > 0) return false;
  const allDone = sys.threads.every((_, t) => sys.threadDone(s, t));
  if (!allDone) return checkDeadlock;
  return (sys.terminalProperties ?? []).some((p) => p.check(s) !== null);
}

export function referenceExplore(sys: TransitionSystem, checkDeadlock = true): ReferenceResult {
  const states = new Map<string, number>();
  let shortest = -1;
  let frontier: StateVector[] = [];
  for (const s of sys.initialStates()) {
    const key = JSON.stringify(Array.from(s));
    if (!states.has(key)) {
      states.set(key, 0);
      frontier.push(s);
    }
  }
  for (const s of frontier) if (shortest < 0 && stateBad(sys, s, checkDeadlock)) shortest = 0;
  for (let d = 0; frontier.length > 0; d++) {
    const nextFrontier: StateVector[] = [];
    for (const s of frontier) {
      for (const a of collectActions(sys, s)) {
        const { next, failed } = applyAction(sys, s, a);
        const propFails = (sys.actionProperties ?? []).some((p) => p.check(s, a, next) !== null);
        if ((failed || propFails) && (shortest < 0 || d + 1 < shortest)) shortest = d + 1;
        const key = JSON.stringify(Array.from(next));
        if (states.has(key)) continue;
        states.set(key, d + 1);
        nextFrontier.push(next);
        if (shortest < 0 && stateBad(sys, next, checkDeadlock)) shortest = d + 1;
      }
    }
    frontier = nextFrontier;
  }
  return { states, shortestViolation: shortest };
}

/** Re-executes a trace by its action indices and returns the states visited. */
export function walkTrace(sys: TransitionSystem, initial: number, indices: readonly number[]): { states: StateVector[]; stepFailed: boolean[] } {
  let s = Int32Array.from(sys.initialStates()[initial]);
  const states = [s];
  const stepFailed: boolean[] = [];
  for (const i of indices) {
    const acts = collectActions(sys, s);
    if (i >= acts.length) throw new Error(`trace index ${i} out of ${acts.length} enabled actions`);
    const { next, failed } = applyAction(sys, s, acts[i]);
    stepFailed.push(failed);
    s = next;
    states.push(s);
  }
  return { states, stepFailed };
}

/** True when the trace of `v`, re-executed, really ends in the violation it claims. */
export function confirmsViolation(
  sys: TransitionSystem,
  v: { kind: string; invariant: string; trace: { initial: number; steps: readonly { index: number }[] } },
): boolean {
  const { states, stepFailed } = walkTrace(sys, v.trace.initial, v.trace.steps.map((s) => s.index));
  const last = states[states.length - 1];
  const quiescent = collectActions(sys, last).length === 0;
  const allDone = sys.threads.every((_, t) => sys.threadDone(last, t));
  switch (v.kind) {
    case 'invariant':
      return sys.invariants.some((i) => i.name === v.invariant && i.check(last) !== null);
    case 'step':
      return stepFailed.length > 0 && stepFailed[stepFailed.length - 1];
    case 'action': {
      const before = states[states.length - 2];
      const acts = collectActions(sys, before);
      const a = acts[v.trace.steps[v.trace.steps.length - 1].index];
      return (sys.actionProperties ?? []).some((p) => p.name === v.invariant && p.check(before, a, last) !== null);
    }
    case 'deadlock':
      return quiescent && !allDone;
    case 'terminal':
      return quiescent && allDone && (sys.terminalProperties ?? []).some((p) => p.name === v.invariant && p.check(last) !== null);
    default:
      return false;
  }
}
