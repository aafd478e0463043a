import type { Design } from '../../model/zsmalloc/designs.js';

/** One entry of the invariant catalogue. */
export interface InvariantDoc {
  readonly name: string;
  /** One line. */
  readonly description: string;
  /** The kernel rule it encodes, as users can look it up: file, function, commit id. */
  readonly kernelRule: string;
  readonly designs: readonly Design[];
  /** How it is checked: on every state, on every step (from apply), or at the end of a run. */
  readonly kind: 'state' | 'step' | 'terminal';
}

export const allDesigns: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];
