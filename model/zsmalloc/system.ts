import type {
  ActionProperty, ProgressProperty, StateInvariant, TerminalProperty, TransitionSystem,
} from '../../explorer/system.js';
import type { Design } from './designs.js';
import type { MutationId } from './mutations/ids.js';
import { protocolOverride } from './mutations/index.js';
import { resolveProtocol, type ProtocolOptions } from './memdesc/options.js';
import { Machine } from './machine.js';
import { resolveConfig, type ModelConfig } from './config.js';
import type { Op, ThreadProgram } from './program.js';
import type { PoolShape } from './shape.js';
import { validatePool } from './shape.js';
import { allSteps, entryStep } from './steps/index.js';
import { frameSymmetry, threadSymmetry } from './symmetry.js';
import { zsmallocFootprints } from './footprints.js';

export interface ZsmallocSpec {
  readonly design: Design;
  readonly pool: PoolShape;
  readonly threads: readonly ThreadProgram[];
  readonly setup?: readonly Op[];
  readonly mutations?: readonly MutationId[];
  readonly protocol?: Partial<ProtocolOptions>;
  readonly config?: Partial<ModelConfig>;
}

export interface Properties {
  readonly invariants: readonly StateInvariant[];
  readonly actionProperties?: readonly ActionProperty[];
  readonly terminalProperties?: readonly TerminalProperty[];
  readonly progressProperties?: readonly ProgressProperty[];
}

export function buildMachine(spec: ZsmallocSpec): Machine {
  const bad = validatePool(spec.pool);
  if (bad) throw new Error(`pool shape: ${bad}`);
  return new Machine({
    design: spec.design,
    pool: spec.pool,
    threads: spec.threads,
    setup: spec.setup ?? [],
    mutations: new Set(spec.mutations ?? []),
    protocol: resolveProtocol({ ...(spec.protocol ?? {}), ...protocolOverride(spec.mutations ?? []) }),
    config: resolveConfig(spec.config),
    steps: allSteps,
    entry: entryStep,
  });
}

export interface SystemOptions {
  /** Declare the partial-order reduction footprints (model/zsmalloc/footprints.ts). Off by
   *  default: every step writes its thread's pc, which the ghost-by-pc invariants read
   *  (helpers.ts beingFreed, refcount-exact, isolated-page-held, ...), so no step is
   *  invisible and the reduction never applies, while recording a footprint costs a second run
   *  of the step. */
  readonly footprints?: boolean;
}

/** A machine plus its properties as the engine's TransitionSystem. Deterministic: the same
 *  spec gives the same fields, labels and action order, so traces replay. */
export function toTransitionSystem(m: Machine, props: (m: Machine) => Properties, opts: SystemOptions = {}): TransitionSystem {
  const p = props(m);
  const footprints = opts.footprints === true ? zsmallocFootprints(m) : null;
  const init = m.initialState();
  const symmetry = [...threadSymmetry(m), ...frameSymmetry(m)];
  return {
    fields: m.f.fields,
    threads: m.threadNames,
    labels: m.labels,
    initialStates: () => [init.slice()],
    actions: (s, sink) => m.actions(s, sink),
    apply: (s, a, next, ctx) => m.apply(s, a, next, ctx),
    threadDone: (s, t) => m.threadDone(s, t),
    invariants: p.invariants,
    actionProperties: p.actionProperties,
    terminalProperties: p.terminalProperties,
    progressProperties: p.progressProperties,
    // The kernel's spinlocks and rwlocks are queued (kernel/locking/qspinlock.c, qrwlock.c):
    // a waiter gets the lock once it is released often enough, i.e. strong fairness.
    fairness: 'strong',
    ...(symmetry.length > 0 ? { symmetry } : {}),
    ...(footprints !== null ? { stepFootprint: footprints.stepFootprint, futureFootprint: footprints.futureFootprint } : {}),
    locksHeld: (s, t) => m.locksHeld(s, t),
  };
}
