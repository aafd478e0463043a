/**
 * Generated functions (the packers of packing.ts, the due masks of incremental.ts), kept by
 * their source text for the life of the process.
 *
 * Why: V8 optimises each `new Function` on its own, and for a state of a couple of hundred
 * fields the optimising compiler spends tens to hundreds of milliseconds on `pack` and `unpack`
 * alone (measured with --trace-opt on the largest default zsmalloc scenario, 219 fields: 114 to
 * 332 ms for `pack`), on the process's CPU, while the search runs the slower unoptimised code;
 * a search of a few hundred thousand states takes about as long. Every check builds its layout
 * and triggers anew, and the default suite checks many scenarios with the same fields (the same
 * layout under each mutation and each run), so the same text was compiled again and again. A
 * factory kept by its text is compiled once: the functions it makes share its optimised code,
 * each closing over its own arguments (the layout's `bad`, the triggers' tables), so the text
 * alone decides what the code does.
 */

/** The source texts kept at most (each a few tens of KiB); the oldest goes first. */
const MAX_KEPT = 256;

const factories = new Map<string, (...args: unknown[]) => unknown>();

/**
 * The function `new Function(...params, body)` would build, from the one built for the same
 * parameters and text before when there is one. Call it with the arguments for this use.
 */
export function generatedFactory(params: readonly string[], body: string): (...args: unknown[]) => unknown {
  const key = `${params.join(',')}\n${body}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    factory = new Function(...params, body) as (...args: unknown[]) => unknown;
    if (factories.size >= MAX_KEPT) factories.delete(factories.keys().next().value as string);
    factories.set(key, factory);
  }
  return factory;
}

/** How many factories are kept (for tests). */
export function generatedFactoriesKept(): number {
  return factories.size;
}
