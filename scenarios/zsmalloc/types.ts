import type { Design } from '../../model/zsmalloc/designs.js';
import type { MutationId } from '../../model/zsmalloc/mutations/index.js';
import type { ProtocolOptions } from '../../model/zsmalloc/memdesc/options.js';
import type { ModelConfig } from '../../model/zsmalloc/config.js';
import type { Op, ThreadProgram } from '../../model/zsmalloc/program.js';
import type { PoolShape } from '../../model/zsmalloc/shape.js';

export type Expectation = { readonly holds: true } | { readonly violates: string };

export interface Bounds {
  /** The run is `incomplete` (and the expectation unmet) beyond this many distinct states. */
  readonly maxStates: number;
  readonly maxDepth?: number;
}

/** A bounded configuration with its expected outcome per design. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly designs: readonly Design[];
  readonly shape: PoolShape;
  /** Run to completion before exploration: the pool the threads start from. */
  readonly setup: readonly Op[];
  readonly threads: readonly ThreadProgram[];
  readonly bounds: Bounds;
  readonly expect: Partial<Record<Design, Expectation>>;
  /** A bug re-introduced for this scenario; without it the same scenario must hold. */
  readonly mutation?: MutationId;
  readonly options?: Partial<ProtocolOptions>;
  /** Build and exploration switches (CONFIG_COMPACTION, how list-order picks are explored);
   *  absent fields take the defaults of model/zsmalloc/config.ts. */
  readonly config?: Partial<ModelConfig>;
}

/** The pool most scenarios use: 3-unit pages, a class of 2-unit objects on 2-page zspages,
 *  so object 1 spans both pages (§1.3). */
export function spanningPool(pageFrames: number, handles = 2, zspageSlots = 2): PoolShape {
  return { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames, zspageSlots, handles };
}

export const allDesigns: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];

export function holdsEverywhere(designs: readonly Design[] = allDesigns): Partial<Record<Design, Expectation>> {
  const e: Partial<Record<Design, Expectation>> = {};
  for (const d of designs) e[d] = { holds: true };
  return e;
}
