/**
 * Generated functions (the packers of packing.ts, the due masks of incremental.ts, the symmetry
 * images of symmetry.ts), kept by
 * their source text for the life of the process.
 *
 * Why: V8 optimises each `new Function` on its own (its cache of evaluated text shares the
 * bytecode, not the feedback and optimised code), and for a state of a couple of hundred fields
 * the optimising compiler spends tens to hundreds of milliseconds on `pack` and `unpack` alone
 * (--trace-opt on the largest default zsmalloc scenario, 219 fields: 114 and 332 ms for `pack`
 * in two checks of one process), on the process's CPU, while the search runs slower code; a
 * search of a few hundred thousand states takes about as long. Every check builds its layout and
 * triggers anew, and the default suite checks many scenarios with the same fields (the same
 * layout under each mutation and each design that shares it), so the same text was compiled
 * again and again. The functions one kept factory makes share its feedback and optimised code,
 * each closing over its own arguments (the layout's `bad`, the triggers' tables), so the text
 * alone decides what the code does.
 */

/** The source text kept at most, in UTF-16 code units: about four times the 4.3 million of
 *  the whole default suite (555 texts), so a process checking it keeps every text. The least
 *  recently used text goes first. */
const MAX_KEPT_CHARS = 16 * 1024 * 1024;

const factories = new Map<string, (...args: unknown[]) => unknown>();
let keptChars = 0;

/**
 * The function `new Function(...params, body)` would build, from the one built for the same
 * parameters and text before when there is one. Call it with the arguments for this use.
 */
export function generatedFactory(params: readonly string[], body: string): (...args: unknown[]) => unknown {
  const key = `${params.join(',')}\n${body}`;
  let factory = factories.get(key);
  if (factory !== undefined) {
    // Most recently used last: a Map iterates in insertion order.
    factories.delete(key);
    factories.set(key, factory);
    return factory;
  }
  factory = new Function(...params, body) as (...args: unknown[]) => unknown;
  factories.set(key, factory);
  keptChars += key.length;
  for (const old of factories.keys()) {
    if (keptChars <= MAX_KEPT_CHARS || old === key) break;
    factories.delete(old);
    keptChars -= old.length;
  }
  return factory;
}

/** How many factories are kept, and their texts' length in all (for tests). */
export function generatedKept(): { readonly factories: number; readonly chars: number } {
  return { factories: factories.size, chars: keptChars };
}
