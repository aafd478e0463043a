import type { StateVector, TransitionSystem } from './system.js';
import type { ActionBuffer, MutableAction } from './action-buffer.js';

/**
 * Partial-order reduction: a simple ample set for safety checking.
 *
 * In a state, take the first thread (in enumeration order) ALL of whose enabled actions are
 * local by the model's `isLocal` hook, and expand only that thread's actions. Taking all of
 * them, not just the first local one, keeps a thread's own nondeterministic choices: those
 * do not commute with each other.
 *
 * Why it is sound (the classic conditions C0-C3 for ample sets):
 * - C0: the set is non-empty whenever something is enabled, so deadlocks and terminal
 *   states are kept.
 * - C1 (independence): by the hook's contract a local action reads and writes only state
 *   private to its thread, so no other thread's action can enable, disable or change its
 *   effect, and the thread itself can move only by one of the actions in the set. The
 *   model must also keep the condition that while a thread has a local step enabled, other
 *   threads cannot enable further steps of that thread (true of straight-line thread
 *   programs whose program counter sits at the local step).
 * - C2 (invisibility): the state invariants, action properties and terminal properties must
 *   not read what local actions write (thread-private state such as program counters or
 *   thread-local registers). With invariants that do read it, do not enable partialOrder.
 * - C3 (cycle proviso): the search expands the state fully when any successor in the ample
 *   set was already visited, so every cycle of the reduced graph has a fully expanded state
 *   and no action is postponed forever.
 */
export function ampleThread(system: TransitionSystem, state: StateVector, buf: ActionBuffer, act: MutableAction): number {
  const isLocal = system.isLocal!;
  const n = buf.count;
  for (let k = 0; k < n; k++) {
    const t = buf.thread[k];
    // Each thread is judged once, at its first action.
    let seenBefore = false;
    for (let j = 0; j < k; j++) if (buf.thread[j] === t) { seenBefore = true; break; }
    if (seenBefore) continue;
    let allLocal = true;
    for (let j = k; j < n && allLocal; j++) {
      if (buf.thread[j] === t && !isLocal(state, buf.load(j, act))) allLocal = false;
    }
    if (allLocal) return t;
  }
  return -1;
}
