import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRegressionDir, type Regression } from '../scenarios/file/regression-file.js';

/**
 * The project's own saved regressions: the *.json files under scenarios/regressions/, in the
 * same format `memdesc-mc save` writes for users. The folder sits beside cli/ in the source tree
 * and in the package (dist/ holds only compiled code), so look one and two levels up.
 */
export function loadRegressions(): Regression[] {
  for (const rel of ['../scenarios/regressions/', '../../scenarios/regressions/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return readRegressionDir(dir);
  }
  return [];
}
