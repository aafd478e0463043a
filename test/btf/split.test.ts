/**
 * Split BTF: a kernel module's BTF (/sys/kernel/btf/zsmalloc on a kernel where zsmalloc is a
 * module) continues the type ids and string offsets of the vmlinux BTF it was built against.
 * Checked two ways: on bytes written by the test's own builder (hand-counted ids and offsets), and
 * against pahole --btf_base on module BTF that pahole itself encodes, in the test, from objects
 * gcc compiles from small C files (zsmalloc's structs on top of a base with the kernel types they
 * use, and a module struct on top of the shipped 6.18 vmlinux BTF).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runLayoutCommand } from '../../cli/commands/layout.js';
import { Btf, BtfError, structLayout, typeName } from '../../model/btf/index.js';
import { buildBtf } from './btf-builder.js';
import { rawFixtureBtf } from './fixture.js';
import { runPahole } from './pahole.js';
import { GCC, missing, PAHOLE } from '../tools.js';

const scratch = mkdtempSync(join(tmpdir(), 'split-btf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the layout command as on a machine whose running kernel's BTF is `defaultBtf` (none by default). */
async function runWith(defaultBtf: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await runLayoutCommand(argv, { defaultBtf }), out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}
const NO_RUNNING_BTF = join(scratch, 'no-sys-kernel-btf-vmlinux');
const run = (...argv: string[]) => runWith(NO_RUNNING_BTF, ...argv);

/** Our table without the title line (pahole prints no alignment). */
const table = (out: string) => out.split('\n').filter((l) => !/^\/\* (struct|union) \w+: from /.test(l)).join('\n').trimEnd();

// Base: int (1), struct list_head (2), list_head * (3), long int (4).
const base = buildBtf([
  { kind: 'int', name: 'int', size: 4, encoding: 1 },
  { kind: 'struct', name: 'list_head', size: 16, members: [{ name: 'next', type: 3, bitOffset: 0 }, { name: 'prev', type: 3, bitOffset: 64 }] },
  { kind: 'ptr', type: 2 },
  { kind: 'int', name: 'long int', size: 8, encoding: 1 },
]);
// Module: struct zs_pool (5) uses base types 1, 2, 4 and its own pointer type 6; 'next' is a
// base string reused, 'pages' and 'zs_pool' are the module's own strings.
const module = buildBtf(
  [
    {
      kind: 'struct',
      name: 'zs_pool',
      size: 40,
      members: [
        { name: 'pages', type: 4, bitOffset: 0 },
        { name: 'next', type: 6, bitOffset: 64 },
        { name: 'lru', type: 2, bitOffset: 128 },
        { name: 'count', type: 1, bitOffset: 256 },
      ],
    },
    { kind: 'ptr', type: 5 },
  ],
  { base },
);

