import type { Program } from '../../model/step-machine/index.js';
import type { ZbudDesign, ZbudMutationId, ZbudOp, ZbudOptions, ZbudPoolShape } from '../../model/zbud/index.js';
import type { Bounds, Expectation } from '../zsmalloc/types.js';

/** A bounded zbud configuration with its expected outcome per design. */
export interface ZbudScenario {
  readonly system: 'zbud';
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly designs: readonly ZbudDesign[];
  readonly pool: ZbudPoolShape;
  /** Run to completion before exploration: the pool the threads start from. */
  readonly setup: readonly ZbudOp[];
  readonly threads: readonly Program<ZbudOp>[];
  readonly bounds: Bounds;
  readonly expect: Partial<Record<ZbudDesign, Expectation>>;
  /** A mistake re-introduced for this scenario; without it the same scenario must hold. */
  readonly mutation?: ZbudMutationId;
  readonly options?: Partial<ZbudOptions>;
}

export const store = (entry: number, chunks: number): ZbudOp => ({ kind: 'store', entry, chunks });
export const load = (entry: number): ZbudOp => ({ kind: 'load', entry });
export const invalidate = (entry: number): ZbudOp => ({ kind: 'invalidate', entry });
export const reclaim = (): ZbudOp => ({ kind: 'reclaim' });
export const relocate = (): ZbudOp => ({ kind: 'relocate' });
export const walk = (): ZbudOp => ({ kind: 'walk' });
export const A = 0;
export const B = 1;
export const C = 2;
