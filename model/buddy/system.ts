import type { TransitionSystem } from '../../explorer/system.js';
import { toTransitionSystem, type Program, type Properties } from '../step-machine/index.js';
import { defaultBuddyOptions, type BuddyDesign, type BuddyOptions } from './designs.js';
import { BuddyMachine } from './machine.js';
import type { BuddyMutationId } from './mutations.js';
import type { BuddyOp, ZoneShape } from './program.js';
import { buddyEntryStep, buddySteps } from './steps.js';

export interface BuddySpec {
  readonly design: BuddyDesign;
  readonly zone: ZoneShape;
  readonly threads: readonly Program<BuddyOp>[];
  readonly setup?: readonly BuddyOp[];
  readonly mutations?: readonly BuddyMutationId[];
  readonly options?: Partial<BuddyOptions>;
}

export function validateBuddySpec(spec: BuddySpec): string | null {
  const N = spec.zone.pages;
  if (![2, 4, 8].includes(N)) return `zone.pages must be 2, 4 or 8, got ${N}`;
  const maxo = Math.log2(N);
  for (const op of [...(spec.setup ?? []), ...spec.threads.flatMap((t) => t.ops)]) {
    if ('order' in op && !(Number.isInteger(op.order) && op.order >= 0 && op.order <= maxo)) return `op ${op.kind}: order must be 0..${maxo}, got ${op.order}`;
    if (op.kind === 'free' && !(Number.isInteger(op.pfn) && op.pfn >= 0 && op.pfn % (1 << op.order) === 0 && op.pfn + (1 << op.order) <= N)) {
      return `free of page[${op.pfn}] order ${op.order}: not an aligned block of the ${N}-page zone`;
    }
  }
  return null;
}

export function buildBuddyMachine(spec: BuddySpec): BuddyMachine {
  const bad = validateBuddySpec(spec);
  if (bad) throw new Error(`buddy zone: ${bad}`);
  return new BuddyMachine({
    design: spec.design,
    zone: spec.zone,
    threads: spec.threads,
    setupLength: spec.setup?.length ?? 0,
    mutations: new Set(spec.mutations ?? []),
    options: { ...defaultBuddyOptions, ...(spec.options ?? {}) },
    steps: buddySteps,
    entry: buddyEntryStep,
  });
}

export function buddyTransitionSystem(spec: BuddySpec, props: (m: BuddyMachine) => Properties): TransitionSystem {
  const m = buildBuddyMachine(spec);
  return toTransitionSystem(m, spec.setup ?? [], props(m));
}
