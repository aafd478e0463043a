import type { Action } from './system.js';

/** Every setting of a run in one options object (cf. Loom's `Builder`). */
export interface CheckOptions {
  /** `bfs` gives shortest counterexamples; `dfs` honours `maxDepth`; `simulate` walks random
   *  paths reproducibly from `seed`. */
  readonly strategy?: 'bfs' | 'dfs' | 'simulate';
  /** Stop with an `incomplete` verdict after this many distinct states. */
  readonly maxStates?: number;
  /** Do not expand states deeper than this; reaching it makes the verdict `incomplete`. */
  readonly maxDepth?: number;
  /** Wall-clock budget; running out makes the verdict `incomplete`. */
  readonly timeLimitMs?: number;
  /** Report states with no enabled action where some thread is not done. Default true. */
  readonly checkDeadlock?: boolean;
  /** Symmetry reduction through the model's `canonicalise` hook or declared `symmetry` groups.
   *  Default true (a model without them is explored in full). */
  readonly symmetry?: boolean;
  /** Partial-order reduction through the model's declared footprints (`stepFootprint`,
   *  `futureFootprint`). Default true (a model without them is explored in full). BFS
   *  counterexamples are then short but not always shortest. */
  readonly partialOrder?: boolean;
  /** After a `holds` of the safety search, check progress on the whole reachable graph:
   *  non-progress (a state from which no run finishes) and the model's progress properties.
   *  Default true; the graph is built without reductions and within `maxStates`. */
  readonly checkProgress?: boolean;
  /** The progress graph keeps every state and edge (about 50-100 bytes per state): beyond this
   *  many states it is not built and the verdict is `incomplete`. Default 4,000,000. */
  readonly maxProgressStates?: number;
  /** Fairness assumed by the progress properties: per-thread weak fairness (a thread enabled
   *  for ever eventually takes a step), strong fairness (a thread enabled again and again
   *  eventually takes a step), or none. Default: the model's `fairness`, else 'weak'. */
  readonly fairness?: 'weak' | 'strong' | 'none';
  /** Simulation: seed, number of walks, and the length bound of each walk. */
  readonly seed?: number;
  readonly walks?: number;
  readonly walkDepth?: number;
  /** Called now and then during a long run (never more than a few times a second). */
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly queued: number;
  readonly depth: number;
  readonly elapsedMs: number;
}

/** One step of a counterexample: the index of the action among the enabled actions of the
 *  state it was taken from (what re-execution needs), and the action itself (what people and
 *  divergence reports need). */
export interface TraceStep {
  readonly index: number;
  readonly action: Action;
}

export interface Trace {
  /** Index into `initialStates()`. */
  readonly initial: number;
  readonly steps: readonly TraceStep[];
  /** A lasso (progress and liveness violations): the steps from `loop` on form a cycle, the
   *  state after the last step is the state after `loop` steps, and the run repeats the cycle
   *  for ever. `loop === steps.length`: the run stops there, nothing being enabled. */
  readonly loop?: number;
}

/** `non-progress`: a reachable loop from which no run ever finishes; `liveness`: a progress
 *  property broken by a (fair) lasso. */
export type ViolationKind = 'invariant' | 'action' | 'step' | 'deadlock' | 'terminal' | 'non-progress' | 'liveness';

export interface Violation {
  readonly kind: ViolationKind;
  /** The invariant's name (`deadlock` for a deadlock). */
  readonly invariant: string;
  readonly message: string;
  /** From an initial state to the violating state; the last step is the one that broke it
   *  (for a state invariant, a deadlock or a terminal property: the step that reached the state). */
  readonly trace: Trace;
}

export interface Stats {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
  /** Bytes held by the visited structure (fingerprint table plus parent links). */
  readonly visitedBytes: number;
  /** Birthday-bound probability that a fingerprint collision hid a state (0 for an exact
   *  visited set). */
  readonly collisionProbability?: number;
  /** Which reductions the run applied (on by default where the model declares them) and how
   *  many states it expanded through a reduced (ample) set. Compare `distinctStates` with a
   *  run that passes `partialOrder: false, symmetry: false` for the states without them. */
  readonly reductions?: {
    readonly partialOrder: boolean;
    readonly symmetry: boolean;
    /** What the symmetry reduction permuted: each declared group's `name` (`group i` for an
     *  unnamed one), `canonicalise` for the model's own; empty without symmetry. */
    readonly symmetryGroups?: readonly string[];
    readonly reducedExpansions: number;
  };
  /** The progress check's graph, when it ran: the symmetry quotient when that showed nothing
   *  to find (`quotient: true`), else the full graph without reductions. */
  readonly progress?: {
    readonly states: number;
    readonly edges: number;
    /** Bytes the graph held (edges, BFS tree, fingerprints, predicate bits). */
    readonly bytes: number;
    readonly elapsedMs: number;
    readonly quotient: boolean;
  };
}

export type Verdict = 'holds' | 'violated' | 'incomplete';

export interface CheckResult {
  readonly verdict: Verdict;
  readonly violation?: Violation;
  /** Why the run stopped before exhausting the state space (only when `incomplete`). */
  readonly incompleteReason?: string;
  readonly stats: Stats;
  /** Per step label: how many transitions took it. */
  readonly coverage: readonly number[];
}
