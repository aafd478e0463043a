import { readFileSync } from 'node:fs';

/** The version in package.json (two folders up from dist/cli/, one up from cli/ under vitest). */
export function toolVersion(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'memdesc-mc' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}
