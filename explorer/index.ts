/** The engine's public surface. Everything else in explorer/ is private to it. */
export type {
  Action, ActionSink, ActionProperty, Field, FieldView, Footprint, ProgressProperty, StateInvariant, StateVector, StepContext,
  SymmetryGroup, SymmetryReference, TerminalProperty, TransitionSystem,
} from './system.js';
export type { FieldKind, PictureRole, Sentinels } from './field-kind.js';
export type {
  CheckOptions, CheckResult, Progress, Stats, Trace, TraceStep, Verdict, Violation, ViolationKind,
} from './result.js';
export { check } from './check.js';
export type { EngineOptions } from './options.js';
export { replay } from './replay.js';
export type { ReplayOptions, ReplayResult, ReplayViolation, ReplayDivergence } from './replay.js';
export type { VisitedSet, VisitedSetFactory } from './visited-set.js';
export { FingerprintSet, fingerprintSetFactory } from './fingerprint-set.js';
export { ExactVisitedSet, exactSetFactory } from './exact-set.js';
export { StateLayout } from './packing.js';
export { fingerprint, fingerprintOut, collisionProbability } from './fingerprint.js';
export { ModelError } from './model-error.js';
export { describeAction } from './describe.js';
export { checkParallel } from './check-parallel.js';
export type { ParallelCheckOptions } from './check-parallel.js';
export type { SystemRef } from './parallel/system-ref.js';
