import { readdirSync } from 'node:fs';
import type { Regression } from '../scenarios/regressions/types.js';

/**
 * Every module `memdesc-mc save` wrote under scenarios/regressions/ (found by listing the folder,
 * so saving one needs no index edit). Works from the sources (vitest, .ts) and from dist/ (.js).
 */
export async function loadRegressions(): Promise<Regression[]> {
  const dir = new URL('../scenarios/regressions/', import.meta.url);
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const modules = files
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !/^types\.(ts|js)$/.test(f))
    .sort();
  const out: Regression[] = [];
  for (const f of modules) {
    const mod = (await import(new URL(f, dir).href)) as { regression?: Regression };
    if (mod.regression) out.push(mod.regression);
  }
  return out;
}
