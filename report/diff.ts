import type { StateVector, TransitionSystem } from '../explorer/index.js';

export interface FieldChange {
  readonly field: string;
  readonly from: number;
  readonly to: number;
}

/** The fields whose value differs between two states, in declaration order. */
export function changedFields(system: TransitionSystem, before: StateVector, after: StateVector): FieldChange[] {
  const out: FieldChange[] = [];
  for (let i = 0; i < system.fields.length; i++) {
    if (before[i] !== after[i]) out.push({ field: system.fields[i].name, from: before[i], to: after[i] });
  }
  return out;
}

/** The locks every thread holds in `state` (empty lists when the model has no locksHeld hook). */
export function locksByThread(system: TransitionSystem, state: StateVector): string[][] {
  return system.threads.map((_, t) => [...(system.locksHeld?.(state, t) ?? [])]);
}
