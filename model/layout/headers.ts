import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Headers shipped with the layout checker (model/layout/headers/). */
export type BundledHeader = 'zsmalloc-6.18.h';

/**
 * Path of a shipped header. The .h files stay in the source tree (tsc does not copy them to
 * dist/), so from compiled code look beside the module first, then in the source tree.
 */
export function bundledHeaderPath(name: BundledHeader): string {
  const candidates = [new URL(`./headers/${name}`, import.meta.url), new URL(`../../../model/layout/headers/${name}`, import.meta.url)];
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p)) return p;
  }
  return fileURLToPath(candidates[0]);
}
