import type { Trace, TraceStep } from './result.js';
import type { StateVector, TransitionSystem } from './system.js';
import { ActionBuffer } from './action-buffer.js';
import { RecordingStepContext } from './step-context.js';
import { ModelError } from './model-error.js';

/**
 * Rebuilds a counterexample from what the search kept (an initial-state index and, per step,
 * the index of the action among the enabled ones) by re-executing the model from the initial
 * state. The search stores no states for traces; determinism of `actions`/`apply` (the model
 * contract) makes re-execution land on the same states.
 */
export function rebuildTrace(system: TransitionSystem, initial: number, indices: readonly number[]): Trace {
  const inits = system.initialStates();
  if (initial >= inits.length) throw new ModelError(`trace names initial state ${initial}, the model has ${inits.length}`);
  let cur: StateVector = Int32Array.from(inits[initial]);
  let next: StateVector = new Int32Array(cur.length);
  const buf = new ActionBuffer();
  const ctx = new RecordingStepContext();
  const steps: TraceStep[] = [];
  for (let s = 0; s < indices.length; s++) {
    const index = indices[s];
    buf.clear();
    system.actions(cur, buf);
    if (index >= buf.count) {
      throw new ModelError(`re-execution diverged at step ${s}: action ${index} of ${buf.count} enabled; actions() or apply() is not deterministic`);
    }
    const action = buf.get(index);
    steps.push({ index, action });
    next.set(cur);
    ctx.reset();
    system.apply(cur, action, next, ctx);
    const t = cur; cur = next; next = t;
  }
  return { initial, steps };
}