describe('split (module) BTF', () => {
  it('module type ids continue the base: the first module type is one past the base\'s last', () => {
    const b = new Btf(base.bytes, 'vmlinux.btf');
    const m = new Btf(module.bytes, 'zsmalloc.btf', b);
    expect(b.typeCount).toBe(5);
    expect(m.startId).toBe(5);
    expect(m.typeCount).toBe(7);
    expect(m.type(5)).toMatchObject({ kind: 'STRUCT', name: 'zs_pool', size: 40 });
    expect(m.type(2)).toMatchObject({ kind: 'STRUCT', name: 'list_head' });
    expect(m.fileOf(2)).toBe('vmlinux.btf');
    expect(m.fileOf(5)).toBe('zsmalloc.btf');
  });

  it('module string offsets at or past the base string length name the module\'s own strings, below it the base\'s', () => {
    const m = new Btf(module.bytes, 'zsmalloc.btf', new Btf(base.bytes, 'vmlinux.btf'));
    const l = structLayout(m, 'zs_pool');
    expect(l.members.map((x) => [x.name, x.typeName, x.bitOffset, x.size])).toEqual([
      ['pages', 'long int', 0, 8],
      ['next', 'struct zs_pool *', 64, 8],
      ['lru', 'struct list_head', 128, 16],
      ['count', 'int', 256, 4],
    ]);
    expect(typeName(m, 6)).toBe('struct zs_pool *');
    expect(m.findAggregates('list_head')).toEqual([2]);
    expect(m.aggregateNames().sort()).toEqual(['list_head', 'zs_pool']);
  });

  it('a module BTF read without its base is one error saying it is split BTF and needs --btf-base', () => {
    let e: unknown;
    try {
      new Btf(module.bytes, 'zsmalloc.btf');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(BtfError);
    expect((e as BtfError).code).toBe('needs-base');
    expect((e as BtfError).message).toMatch(/^zsmalloc\.btf: split BTF \(a kernel module's.*pass that BTF with --btf-base$/);
    expect((e as BtfError).message).not.toContain('\n');
  });

  it('a module string offset beyond base + module strings is refused naming both lengths', () => {
    const bad = module.bytes.slice();
    // name_off of the module's first type (the struct): past everything.
    new DataView(bad.buffer).setUint32(module.recordOffsets[1]!, 100_000, true);
    const m = new Btf(bad, 'zsmalloc.btf', new Btf(base.bytes, 'vmlinux.btf'));
    expect(() => m.type(5)).toThrow(/^zsmalloc\.btf: string offset 100000 outside string section \(\d+ \+ \d+ bytes\) at byte \d+$/);
  });

  it('the layout command without --btf-base says so in one line; --btf-base without --btf is a usage error', async () => {
    const mod = join(scratch, 'zsmalloc-synth.btf');
    writeFileSync(mod, module.bytes);
    const r = await run('--btf', mod, '--struct', 'zs_pool');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^.*zsmalloc-synth\.btf: split BTF \(a kernel module's.*--btf-base\n$/);
    // Where the running kernel's BTF exists, it is the base by default (as bpftool does).
    const vmlinux = join(scratch, 'vmlinux-synth.btf');
    writeFileSync(vmlinux, base.bytes);
    const d = await runWith(vmlinux, '--btf', mod, '--struct', 'zs_pool');
    expect(d.err).toBe('');
    expect(d.out).toMatch(/struct list_head\s+lru;\s+\/\*\s+16\s+16 \*\//);
    const u = await run('--btf-base', mod);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^memdesc-mc layout: --btf-base needs --btf/);
  });
});

/** The zsmalloc structs of 6.18 (mm/zsmalloc.c, mm/zpdesc.h), the module's own types. */
const ZSMALLOC_C = `
#include "kernel-types.h"
struct zs_size_stat { unsigned long objs[4]; };
struct zs_pool_stats { atomic_long_t pages_compacted; };
struct zspage_lock { rwlock_t lock; };
struct size_class {
	spinlock_t lock;
	struct list_head fullness_list[12];
	int size;
	int objs_per_zspage;
	int pages_per_zspage;
	unsigned int index;
	struct zs_size_stat stats;
};
struct zpdesc;
struct zs_pool;
struct zspage {
	struct {
		unsigned int huge:1;
		unsigned int fullness:4;
		unsigned int class:9;
		unsigned int magic:8;
	};
	unsigned int inuse;
	unsigned int freeobj;
	struct zpdesc *first_zpdesc;
	struct list_head list;
	struct zs_pool *pool;
	struct zspage_lock zsl;
};
struct zs_pool {
	const char *name;
	struct size_class *size_class[255];
	struct kmem_cache *handle_cachep;
	struct kmem_cache *zspage_cachep;
	atomic_long_t pages_allocated;
	struct zs_pool_stats stats;
	struct shrinker *shrinker;
	struct work_struct free_work;
	rwlock_t lock;
	atomic_t compaction_in_progress;
};
struct zs_pool pool_instance;
struct zspage zspage_instance;
/* Bit holes, an inline anonymous struct with tail padding, an anonymous union. */
struct zs_rich {
	const char *name;
	unsigned int flags:3;
	unsigned int x:7;
	struct { int a; char b; } anon;
	union { long q; int r; };
	struct list_head lru;
	atomic_t count;
};
struct zs_rich rich_instance;
`;

/** The kernel types zsmalloc uses, as the base ("vmlinux") defines them. */
const KERNEL_TYPES_H = `
struct list_head { struct list_head *next, *prev; };
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { unsigned int lock; } arch_rwlock_t;
typedef struct { arch_rwlock_t raw_lock; } rwlock_t;
typedef struct spinlock { unsigned int val; } spinlock_t;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct { atomic_long_t data; struct list_head entry; work_func_t func; };
struct kmem_cache;
struct shrinker;
`;

const KERNEL_TYPES_C = `
#include "kernel-types.h"
struct list_head a; atomic_t b; atomic_long_t c; rwlock_t d; spinlock_t e; struct work_struct f;
`;

function gccObject(name: string, source: string): string {
  const c = join(scratch, `${name}.c`);
  writeFileSync(c, source);
  const o = join(scratch, `${name}.o`);
  execFileSync('gcc', ['-g', '-c', '-O0', '-I', scratch, '-o', o, c], { stdio: 'pipe' });
  return o;
}

describe.skipIf(missing(GCC, PAHOLE))('split BTF against pahole --btf_base on module BTF pahole encodes', () => {
  writeFileSync(join(scratch, 'kernel-types.h'), KERNEL_TYPES_H);

  it('layout --btf zsmalloc.btf --btf-base vmlinux.btf --struct zs_pool (and zspage, size_class) prints what pahole --btf_base prints', async () => {
    const baseBtf = join(scratch, 'vmlinux-small.btf');
    execFileSync('pahole', [`--btf_encode_detached=${baseBtf}`, gccObject('kernel', KERNEL_TYPES_C)], { stdio: 'pipe' });
    const modBtf = join(scratch, 'zsmalloc.btf');
    execFileSync('pahole', [`--btf_encode_detached=${modBtf}`, `--btf_base=${baseBtf}`, gccObject('zsmalloc', ZSMALLOC_C)], { stdio: 'pipe' });
    // The module really is split: its own types do not include the base's.
    const m = Btf.load(modBtf, modBtf, Btf.load(baseBtf));
    expect(m.startId).toBeGreaterThan(5);
    expect(m.findAggregates('list_head')[0]).toBeLessThan(m.startId);
    expect(m.findAggregates('zs_pool')[0]).toBeGreaterThanOrEqual(m.startId);
    for (const name of ['zs_pool', 'zspage', 'size_class', 'zs_rich']) {
      const r = await run('--btf', modBtf, '--btf-base', baseBtf, '--struct', name);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const pahole = runPahole(['-F', 'btf', `--btf_base=${baseBtf}`, '-C', name, modBtf]);
      expect(table(r.out)).toBe(pahole.trimEnd());
    }
    const alone = await run('--btf', modBtf, '--struct', 'zs_pool');
    expect(alone.code).toBe(2);
    expect(alone.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a module struct on top of the shipped 6.18 vmlinux BTF (130,000+ base types) matches pahole --btf_base', async () => {
    const vmlinux = rawFixtureBtf();
    const src = `
struct list_head { struct list_head *next, *prev; };
struct page;
struct zram_entry_test {
	unsigned long handle;
	struct page *page;
	struct list_head lru;
	unsigned int flags:24;
	unsigned int ac_time:8;
	char name[13];
};
struct zram_entry_test instance;
`;
    const modBtf = join(scratch, 'zram-test.btf');
    execFileSync('pahole', [`--btf_encode_detached=${modBtf}`, `--btf_base=${vmlinux}`, gccObject('zram', src)], { stdio: 'pipe' });
    const m = Btf.load(modBtf, modBtf, Btf.load(vmlinux));
    // struct list_head was deduplicated into the base's.
    expect(m.findAggregates('list_head')).toEqual(Btf.load(vmlinux).findAggregates('list_head'));
    expect(m.findAggregates('zram_entry_test')[0]).toBeGreaterThan(100_000);
    const r = await run('--btf', modBtf, '--btf-base', vmlinux, '--struct', 'zram_entry_test');
    expect(r.err).toBe('');
    const pahole = runPahole(['-F', 'btf', `--btf_base=${vmlinux}`, '-C', 'zram_entry_test', modBtf]);
    expect(table(r.out)).toBe(pahole.trimEnd());
  });
});
