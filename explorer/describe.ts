import type { Action, TransitionSystem } from './system.js';

/** `thread:label` plus `#choice` when the step made a nondeterministic choice. */
export function describeAction(system: TransitionSystem, a: Action): string {
  const thread = system.threads[a.thread] ?? `thread ${a.thread}`;
  const label = system.labels[a.label] ?? `label ${a.label}`;
  return a.choice === 0 ? `${thread}:${label}` : `${thread}:${label}#${a.choice}`;
}
