import type { Program } from '../../model/step-machine/index.js';
import type { BuddyDesign, BuddyMutationId, BuddyOp, BuddyOptions, ZoneShape } from '../../model/buddy/index.js';
import type { Bounds, Expectation } from '../zsmalloc/types.js';

/** A bounded buddy-allocator configuration with its expected outcome per design. */
export interface BuddyScenario {
  readonly system: 'buddy';
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly designs: readonly BuddyDesign[];
  readonly zone: ZoneShape;
  /** Run to completion before exploration, from a zone whose pages are all allocated. */
  readonly setup: readonly BuddyOp[];
  readonly threads: readonly Program<BuddyOp>[];
  readonly bounds: Bounds;
  readonly expect: Partial<Record<BuddyDesign, Expectation>>;
  readonly mutation?: BuddyMutationId;
  readonly options?: Partial<BuddyOptions>;
}

export const alloc = (order: number): BuddyOp => ({ kind: 'alloc', order });
export const free = (pfn: number, order: number): BuddyOp => ({ kind: 'free', pfn, order });
export const report = (): BuddyOp => ({ kind: 'report' });
export const discard = (): BuddyOp => ({ kind: 'discard' });
export const walk = (): BuddyOp => ({ kind: 'walk' });

export const allBuddyDesigns: readonly BuddyDesign[] = ['buddy-struct-page', 'buddy-in-page', 'buddy-descriptor'];
