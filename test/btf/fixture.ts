/**
 * The real Linux 6.18 x86_64 BTF (gzip-compressed) and the pahole dump of the zsmalloc structs,
 * shipped under test/fixtures/kernel-6.18 (see the README there for where they came from).
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FIXTURE_DIR = resolve(REPO_ROOT, 'test/fixtures/kernel-6.18');
export const FIXTURE_BTF = resolve(FIXTURE_DIR, 'vmlinux-6.18.btf.gz');
/** `pahole -F btf` and `pahole -F btf --sizes` of that BTF (pahole 1.24), gzip-compressed. */
export const FIXTURE_PAHOLE = resolve(FIXTURE_DIR, 'pahole-6.18.txt.gz');
export const FIXTURE_PAHOLE_SIZES = resolve(FIXTURE_DIR, 'pahole-sizes-6.18.txt.gz');
export const FIXTURE_LAYOUTS = resolve(FIXTURE_DIR, 'kernel-6.18-layouts.txt');

/**
 * The same BTF inflated to a plain file, for pahole and for tests that cut raw bytes: written
 * once into the temporary directory (pahole reads no gzip).
 */
export function rawFixtureBtf(): string {
  const dir = join(tmpdir(), 'memdesc-mc-fixture-6.18');
  const out = join(dir, 'vmlinux-6.18.btf');
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${out}.${process.pid}`;
    writeFileSync(tmp, gunzipSync(readFileSync(FIXTURE_BTF)));
    renameSync(tmp, out);
  }
  return out;
}
