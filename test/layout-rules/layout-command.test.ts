import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runLayoutCommand } from '../../cli/commands/layout.js';
import { FIXTURE_BTF, REPO_ROOT, rawFixtureBtf } from '../btf/fixture.js';
import { missing, PAHOLE } from '../tools.js';
import { runPahole } from '../btf/pahole.js';

/** Runs the command with stdout/stderr captured. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    const code = await runLayoutCommand(argv);
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

const BTF = relative(process.cwd(), FIXTURE_BTF);
const PROPOSED = relative(process.cwd(), join(REPO_ROOT, 'scenarios/layouts/memdesc-zspage.h'));
const scratch = mkdtempSync(join(tmpdir(), 'layout-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A one-line error on stderr, nothing on stdout. */
function expectOneLineError(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

describe('memdesc-mc layout', () => {
  it('--design zpdesc on the 6.18 BTF passes every ZPDESC_MATCH and exits 0', async () => {
    const r = await run('--design', 'zpdesc', '--btf', BTF);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('struct zpdesc {');
    expect(r.out).toMatch(/long unsigned int\s+movable_ops;\s+\/\*\s+24\s+8 \*\//);
    expect(r.out).toContain('PASS  ZPDESC_MATCH(mapping, movable_ops): offsetof(struct page, mapping) == offsetof(struct zpdesc, movable_ops)');
    expect(r.out).toContain('all 10 layout checks pass');
  });

  it('--design memdesc with the 6.18 zspage exits 1 naming list/mapping, zsl.cnt/_refcount and the words at flags', async () => {
    const r = await run('--design', 'memdesc', '--btf', BTF);
    expect(r.code).toBe(1);
    expect(r.out).toContain('zspage.list (24..40; list.next 24..32) overlaps page.mapping (24..32): move list past 56 or put mapping at 24');
    expect(r.out).toContain('zsl.cnt 52..56) overlaps page._refcount (52..56)');
    expect(r.out).toContain('zspage bitfield word huge/fullness/class/magic (0..4) overlaps page.flags (0..8)');
    expect(r.out).toContain('zspage.inuse (4..8) overlaps page.flags (0..8)');
    expect(r.out).toMatch(/^FAIL {2}nothing else over page\.mapping/m);
  });

  it('--design memdesc with the proposed header passes every rule and exits 0', async () => {
    const r = await run('--design', 'memdesc', '--btf', BTF, '--c', PROPOSED);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`/* struct zspage: from ${PROPOSED}, align 16 */`);
    expect(r.out).toContain('/* struct page: from ');
    expect(r.out).toMatch(/atomic_t\s+_refcount;\s+\/\*\s+52\s+4 \*\//);
    expect(r.out).not.toMatch(/^FAIL/m);
    expect(r.out).toContain('all 10 layout checks pass');
  });

  it("a header's failing static_assert fails the run (exit 1) with both offsets; rules still run", async () => {
    const h = join(scratch, 'assert.h');
    writeFileSync(
      h,
      `${readFileSync(PROPOSED, 'utf8')}\n_Static_assert(offsetof(struct zspage, list) == offsetof(struct zspage, lru), "list is lru");\n`,
    );
    const r = await run('--design', 'memdesc', '--btf', BTF, '--c', h);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL {2}.*assert\.h:\d+: .*offsetof\(struct zspage, list\)/m);
    expect(r.out).toContain('(struct zspage.list 72..88)');
    expect(r.out).toContain('1 of 11 layout checks FAIL');
  });

  it('--struct and --abi ilp32 lay the header out for i386', async () => {
    const r = await run('--btf', BTF, '--c', PROPOSED, '--abi', 'ilp32', '--struct', 'zspage', '--json');
    expect(r.code).toBe(0);
    const [zspage] = JSON.parse(r.out).structs;
    expect(zspage).toMatchObject({ name: 'zspage', size: 96, align: 16, source: PROPOSED });
    expect(zspage.members.find((m: { name: string }) => m.name === '_refcount').bitOffset).toBe(28 * 8);
  });

  it('--design legacy checks struct page has what zsmalloc uses and exits 0', async () => {
    const r = await run('--design', 'legacy', '--btf', BTF);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS  page.__folio_index: struct page has __folio_index (32..40)');
  });

  it('--json prints one JSON document with structs, rules and the verdict', async () => {
    const r = await run('--design', 'memdesc', '--btf', BTF, '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ design: 'memdesc', abi: 'lp64', passed: false });
    expect(doc.structs.map((s: { role: string }) => s.role)).toEqual(['page', 'zspage', 'memdesc_page', 'memdesc_page_2w']);
    const zspage = doc.structs.find((s: { role: string }) => s.role === 'zspage');
    expect(zspage).toMatchObject({ name: 'zspage', size: 56, align: 8, source: BTF });
    const align = doc.rules.find((x: { kind: string }) => x.kind === 'min-align');
    expect(align).toMatchObject({ passed: false, failures: [expect.stringContaining('is 8, under 16')] });
  });

  it('--struct prints just that struct', async () => {
    const r = await run('--btf', BTF, '--struct', 'size_class');
    expect(r.code).toBe(0);
    expect(r.out).toContain('struct size_class {');
    expect(r.out).toMatch(/struct list_head\s+fullness_list\[12\];\s+\/\*\s+8\s+192 \*\//);
    expect(r.out).toContain('/* size: 328,');
    expect(r.out).not.toContain('struct page {');
    expect(r.out).not.toMatch(/PASS|FAIL/);
  });

  it.skipIf(missing(PAHOLE))('--struct tables are what pahole prints for the zsmalloc structs (alignment in the title line)', async () => {
    for (const name of ['page', 'zpdesc', 'zspage', 'size_class']) {
      const r = await run('--btf', BTF, '--struct', name);
      const ours = r.out.split('\n').filter((l) => !/^\/\* (struct|union) \w+: from /.test(l));
      const pahole = runPahole(['-F', 'btf', '-C', name, rawFixtureBtf()]).split('\n');
      expect(ours.join('\n').trimEnd()).toBe(pahole.join('\n').trimEnd());
      expect(r.out).toContain(`/* struct ${name}: from ${BTF}, align 8 */`);
    }
  });

  it('bad input exits 2 with one line: unknown design, option, ABI mismatch, missing struct or file', async () => {
    expectOneLineError(await run('--design', 'slab', '--btf', BTF), /unknown design 'slab' \(expected legacy, zpdesc, memdesc, two-word-page, zbud-page\)/);
    expectOneLineError(await run('--frobnicate'), /layout: .*frobnicate/);
    expectOneLineError(await run('--btf', BTF, '--abi', 'ilp32'), /vmlinux-6\.18\.btf\.gz: BTF of a kernel with 8-byte pointers, but --abi ilp32/);
    expectOneLineError(await run('--btf', BTF, '--struct', 'no_such_struct'), /vmlinux-6\.18\.btf\.gz: no struct or union named 'no_such_struct'/);
    expectOneLineError(await run('--btf', join(scratch, 'absent.btf')), /absent\.btf: no such file/);
    // The header is ILP32 but struct page would come from an LP64 kernel's BTF.
    expectOneLineError(await run('--design', 'memdesc', '--btf', BTF, '--c', PROPOSED, '--abi', 'ilp32'), /BTF of a kernel with 8-byte pointers, but --abi ilp32/);
  });

  it('a struct name the BTF defines twice is refused naming both type ids, and --type-id picks one', async () => {
    expectOneLineError(
      await run('--btf', BTF, '--struct', 'console'),
      /vmlinux-6\.18\.btf\.gz: 'console' is defined 2 times \(type ids: struct 9090, struct 33896\); choose one with --type-id$/m,
    );
    const r = await run('--btf', BTF, '--type-id', '33896');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^struct console \{$/m);
    expectOneLineError(await run('--btf', BTF, '--type-id', '-3'), /layout: --type-id must be a positive integer, got '-3'$/m);
    expectOneLineError(await run('--btf', BTF, '--type-id', '99999999'), /--type-id 99999999 out of range/);
    expectOneLineError(await run('--btf', BTF, '--type-id', '1'), /type id 1 is INT, not a struct or union/);
  });

  it('an unparsable or unreadable header exits 2 with one FILE:LINE:COL line', async () => {
    const bad = join(scratch, 'bad.h');
    writeFileSync(bad, 'struct zspage {\n\tunsigned long flags\n\tint x;\n};\n');
    expectOneLineError(await run('--design', 'memdesc', '--btf', BTF, '--c', bad), /bad\.h:\d+:\d+: /);
    expectOneLineError(await run('--design', 'memdesc', '--btf', BTF, '--c', join(scratch, 'none.h')), /none\.h/);
  });

  it('a truncated or corrupted BTF file exits 2 naming the file and the byte offset', async () => {
    const bytes = readFileSync(rawFixtureBtf());
    const cut = join(scratch, 'cut.btf');
    writeFileSync(cut, bytes.subarray(0, 1234));
    expectOneLineError(await run('--btf', cut), /cut\.btf: truncated .* at byte 1234$/m);
    const junk = join(scratch, 'junk.btf');
    writeFileSync(junk, Buffer.from('ELF\0 this is not BTF at all'));
    expectOneLineError(await run('--btf', junk), /junk\.btf: bad magic .* at byte 0$/m);
  });

  it('without --btf it reads /sys/kernel/btf/vmlinux, or says to pass --btf where there is none', async () => {
    const r = await run('--design', 'zpdesc');
    if (existsSync('/sys/kernel/btf/vmlinux')) expect([0, 1]).toContain(r.code);
    else expectOneLineError(r, /\/sys\/kernel\/btf\/vmlinux does not exist on this machine; pass --btf FILE/);
  });
});
