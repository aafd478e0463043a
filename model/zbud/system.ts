import type { TransitionSystem } from '../../explorer/system.js';
import { toTransitionSystem, type Program, type Properties } from '../step-machine/index.js';
import { defaultZbudOptions, type ZbudDesign, type ZbudOptions } from './designs.js';
import { ZbudMachine } from './machine.js';
import type { ZbudMutationId } from './mutations.js';
import type { ZbudOp, ZbudPoolShape } from './program.js';
import { zbudEntryStep, zbudSteps } from './steps.js';

export interface ZbudSpec {
  readonly design: ZbudDesign;
  readonly pool: ZbudPoolShape;
  readonly threads: readonly Program<ZbudOp>[];
  readonly setup?: readonly ZbudOp[];
  readonly mutations?: readonly ZbudMutationId[];
  readonly options?: Partial<ZbudOptions>;
}

/** Checks what the model cannot run: a bad pool, an op naming an entry the pool lacks. */
export function validateZbudSpec(spec: ZbudSpec): string | null {
  const { pages, entries } = spec.pool;
  if (!Number.isInteger(pages) || pages < 1 || pages > 8) return `pool.pages must be an integer in 1..8, got ${pages}`;
  if (!Number.isInteger(entries) || entries < 1 || entries > 8) return `pool.entries must be an integer in 1..8, got ${entries}`;
  for (const op of [...(spec.setup ?? []), ...spec.threads.flatMap((t) => t.ops)]) {
    if ('entry' in op && !(Number.isInteger(op.entry) && op.entry >= 0 && op.entry < entries)) return `op ${op.kind} names entry ${op.entry}, the pool has ${entries}`;
    if (op.kind === 'store' && !(Number.isInteger(op.chunks) && op.chunks >= 1 && op.chunks <= 3)) return `store of entry ${op.entry}: chunks must be 1..3, got ${op.chunks}`;
  }
  return null;
}

export function buildZbudMachine(spec: ZbudSpec): ZbudMachine {
  const bad = validateZbudSpec(spec);
  if (bad) throw new Error(`zbud pool: ${bad}`);
  return new ZbudMachine({
    design: spec.design,
    pool: spec.pool,
    threads: spec.threads,
    setupLength: spec.setup?.length ?? 0,
    mutations: new Set(spec.mutations ?? []),
    options: { ...defaultZbudOptions, ...(spec.options ?? {}) },
    steps: zbudSteps,
    entry: zbudEntryStep,
  });
}

export function zbudTransitionSystem(spec: ZbudSpec, props: (m: ZbudMachine) => Properties): TransitionSystem {
  const m = buildZbudMachine(spec);
  return toTransitionSystem(m, spec.setup ?? [], props(m));
}
