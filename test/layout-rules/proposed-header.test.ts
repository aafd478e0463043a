/**
 * The proposed memdesc struct zspage (scenarios/layouts/memdesc-zspage.h) checked against gcc,
 * the compiler the kernel is built with: gcc compiles the header and prints every member's
 * offset, size and bitfield position, which must equal the hand-built layout the rule tests use
 * (and which passes every memdesc rule there).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GCC, GCC_M32, missing } from '../tools.js';
import { readHeaderFile } from '../../model/layout/index.js';
import { evaluateDesign, memdescPage, memdescPage2w } from '../../model/layout-rules/index.js';
import { REPO_ROOT } from '../btf/fixture.js';
import { PAGE, PROPOSED_ZSPAGE } from './hand-built.js';

const HEADER = resolve(REPO_ROOT, 'scenarios/layouts/memdesc-zspage.h');
const dir = mkdtempSync(join(tmpdir(), 'memdesc-zspage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles and runs a program printing `name offsetBits size bits` for each zspage member. */
function gccLayout(members: readonly { name: string; bitSize?: number }[], m32 = false): string[] {
  const lines = members.map((m) =>
    m.bitSize === undefined
      ? `printf("%s %zu %zu -\\n", "${m.name}", offsetof(struct zspage, ${m.name}) * 8, sizeof(((struct zspage *)0)->${m.name}));`
      : // No offsetof for bitfields: set the field to all ones in a zeroed struct and find its bits.
        `{ union { struct zspage z; unsigned char b[sizeof(struct zspage)]; } u; memset(&u, 0, sizeof u); u.z.${m.name} = ~0u;
           int first = -1, n = 0; for (int i = 0; i < (int)sizeof u.b * 8; i++) if (u.b[i / 8] >> (i % 8) & 1) { if (first < 0) first = i; n++; }
           printf("%s %d %zu %d\\n", "${m.name}", first, sizeof(unsigned int), n); }`,
  );
  const src = `#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "${HEADER}"
int main(void) {
${lines.join('\n')}
printf("sizeof %zu %zu -\\n", sizeof(struct zspage), _Alignof(struct zspage));
printf("memdesc_page %zu %zu -\\n", sizeof(struct memdesc_page), sizeof(struct memdesc_page_2w));
return 0;
}
`;
  const c = join(dir, 'layout.c');
  const exe = join(dir, m32 ? 'layout32' : 'layout64');
  writeFileSync(c, src);
  try {
    execFileSync('gcc', [m32 ? '-m32' : '-m64', '-std=gnu11', '-o', exe, c], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('gcc is not installed: the proposed header is checked with gcc (apt-get install gcc gcc-multilib)');
    throw new Error(`gcc rejected the header: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  }
  return execFileSync(exe, { encoding: 'utf8' }).trim().split('\n');
}

describe('proposed memdesc struct zspage header', () => {
  it.skipIf(missing(GCC))('gcc lays it out exactly as the hand-built layout that passes every memdesc rule (LP64)', () => {
    const got = gccLayout(PROPOSED_ZSPAGE.members);
    const want = PROPOSED_ZSPAGE.members.map((m) => `${m.name} ${m.bitOffset} ${m.size} ${m.bitSize ?? '-'}`);
    want.push(`sizeof ${PROPOSED_ZSPAGE.size} ${PROPOSED_ZSPAGE.align} -`, 'memdesc_page 8 16 -');
    expect(got).toEqual(want);
    const results = evaluateDesign('memdesc', { page: PAGE, zspage: PROPOSED_ZSPAGE, memdesc_page: memdescPage('lp64'), memdesc_page_2w: memdescPage2w('lp64') });
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it.skipIf(missing(GCC, GCC_M32))('on ILP32 (gcc -m32) flags, mapping and _refcount land on the ILP32 struct page offsets 0, 12, 28', () => {
    const got = gccLayout([{ name: 'flags' }, { name: 'lru' }, { name: 'mapping' }, { name: '_refcount' }], true);
    // ILP32 struct page: flags 0..4, lru 4..12, mapping 12..16, index, private, page_type 24..28, _refcount 28..32.
    expect(got.slice(0, 4)).toEqual(['flags 0 4 -', 'lru 32 8 -', 'mapping 96 4 -', '_refcount 224 4 -']);
    expect(got[5]).toBe('memdesc_page 4 8 -');
  });

  it.skipIf(missing(GCC))('the C header reader lays it out as gcc does, and its layouts pass every memdesc rule', () => {
    const report = readHeaderFile(HEADER, { abi: 'lp64' });
    const byName = new Map(report.layouts.map((l) => [l.name, l]));
    const zspage = byName.get('zspage')!;
    const shape = (l: typeof zspage) => l.members.map((x) => [x.name, x.bitOffset, x.size, x.bitSize]);
    expect(shape(zspage)).toEqual(shape(PROPOSED_ZSPAGE));
    expect([zspage.size, zspage.align]).toEqual([PROPOSED_ZSPAGE.size, PROPOSED_ZSPAGE.align]);
    const results = evaluateDesign('memdesc', { page: PAGE, zspage, memdesc_page: byName.get('memdesc_page'), memdesc_page_2w: byName.get('memdesc_page_2w') });
    expect(results.filter((r) => !r.passed).flatMap((r) => r.failures)).toEqual([]);
  });
});
