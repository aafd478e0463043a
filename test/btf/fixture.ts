/** The real Linux 6.18 x86_64 BTF that CI checks out beside the repository (shared/fixtures). */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FIXTURE_BTF = resolve(REPO_ROOT, '../shared/fixtures/vmlinux-6.18.btf');
