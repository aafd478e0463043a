import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

const SOURCES = ['explorer', 'model', 'invariants', 'scenarios', 'cli', 'report'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json)$/.test(e.name) && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm test` builds before vitest; a bare `vitest run` builds here when dist/ is missing or
 *  older than the sources, so the spawned CLI is the code under test. */
export function ensureBuilt(): void {
  const built = existsSync(MAIN) ? statSync(MAIN).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((d) => (existsSync(join(REPO, d)) ? newestSource(join(REPO, d)) : 0)));
  if (built >= newest) return;
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, encoding: 'utf8' });
  // tsc emits despite type errors elsewhere in the tree; only a missing CLI is fatal here.
  if (!existsSync(MAIN)) throw new Error(`tsc did not build the CLI:\n${r.stdout}${r.stderr}`);
}

export interface Spawned {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `node dist/cli/main.js …` as a user would, output piped (not a terminal). */
export function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Spawned {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A spawned run that failed as bad input: exit 2, nothing on stdout, one line on stderr
 *  matching `pattern`, no stack trace. */
export function oneLineError(r: { code: number | null; out: string; err: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\bat .*\.js:\d+/);
}
