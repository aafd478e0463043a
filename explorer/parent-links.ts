import { ModelError } from './model-error.js';

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
/** Parent of an initial state; its action slot holds the index into `initialStates()`. */
export const NO_PARENT = 0xffffffff;
const MAX_INDEX = 0xffff;

/**
 * For every state id (dense, in discovery order): the id of the state it was first reached
 * from and the index of the action taken there. 5 bytes per state (6 once some state has
 * more than 256 enabled actions), in fixed-size chunks so
 * growing never copies and never over-allocates by more than one chunk. A counterexample is
 * rebuilt from these links by re-executing the actions from the initial state (as Stateright
 * does), so no state is stored twice.
 */
export class ParentLinks {
  private parents: Uint32Array[] = [];
  /** Uint8 until some action index needs more: most states have few enabled actions. */
  private actions: (Uint8Array | Uint16Array)[] = [];
  private wide = false;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.parents.length * CHUNK * (4 + (this.wide ? 2 : 1));
  }

  /** Records the next id's links; returns that id. */
  push(parent: number, actionIndex: number): number {
    if (actionIndex > MAX_INDEX) {
      throw new ModelError(`a state has more than ${MAX_INDEX + 1} enabled actions (or initial states); traces cannot index them`);
    }
    if (actionIndex > 0xff && !this.wide) this.widen();
    const id = this.count;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) {
      this.parents.push(new Uint32Array(CHUNK));
      this.actions.push(this.wide ? new Uint16Array(CHUNK) : new Uint8Array(CHUNK));
    }
    this.parents[c][id & CHUNK_MASK] = parent;
    this.actions[c][id & CHUNK_MASK] = actionIndex;
    this.count = id + 1;
    return id;
  }

  private widen(): void {
    this.wide = true;
    this.actions = this.actions.map((a) => Uint16Array.from(a));
  }

  parent(id: number): number {
    return this.parents[id >>> CHUNK_BITS][id & CHUNK_MASK];
  }

  actionIndex(id: number): number {
    return this.actions[id >>> CHUNK_BITS][id & CHUNK_MASK];
  }

  /** The initial-state index and the action indices leading from it to `id`. */
  path(id: number): { initial: number; indices: number[] } {
    const indices: number[] = [];
    let cur = id;
    while (this.parent(cur) !== NO_PARENT) {
      indices.push(this.actionIndex(cur));
      cur = this.parent(cur);
    }
    indices.reverse();
    return { initial: this.actionIndex(cur), indices };
  }
}
