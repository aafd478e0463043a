import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** `npm test` builds before vitest; a bare `vitest run` builds here if dist/ is missing. */
export function ensureBuilt(): void {
  if (existsSync(MAIN)) return;
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
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
