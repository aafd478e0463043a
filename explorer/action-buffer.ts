import type { Action, ActionSink } from './system.js';

/**
 * The engine's ActionSink: enabled actions land in growable Int32Arrays that are reused for
 * every state, so enumerating actions allocates nothing once the buffer has grown to the
 * widest state.
 */
export class ActionBuffer implements ActionSink {
  thread = new Int32Array(16);
  label = new Int32Array(16);
  choice = new Int32Array(16);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(thread: number, label: number, choice: number): void {
    const n = this.count;
    if (n === this.thread.length) this.grow();
    this.thread[n] = thread;
    this.label[n] = label;
    this.choice[n] = choice;
    this.count = n + 1;
  }

  /** Loads action `i` into the reusable `into` object (no allocation). */
  load(i: number, into: MutableAction): MutableAction {
    into.thread = this.thread[i];
    into.label = this.label[i];
    into.choice = this.choice[i];
    return into;
  }

  /** A fresh immutable copy of action `i` (for traces and reports). */
  get(i: number): Action {
    return { thread: this.thread[i], label: this.label[i], choice: this.choice[i] };
  }

  /** Index of the enabled action equal to `a`, or -1. */
  indexOf(a: Action): number {
    for (let i = 0; i < this.count; i++) {
      if (this.thread[i] === a.thread && this.label[i] === a.label && this.choice[i] === a.choice) return i;
    }
    return -1;
  }

  private grow(): void {
    const n = this.thread.length * 2;
    const t = new Int32Array(n); t.set(this.thread); this.thread = t;
    const l = new Int32Array(n); l.set(this.label); this.label = l;
    const c = new Int32Array(n); c.set(this.choice); this.choice = c;
  }
}

/** The one Action object the hot path reuses for every transition. */
export interface MutableAction {
  thread: number;
  label: number;
  choice: number;
}

export function newMutableAction(): MutableAction {
  // Stryker disable next-line ObjectLiteral: load() sets every field before the object is read
  return { thread: 0, label: 0, choice: 0 };
}
