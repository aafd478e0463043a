import type { Design } from '../../model/designs.js';
import type { MutationId } from '../../model/mutations/index.js';
import type { Scenario } from '../types.js';

/** The counterexample a regression was saved from, by name (thread, step label, choice), as in
 *  a memdesc-mc-trace/1 file. */
export interface SavedTrace {
  readonly design: Design;
  readonly mutations: readonly MutationId[];
  readonly initial: number;
  readonly steps: readonly { readonly index: number; readonly thread: string; readonly label: string; readonly choice: number }[];
  readonly violation: { readonly kind: string; readonly invariant: string; readonly step: number; readonly message: string };
}

/**
 * A module under scenarios/regressions/, written by `memdesc-mc save`: a scenario with its
 * expected outcome, and the trace that showed it. The regression test checks both that the
 * checker still reaches the expected outcome and that the saved trace still replays to it.
 */
export interface Regression {
  readonly scenario: Scenario;
  readonly trace: SavedTrace;
}
