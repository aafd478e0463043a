/**
 * System tools some tests compare against (gcc -m32, pahole, chromium). In CI they must be there
 * (.ci/run installs them) and a missing one fails the test; on a developer's machine a test whose
 * tool is missing is skipped with one line naming the Debian package, never silently passed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tool {
  readonly name: string;
  /** The Debian package that provides it. */
  readonly pkg: string;
  readonly probe: () => boolean;
}

function runs(cmd: string, args: readonly string[]): boolean {
  const r = spawnSync(cmd, [...args], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** gcc can build an i386 object only with the multilib headers and libgcc. */
function gccM32(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'm32-'));
  try {
    const c = join(dir, 'a.c');
    writeFileSync(c, '#include <stddef.h>\nint main(void){return (int)sizeof(size_t);}\n');
    return runs('gcc', ['-m32', '-o', join(dir, 'a'), c]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const GCC: Tool = { name: 'gcc', pkg: 'gcc', probe: () => runs('gcc', ['--version']) };
export const GCC_M32: Tool = { name: 'gcc -m32', pkg: 'gcc-multilib', probe: gccM32 };
export const PAHOLE: Tool = { name: 'pahole', pkg: 'dwarves', probe: () => runs('pahole', ['--version']) };
export const CHROMIUM: Tool = {
  name: 'chromium',
  pkg: 'chromium',
  probe: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
};

const seen = new Map<string, boolean>();

/**
 * True when the tests needing `tools` must be skipped: some tool is missing and this is not CI.
 * Prints the reason once per tool.
 */
export function missing(...tools: Tool[]): boolean {
  let skip = false;
  for (const t of tools) {
    let ok = seen.get(t.name);
    if (ok === undefined) {
      ok = t.probe();
      seen.set(t.name, ok);
      if (!ok && !process.env.CI)
        console.warn(`skipped: tests that compare against ${t.name} (install Debian package "${t.pkg}": apt-get install ${t.pkg})`);
    }
    if (!ok && !process.env.CI) skip = true;
  }
  return skip;
}
