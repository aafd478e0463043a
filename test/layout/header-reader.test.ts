/**
 * The header reader: static assertions agree with gcc, failures carry both sides and the
 * member ranges, the built-in prelude matches gcc's layout of the same definitions, errors
 * are one located line, and the built-in macro expander agrees with the system cpp.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { GCC, GCC_M32, missing } from '../tools.js';
import {
  HeaderError,
  KERNEL_PRELUDE,
  NoPreprocessorError,
  bundledHeaderPath,
  membersOverlapping,
  overlaps,
  readHeader,
  readHeaderFile,
  resolveMember,
  type Abi,
} from '../../model/layout/index.js';

/** Does gcc accept this C (prelude included)? */
function gccAccepts(c: string, abi: Abi): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'layout-hdr-'));
  try {
    const f = join(dir, 't.c');
    // No system headers: the prelude defines size_t etc. the kernel's way, which clashes with libc's on i386.
    writeFileSync(f, `#define offsetof(t, m) __builtin_offsetof(t, m)\n#define static_assert _Static_assert\n${KERNEL_PRELUDE}\n${c}\n`);
    const r = spawnSync('gcc', [...(abi === 'ilp32' ? ['-m32'] : []), '-std=gnu11', '-fsyntax-only', '-w', f], { encoding: 'utf8' });
    if (r.error) throw new Error(`gcc is required for this test: ${r.error.message}`);
    return r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFS = `
struct s { char c; long long ll; short sh; struct { int a:3, b:30; }; double d; union { u8 bytes[3]; u16 half; } u; };
enum colour { RED, GREEN = 10, BLUE };
typedef struct s s_t;
`;
const ASSERTIONS = [
  'static_assert(offsetof(struct s, ll) == 8);',
  'static_assert(offsetof(struct s, ll) == 4);',
  'static_assert(sizeof(struct s) == 40, "lp64 size");',
  'static_assert(sizeof(struct s) == 32);',
  '_Static_assert(_Alignof(s_t) == 8 || _Alignof(s_t) == 4, "either ABI");',
  'static_assert(_Alignof(long long) == 4);',
  'static_assert(offsetof(struct s, d) > offsetof(struct s, sh) && offsetof(struct s, u.half) >= 24);',
  'static_assert(sizeof(spinlock_t) == 4 && sizeof(rwlock_t) == 8 && sizeof(struct lockdep_map) == 0);',
  'static_assert(sizeof(struct list_head) == 2 * sizeof(void *));',
  'static_assert(BLUE == 11 && GREEN - RED == 10);',
  'static_assert(sizeof(atomic_long_t) == sizeof(long) && sizeof(memdesc_flags_t) == sizeof(unsigned long));',
  'static_assert((1 << 4) - 1 == 15 && 7 / 2 == 3 && 7 % 2 == 1 && !0 && ~0 == -1);',
  'static_assert(offsetof(struct s, u.bytes[2]) == offsetof(struct s, u) + 2);',
  'static_assert(sizeof(struct callback_head) == sizeof(struct rcu_head) && sizeof(struct work_struct) == 4 * sizeof(long));',
  'static_assert(sizeof(int) - sizeof(long) > 0, "size_t arithmetic wraps");',
  'static_assert((-1 < 0u) == 0 && -1 < 0 && (unsigned char)300 == 44 && 0xffffffff > 0);',
  'static_assert(sizeof(long) - 5 < 4);',
  'static_assert(sizeof(phys_addr_t) == 8 && sizeof(size_t) == sizeof(long) && sizeof(gfp_t) == 4 && sizeof(pgoff_t) == sizeof(long));',
];

describe.each<Abi>(['lp64', 'ilp32'])('static assertions (%s)', (abi) => {
  if (abi === 'ilp32' ? missing(GCC, GCC_M32) : missing(GCC)) return void test.skip('needs gcc' + (abi === 'ilp32' ? ' -m32' : ''), () => {});
  test('each assertion passes in the engine exactly when gcc accepts it', () => {
    const report = readHeader(DEFS + ASSERTIONS.join('\n'), { file: 't.h', abi });
    expect(report.assertions).toHaveLength(ASSERTIONS.length);
    const verdicts = report.assertions.map((a) => a.passed);
    const gcc = ASSERTIONS.map((a) => gccAccepts(`${DEFS}\n${a}`, abi));
    expect(verdicts).toEqual(gcc);
    // Both outcomes must occur, or the comparison proves little.
    expect(new Set(verdicts).size).toBe(2);
  });
});

describe('a failed offsetof comparison explains itself', () => {
  const header = readFileSync(bundledHeaderPath('zsmalloc-6.18.h'), 'utf8')
    // Grow first_obj_offset to 8 bytes: _refcount moves off page->_refcount, the size bound breaks.
    .replace('unsigned int first_obj_offset;', 'unsigned long first_obj_offset;');
  const report = readHeader(header, { file: 'zpdesc-bad.h' });

  test('the _refcount match fails with both offsets and both byte ranges, on its own source line', () => {
    const failed = report.assertions.filter((a) => !a.passed);
    // zpdesc grows to exactly 64 bytes, so the size bound still holds: only the match fails.
    expect(failed.map((a) => a.text)).toEqual(['static_assert(offsetof(struct page, _refcount) == offsetof(struct zpdesc, _refcount))']);
    const refcount = failed[0];
    const line = header.split('\n').findIndex((l) => l.startsWith('ZPDESC_MATCH(_refcount')) + 1;
    expect(refcount.loc).toEqual({ file: 'zpdesc-bad.h', line, col: 1 });
    expect(refcount.comparison).toEqual({
      op: '==',
      left: { text: 'offsetof(struct page, _refcount)', value: 52, member: { type: 'struct page', path: '_refcount', byteStart: 52, byteEnd: 56 } },
      right: { text: 'offsetof(struct zpdesc, _refcount)', value: 56, member: { type: 'struct zpdesc', path: '_refcount', byteStart: 56, byteEnd: 60 } },
    });
    // and what the moved field now lies over in struct page
    const page = report.layoutOf('page')!;
    expect(membersOverlapping(page, 56, 60).map((m) => m.path)).toEqual(['memcg_data']);
  });
});

describe('member paths and overlaps', () => {
  const report = readHeader(readFileSync(bundledHeaderPath('zsmalloc-6.18.h'), 'utf8'), { file: 'z.h' });
  const page = report.layoutOf('page')!;
  const zpdesc = report.layoutOf('zpdesc')!;
  const zspage = report.layoutOf('zspage')!;

  test('paths go through anonymous members and into named ones', () => {
    expect(resolveMember(zspage, 'zsl.cnt')).toMatchObject({ byteStart: 52, byteEnd: 56 });
    expect(resolveMember(page, 'lru.next')).toMatchObject({ byteStart: 8, byteEnd: 16 });
    expect(resolveMember(page, 'lru.prev')).toMatchObject({ byteStart: 16, byteEnd: 24 });
    expect(resolveMember(zspage, 'fullness')).toMatchObject({ bitStart: 1, bitEnd: 5, byteStart: 0, byteEnd: 1 });
    expect(resolveMember(zspage, 'class')).toMatchObject({ bitStart: 5, bitEnd: 14, byteStart: 0, byteEnd: 2 });
    expect(() => resolveMember(zspage, 'zsl.nope')).toThrow(/no member named 'nope'/);
  });

  test('which members of struct page lie under bytes 32..40 (zpdesc->next/handle)', () => {
    // From the 6.18 pahole dump: the index union and the page_pool dma_addr word.
    expect(membersOverlapping(page, 32, 40).map((m) => m.path)).toEqual(['__folio_index', 'share', 'buddy_since', 'dma_addr']);
  });

  test('zpdesc over page: movable_ops lies exactly over mapping and its pool-page twins', () => {
    const o = overlaps(page, zpdesc, { bPath: 'movable_ops' });
    expect(o.map((x) => x.a.path)).toEqual(['mapping', '_pp_mapping_pad']);
    expect(o.map((x) => x.b.path)).toEqual(['movable_ops', 'movable_ops']);
    expect(o.every((x) => x.byteStart === 24 && x.byteEnd === 32)).toBe(true);
  });
});

describe('errors are one located line', () => {
  const cases: [string, RegExp][] = [
    ['struct a { int x }', /^e\.h:1:18: expected ';' at end of member declaration, found '}'$/],
    ['struct a { foo_t x; };', /^e\.h:1:12: unknown type name 'foo_t'$/],
    ['struct a { struct nope n; };', /^e\.h:1:\d+: member 'n' has incomplete type 'struct nope'$/],
    ['struct a { int x; };\nstatic_assert(offsetof(struct a, y) == 0);', /^e\.h:2:\d+: 'struct a' has no member named 'y'$/],
    ['struct a { int x:33; };', /^e\.h:1:\d+: width of 'x' exceeds its type$/],
    ['struct a { int x; };\nstruct a { int y; };', /^e\.h:2:8: redefinition of 'struct a'$/],
    ['/* never closed', /^e\.h:1:1: unterminated comment$/],
    ['struct a { int x; ', /^e\.h:1:\d+: expected '}' to close struct at end of input$/],
  ];
  test.each(cases)('%j', (text, re) => {
    let msg = '';
    try {
      readHeader(text, { file: 'e.h' });
    } catch (e) {
      expect(e).toBeInstanceOf(HeaderError);
      msg = (e as Error).message;
    }
    expect(msg).toMatch(re);
  });
});

test('an unreadable file is one line naming it', () => {
  expect(() => readHeaderFile('no/such/header.h')).toThrow(/^no\/such\/header\.h: no such file$/);
});

describe('macros', () => {
  const text = readFileSync(bundledHeaderPath('zsmalloc-6.18.h'), 'utf8');

  test('the built-in expander and the system cpp give the same assertions and layouts', () => {
    const sys = readHeader(text, { file: 'z.h', preprocessor: 'system' });
    const own = readHeader(text, { file: 'z.h', preprocessor: 'builtin' });
    expect(own.assertions.map((a) => [a.loc.line, a.passed, a.comparison?.left.value, a.comparison?.right.value]))
      .toEqual(sys.assertions.map((a) => [a.loc.line, a.passed, a.comparison?.left.value, a.comparison?.right.value]));
    expect(own.layouts).toEqual(sys.layouts);
  });

  test('defines select #ifdef branches the same way in both preprocessors', () => {
    const src = 'struct zpdesc_x {\n\tunsigned long flags;\n#ifdef CONFIG_MEMCG\n\tunsigned long memcg_data;\n#endif\n};\nstatic_assert(sizeof(struct zpdesc_x) == 8 * NWORDS);\n';
    for (const preprocessor of ['system', 'builtin'] as const) {
      const on = readHeader(src, { file: 'd.h', preprocessor, defines: { CONFIG_MEMCG: '1', NWORDS: '2' } });
      const off = readHeader(src, { file: 'd.h', preprocessor, defines: { NWORDS: '1' } });
      expect([on.layouts[0].size, on.assertions[0].passed, off.layouts[0].size, off.assertions[0].passed], preprocessor).toEqual([16, true, 8, true]);
    }
  });

  test('without cpp, a directive the built-in expander cannot handle is one line naming the file', () => {
    expect(() => readHeader('#if defined(CONFIG_MEMCG)\nstruct a { int x; };\n#endif\n', { file: 'm.h', preprocessor: 'builtin' }))
      .toThrow(NoPreprocessorError);
    expect(() => readHeader('#if defined(CONFIG_MEMCG)\n#endif\n', { file: 'm.h', preprocessor: 'builtin' }))
      .toThrow(/^m\.h: no C preprocessor was found \(cpp or gcc\) and line 1 needs one \(#if defined\(CONFIG_MEMCG\)\)$/);
  });
});

describe.each<Abi>(['lp64', 'ilp32'])('the kernel prelude lays out like gcc (%s)', (abi) => {
  if (abi === 'ilp32' ? missing(GCC, GCC_M32) : missing(GCC)) return void test.skip('needs gcc' + (abi === 'ilp32' ? ' -m32' : ''), () => {});
  test('sizeof and _Alignof of every built-in struct and typedef agree with gcc', () => {
    const names = [
      'atomic_t', 'atomic_long_t', 'atomic64_t', 'refcount_t', 'spinlock_t', 'raw_spinlock_t', 'rwlock_t', 'seqlock_t',
      'memdesc_flags_t', 'swp_entry_t', 'struct list_head', 'struct hlist_node', 'struct llist_node', 'struct callback_head',
      'struct rcu_head', 'struct lockdep_map', 'struct work_struct', 'struct rb_node', 'struct mutex', 'wait_queue_head_t',
    ];
    const report = readHeader('', { abi });
    const mine = names.map((n) => `${n}=${report.layoutOf(n)?.size}/${report.layoutOf(n)?.align}`);
    const asserts = names.map((n, i) => `_Static_assert(sizeof(${n}) == ${report.layoutOf(n)!.size} && _Alignof(${n}) == ${report.layoutOf(n)!.align}, "${i}");`);
    expect(gccAccepts(asserts.join('\n'), abi), mine.join(' ')).toBe(true);
  });
});
