import type { TransitionSystem } from '../system.js';

/**
 * How a worker thread gets the model: a TransitionSystem holds functions, which cannot cross a
 * thread boundary, so each worker builds its own copy from a module and plain arguments (a
 * scenario id, a design). The model contract (deterministic fields, labels and action order)
 * makes every copy the same system.
 */
export interface SystemRef {
  /** The module's URL (`file://…`), as `import()` takes it. */
  readonly module: string;
  /** Name of the exported function that builds the system. */
  readonly export: string;
  /** Its arguments: plain data (structured-cloneable). */
  readonly args: readonly unknown[];
}

/** Imports the module and calls its builder. */
export async function loadSystem(ref: SystemRef): Promise<TransitionSystem> {
  const mod = (await import(ref.module)) as Record<string, unknown>;
  const build = mod[ref.export];
  if (typeof build !== 'function') throw new Error(`${ref.module} exports no function ${ref.export}`);
  return (await (build as (...a: unknown[]) => TransitionSystem | Promise<TransitionSystem>)(...ref.args));
}
