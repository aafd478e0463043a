import type { Design } from './designs.js';

/** What distinguishes a design, for people and for `memdesc-mc compare`. */
export interface DesignDoc {
  readonly design: Design;
  readonly era: string;
  readonly summary: string;
  readonly mechanisms: readonly string[];
}
