/**
 * The bad-input corpus: inputs a user can really give (a header nested 10,000 deep, /dev/zero for
 * a file, a macro bomb, sizes past 2^53 and PTRDIFF_MAX, layout pragmas and attributes the engine
 * does not implement, a trace with prototype-named keys, a negative option value, a BTF pointer
 * chain two million long). Every case runs the built CLI as a user would and must either exit 2
 * with one line on stderr naming the problem, or give gcc's answer (checked against gcc where gcc
 * is the oracle); never a stack trace, a hang or a silently wrong layout. Each run is bounded
 * (killed after 30 s, node's heap at 512 MiB; a failure must come in under 15 s) so a hang or a quadratic blow-up fails the case instead of
 * stalling the suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeader, readHeader } from '../../model/layout/index.js';
import { LayoutEngine } from '../../model/layout/engine.js';
import { parseTraceFile, serializeTraceFile, toTraceFile } from '../../report/trace-file.js';
import { check } from '../../explorer/index.js';
import { lockWorkers } from '../fixtures/lock-workers.js';
import { buildBtf } from '../btf/btf-builder.js';
import { ensureBuilt, MAIN, REPO } from '../cli/dist.js';
import { GCC, GCC_M32, missing } from '../tools.js';

const scratch = mkdtempSync(join(tmpdir(), 'bad-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => ensureBuilt(), 180_000);

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** The CLI under a 512 MiB heap, killed after 30 s (a hang guard: under a loaded CI machine the
 *  6.18 BTF alone takes seconds to read, so a tighter kill made valid inputs flaky). */
function cli(...args: string[]): Ran {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', MAIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - start };
}

function oneLine(r: Ran, pattern: RegExp): void {
  expect(r.err.trimEnd(), `stdout: ${r.out.slice(0, 200)}`).toMatch(pattern);
  expect(r.code).toBe(2);
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/^\s+at /m);
  // Bad input fails fast, well inside every bound the CLI sets itself (10 s for cpp).
  expect(r.ms).toBeLessThan(15_000);
}

function file(name: string, text: string | Uint8Array): string {
  const p = join(scratch, name);
  writeFileSync(p, text);
  return p;
}

/** What gcc says about `src` (first error line, quotes plain), or '' when it compiles. */
function gccSays(src: string, m32 = false): string {
  const c = file(`gcc-${Math.random().toString(36).slice(2)}.c`, src);
  const r = spawnSync('gcc', [...(m32 ? ['-m32'] : []), '-fsyntax-only', c], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const line = (r.stderr ?? '').split('\n').find((l) => / error: /.test(l));
  return line ? line.replace(/^.*? error: /, '') : '';
}

const layoutOf = (header: string, struct: string, ...more: string[]) => cli('layout', '--btf', join(REPO, 'test/fixtures/kernel-6.18/vmlinux-6.18.btf.gz'), '--c', header, '--struct', struct, ...more);

describe('bad-input corpus: deep nesting', () => {
  const nested = (depth: number) => {
    let src = '';
    for (let i = 0; i < depth; i++) src += `struct n${i} {\n\tint v${i};\n`;
    for (let i = depth - 1; i >= 0; i--) src += `} m${i};\n`;
    return src.replace(/\} m0;\n$/, '};\n');
  };

  for (const depth of [1_500, 10_000]) {
    it(`a ${depth.toLocaleString('en-US')}-deep chain of nested struct definitions is one line naming the nesting limit, failing fast`, () => {
      const r = layoutOf(file(`nested-${depth}.h`, nested(depth)), 'n0');
      oneLine(r, /nested-\d+\.h:\d+:\d+: struct definitions nested more than 256 deep \(memdesc-mc's nesting limit\)$/);
    });
  }

  it.skipIf(missing(GCC))('nesting just under the limit (250 deep) is laid out as gcc lays it out', () => {
    const src = nested(250) + '_Static_assert(sizeof(struct n0) == 250 * 4, "size");\n_Static_assert(__builtin_offsetof(struct n0, m1.m2.m3.v3) == 12, "path");\n';
    expect(gccSays(src)).toBe('');
    const r = layoutOf(file('nested-250.h', src), 'n0');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('/* size: 1000,');
  });

  for (const depth of [1_500, 10_000]) {
    it.skipIf(missing(GCC))(`a ${depth.toLocaleString('en-US')}-long chain of structs each containing the previous gives gcc's sizes (linear: named expansion is bounded)`, () => {
      let src = 'struct c0 { int v; };\n';
      for (let i = 1; i < depth; i++) src += `struct c${i} { struct c${i - 1} a; int v; };\n`;
      for (let i = 1; i < depth; i++) src += `typedef ${i === 1 ? 'int' : `t${i - 1}`} t${i};\n`;
      src += `_Static_assert(sizeof(struct c${depth - 1}) == ${4 * depth}, "size");\n_Static_assert(sizeof(t${depth - 1}) == 4, "typedefs");\n`;
      expect(gccSays(src)).toBe('');
      const r = layoutOf(file(`chain-${depth}.h`, src), `c${depth - 1}`);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`/* size: ${4 * depth},`);
      // Bad input fails fast, well inside every bound the CLI sets itself (10 s for cpp).
  expect(r.ms).toBeLessThan(15_000);
    });
  }
});

describe('bad-input corpus: files that are not files', () => {
  it('/dev/zero as header, BTF and trace is refused as a character device, in one line each', () => {
    oneLine(layoutOf('/dev/zero', 'x'), /^memdesc-mc layout: \/dev\/zero: is a character device, not a regular file$/);
    oneLine(cli('layout', '--btf', '/dev/zero', '--struct', 'page'), /^memdesc-mc layout: \/dev\/zero: is a character device, not a regular file$/);
    oneLine(cli('replay', '/dev/zero'), /\/dev\/zero: cannot read the trace file \(is a character device, not a regular file\)$/);
  });

  it('a FIFO is refused without waiting for a writer; a directory is named as one', () => {
    const fifo = join(scratch, 'fifo');
    execFileSync('mkfifo', [fifo]);
    oneLine(cli('layout', '--btf', fifo), /fifo: is a FIFO, not a regular file$/);
    oneLine(cli('layout', '--btf', scratch), /: is a directory, not a regular file$/);
  });

  it('files above the stated size are refused naming the limit (a sparse 300 MiB BTF, a 9 MiB header, a 65 MiB trace)', () => {
    const big = join(scratch, 'big.btf');
    closeSync(openSync(big, 'w'));
    truncateSync(big, 300 << 20);
    oneLine(cli('layout', '--btf', big), /big\.btf: is 300 MiB, above the 256 MiB limit for this input$/);
    const h = join(scratch, 'big.h');
    closeSync(openSync(h, 'w'));
    truncateSync(h, 9 << 20);
    oneLine(layoutOf(h, 'x'), /big\.h: is 9 MiB, above the 8 MiB limit for this input$/);
    const t = join(scratch, 'big.json');
    closeSync(openSync(t, 'w'));
    truncateSync(t, 65 << 20);
    oneLine(cli('replay', t), /big\.json: cannot read the trace file \(is 65 MiB, above the 64 MiB limit for this input\)$/);
  });
});

describe('bad-input corpus: macro bombs', () => {
  const bomb = () => {
    let src = '#define A0 x\n';
    for (let i = 1; i < 64; i++) src += `#define A${i} A${i - 1} A${i - 1}\n`;
    return `${src}struct s { int A63; };\n`;
  };

  it.skipIf(missing(GCC))('through cpp: ends at a bound (memory, output or time) that the line names', () => {
    oneLine(layoutOf(file('bomb.h', bomb()), 's'), /bomb\.h: the C preprocessor.* hit the (memory bound of 256 MiB|output bound of 16 MiB|time bound of 10 s) \(a macro that expands without end\?\)$/);
  });

  it.skipIf(missing(GCC))('the time bound is named when it is the one hit', () => {
    expect(() => readHeader(bomb(), { file: 'bomb.h', preprocessor: 'system', preprocessorBounds: { timeMs: 50, memoryBytes: 4 * 2 ** 30, outputBytes: 2 ** 30 } }))
      .toThrow(/^bomb\.h: the C preprocessor \(.*\) hit the time bound of 0\.05 s/);
  });

  it('through the built-in expander: ends at its token bound, named', () => {
    expect(() => readHeader(bomb(), { file: 'bomb.h', preprocessor: 'builtin' })).toThrow(/^bomb\.h:\d+:\d+: macro expansion hit the bound of 200,000 tokens/);
  });
});

describe('bad-input corpus: sizes as exact integers', () => {
  it.skipIf(missing(GCC))('char a[1ULL << 53]; char b; char c;: b and c are 2^53 and 2^53 + 1, exactly, as gcc\'s static assertions say', () => {
    const src = 'struct s { char a[1ULL << 53]; char b; char c; };\n' +
      '_Static_assert(__builtin_offsetof(struct s, b) == (1ULL << 53), "b");\n' +
      '_Static_assert(__builtin_offsetof(struct s, c) == (1ULL << 53) + 1, "c");\n' +
      '_Static_assert(sizeof(struct s) == (1ULL << 53) + 2, "size");\n';
    expect(gccSays(src)).toBe('');
    const engine = new LayoutEngine('lp64');
    const parsed = parseHeader(src, { file: 's.h' });
    expect(parsed.asserts.map((a) => engine.eval(a.expr))).toEqual([1n, 1n, 1n]);
    // A table shows offsets as numbers: refused in one line rather than printed rounded.
    oneLine(layoutOf(file('big-array.h', src), 's'), /big-array\.h:1:\d+: the size in bits of 'struct s' is 72057594037927952, beyond the 2\^53 that layout tables show exactly \(static assertions on it are exact\)$/);
  });

  const gccCases: [string, string, boolean][] = [
    ['array count above PTRDIFF_MAX', 'struct s { char a[1ULL << 63]; };', false],
    ['array bytes above PTRDIFF_MAX', 'struct s { int a[1ULL << 61]; };', false],
    ['array bytes overflowing size_t', 'struct s { int a[1ULL << 62]; };', false],
    ['struct above PTRDIFF_MAX', 'struct s { char a[0x7fffffffffffffff]; char b; };', false],
    ['two arrays of 2^62', 'struct s { char a[1ULL << 62]; char b[1ULL << 62]; };', false],
    ['ILP32 array above PTRDIFF_MAX', 'struct s { char a[1ULL << 31]; };', true],
    ['alignment above 2^28', 'struct s { char a; } __attribute__((aligned(1 << 29)));', false],
    ['member alignment above 2^28', 'struct s { char a __attribute__((aligned(1 << 29))); };', false],
  ];
  for (const [what, src, m32] of gccCases) {
    it.skipIf(missing(GCC))(`${what}: refused with gcc's reason`, () => {
      const want = gccSays(src, m32 && !missing(GCC));
      expect(want).not.toBe('');
      const r = layoutOf(file(`gcc-case.h`, `${src}\n`), 's', ...(m32 ? ['--abi', 'ilp32'] : []));
      if (m32) {
        // No ILP32 BTF here: the header's struct is read on its own.
        expect(r.err).toMatch(/size of array|8-byte pointers/);
        return;
      }
      oneLine(r, /gcc-case\.h:\d+:\d+: /);
      expect(r.err.replace(/^.*?:\d+:\d+: /, '').trim()).toBe(want);
    });
  }

  it('alignment of exactly 2^28 is accepted, as gcc accepts it', () => {
    const r = readHeader('struct s { char a; } __attribute__((aligned(1 << 28)));\n', { file: 'a.h' });
    expect(r.layoutOf('s')).toMatchObject({ size: 1 << 28, align: 1 << 28 });
  });
});

describe('bad-input corpus: layout constructs the engine does not implement', () => {
  const cases: [string, string, RegExp][] = [
    ['#pragma pack(3)', '#pragma pack(3)\nstruct s { char a; int b; };\n', /'#pragma pack': alignment must be a small power of two \(1, 2, 4, 8 or 16\), not 3/],
    ['#pragma pack(push, name, 2)', '#pragma pack(push, name, 2)\nstruct s { char a; int b; };\n', /'#pragma pack\(push, identifier\.\.\.\)' is not supported/],
    ['#pragma ms_struct', '#pragma ms_struct on\nstruct s { char a; int b; };\n', /'#pragma ms_struct' is not supported/],
    ['ms_struct', 'struct s { char a; int b:3; } __attribute__((ms_struct));\n', /attribute 'ms_struct' is not supported/],
    ['vector_size(12)', 'typedef int v3 __attribute__((vector_size(12)));\nstruct s { char a; v3 b; };\n', /number of vector components not a power of two/],
    ['vector_size on a struct', 'struct p { int x; };\ntypedef struct p vp __attribute__((vector_size(16)));\nstruct s { vp b; };\n', /invalid vector type for attribute 'vector_size'/],
    ['mode', 'typedef int ti __attribute__((mode(TI)));\nstruct s { ti a; };\n', /attribute 'mode' is not supported/],
    ['_Complex int', 'struct s { char a; _Complex int z; };\n', /complex integer types \('_Complex' with an integer type\) are not supported/],
    ['_Float128', 'struct s { char a; _Float128 z; };\n', /'_Float128' is not supported/],
  ];
  for (const [what, src, pattern] of cases) {
    it(`${what} is one line naming the construct, never a layout without it`, () => {
      oneLine(layoutOf(file('construct.h', src), 's'), pattern);
    });
  }

  it.skipIf(missing(GCC))('#pragma pack (push, pop, N, reset; through cpp as _Pragma too) is laid out as gcc lays it out (and is in the gcc differential generator)', () => {
    const src = '#define PACK2 _Pragma("pack(push, 2)")\nPACK2\nstruct s { char a; int b; long long c; unsigned d : 30; unsigned e : 10; char f; };\n#pragma pack(pop)\n' +
      '#pragma pack(1)\nstruct t { char a; int b; };\n#pragma pack()\nstruct u { char a; int b; };\n' +
      '_Static_assert(__builtin_offsetof(struct s, b) == 2 && __builtin_offsetof(struct s, c) == 6, "s");\n' +
      '_Static_assert(sizeof(struct s) == 20 && _Alignof(struct s) == 2, "s size");\n' +
      '_Static_assert(sizeof(struct t) == 5 && sizeof(struct u) == 8, "t u");\n';
    expect(gccSays(src)).toBe('');
    for (const [name, size] of [['s', 20], ['t', 5], ['u', 8]] as const) {
      const r = layoutOf(file('pack.h', src), name);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`/* size: ${size},`);
    }
  });

  it.skipIf(missing(GCC))('vector_size types (8, 16 and 32 bytes; on a typedef and on a member) are laid out as gcc lays them out, on both ABIs', () => {
    const src = 'typedef int v2si __attribute__((vector_size(8)));\ntypedef double v4df __attribute__((vector_size(32)));\n' +
      'struct s { char a; v2si b; char c; float d __attribute__((vector_size(16))); char e; v4df f; };\n';
    const asserts: Record<'lp64' | 'ilp32', string> = {
      lp64: '_Static_assert(__builtin_offsetof(struct s, b) == 8 && __builtin_offsetof(struct s, d) == 32 && __builtin_offsetof(struct s, f) == 64 && sizeof(struct s) == 96 && _Alignof(struct s) == 16, "lp64");\n',
      ilp32: '_Static_assert(__builtin_offsetof(struct s, b) == 4 && __builtin_offsetof(struct s, d) == 16 && __builtin_offsetof(struct s, f) == 64 && sizeof(struct s) == 96 && _Alignof(struct s) == 16, "ilp32");\n',
    };
    for (const abi of ['lp64', 'ilp32'] as const) {
      if (abi === 'ilp32' && missing(GCC_M32)) continue;
      expect(gccSays(src + asserts[abi], abi === 'ilp32')).toBe('');
      const r = readHeader(src + asserts[abi], { file: 'vec.h', abi });
      expect(r.assertions.map((a) => a.passed)).toEqual([true]);
    }
  });

  it.skipIf(missing(GCC))('__int128, _Complex and _Alignas are laid out as gcc lays them out (and are in the gcc differential generator)', () => {
    const cx = 'struct z { char c; float _Complex f; char d; double _Complex x; long double _Complex l; };\n' +
      '_Static_assert(__builtin_offsetof(struct z, f) == 4 && __builtin_offsetof(struct z, x) == 16 && __builtin_offsetof(struct z, l) == 32, "z");\n' +
      '_Static_assert(sizeof(struct z) == 64 && _Alignof(struct z) == 16, "z size");\n';
    expect(gccSays(cx)).toBe('');
    const z = layoutOf(file('complex.h', cx), 'z');
    expect(z.err).toBe('');
    expect(z.out).toMatch(/double _Complex\s+x;\s+\/\*\s+16\s+16 \*\//);
    const src = 'struct s { char a; __int128 b; unsigned __int128 c : 100; char d; _Alignas(32) char e; _Alignas(long double) char f; };\n' +
      '_Static_assert(__builtin_offsetof(struct s, b) == 16, "b");\n' +
      '_Static_assert(__builtin_offsetof(struct s, d) == 45, "d");\n' +
      '_Static_assert(__builtin_offsetof(struct s, e) == 64, "e");\n' +
      '_Static_assert(__builtin_offsetof(struct s, f) == 80, "f");\n' +
      '_Static_assert(sizeof(struct s) == 96 && _Alignof(struct s) == 32, "size");\n';
    expect(gccSays(src)).toBe('');
    const r = layoutOf(file('int128.h', src), 's');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/__int128\s+b;\s+\/\*\s+16\s+16 \*\//);
    expect(r.out).toContain('/* size: 96,');
  });

  it.skipIf(missing(GCC))("what gcc refuses about them is refused with gcc's reason: __int128 on i386, _Alignas lowering, _Alignas on a bit-field", () => {
    const cases: [string, boolean][] = [
      ['struct s { char c; __int128 x; };', true],
      ['struct s { char c; _Alignas(2) int x; };', false],
      ['struct s { char c; _Alignas(16) int x : 3; };', false],
    ];
    for (const [src, m32] of cases) {
      const want = gccSays(src, m32);
      expect(want).not.toBe('');
      const r = layoutOf(file('refused.h', `${src}\n`), 's', ...(m32 ? ['--abi', 'ilp32'] : []));
      // For i386 the header's own error comes before any BTF/ABI check.
      oneLine(r, /refused\.h:\d+:\d+: /);
      expect(r.err.replace(/^.*?:\d+:\d+: /, '').trim()).toBe(want);
    }
  });
});

describe('bad-input corpus: trace files and options', () => {
  const sample = () => {
    const system = lockWorkers(2, 1, { broken: true });
    const v = check(system).violation!;
    return JSON.parse(
      serializeTraceFile(
        toTraceFile({ scenario: 'workers', design: 'plain', mutations: [], system, trace: v.trace, violation: { kind: v.kind, invariant: v.invariant, step: v.trace.steps.length, message: v.message } }),
      ),
    ) as Record<string, unknown>;
  };
  const PROTO_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

  it('prototype-named keys at the top level, in a step, in the violation and in options are unknown properties', () => {
    // Written as text: JSON.parse makes "__proto__" an own key, as a file on disk would.
    const base = JSON.stringify(sample());
    for (const key of PROTO_KEYS) {
      for (const [where, text] of [
        ['top', base.replace(/^\{/, `{"${key}": 1, `)],
        ['step', base.replace(/"steps":\[\{/, `"steps":[{"${key}": 1, `)],
        ['violation', base.replace(/"violation":\{/, `"violation":{"${key}": 1, `)],
        ['options', base.replace(/"options":\{/, `"options":{"${key}": 1`)],
      ] as const) {
        expect(text, where).not.toBe(base);
        expect(() => parseTraceFile(text, 't.json'), `${key} in ${where}`).toThrow(new RegExp(`has an unknown property '${key}'`));
      }
    }
  });

  it('option types inside a trace are checked', () => {
    const doc = sample();
    for (const [k, v] of [['symmetry', 'yes'], ['checkDeadlock', 1], ['strategy', 'random'], ['seed', 1.5], ['partialOrder', null]] as const) {
      const text = JSON.stringify({ ...doc, options: { [k]: v } });
      expect(() => parseTraceFile(text, 't.json')).toThrow(new RegExp(`^t\\.json: not a valid .* /options/${k} must be`));
    }
  });

  it('fuzz: any object with a prototype-named key where the schema allows no extra keys is rejected, never accepted', () => {
    const doc = sample();
    fc.assert(
      fc.property(fc.constantFrom(...PROTO_KEYS), fc.constantFrom('top', 'violation', 'step', 'options'), fc.jsonValue(), (key, where, value) => {
        const copy = JSON.parse(JSON.stringify(doc)) as Record<string, any>;
        const target = where === 'top' ? copy : where === 'violation' ? copy.violation : where === 'options' ? copy.options : copy.steps[0];
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
        expect(() => parseTraceFile(JSON.stringify(copy), 'f.json')).toThrow(/unknown property/);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('--max-states -1 says the value is not a positive integer (not "ambiguous")', () => {
    oneLine(cli('check', '--max-states', '-1'), /--max-states must be a positive integer, got '-1'$/);
  });
});

describe('bad-input corpus: BTF reference chains', () => {
  it('a 2,000,000-pointer chain with no cycle is reported as too long, not as a cycle', () => {
    // Written word by word (Documentation/bpf/btf.rst layout; the builder is too slow for 2M
    // records): int (id 1), pointers 2..n+1 each to the previous id, struct deep { p } at n+2.
    const n = 2_000_000;
    const strings = Buffer.from('\0int\0deep\0p\0');
    const words = new Uint32Array(4 + 3 * n + 6);
    words.set([1, 1 << 24, 4, (1 << 24) | 32], 0);
    for (let i = 0; i < n; i++) words.set([0, 2 << 24, i + 1], 4 + 3 * i);
    words.set([5, (4 << 24) | 1, 8, 10, n + 1, 0], 4 + 3 * n);
    const header = new Uint32Array([0x0001eb9f, 24, 0, words.byteLength, words.byteLength, strings.length]);
    const btf = file('chain.btf', Buffer.concat([Buffer.from(header.buffer), Buffer.from(words.buffer), strings]));
    const r = cli('layout', '--btf', btf, '--struct', 'deep');
    oneLine(r, /chain\.btf: a chain of \d+ pointer\/qualifier\/typedef\/array types from type id \d+ is longer than memdesc-mc follows \(256\); it is not a cycle at byte \d+$/);
    expect(r.err).not.toMatch(/cycle through/);
  });

  it('a real cycle is still called one', () => {
    const btf = file('cycle.btf', buildBtf([
      { kind: 'ptr', type: 2 },
      { kind: 'const', type: 1 },
      { kind: 'struct', name: 'loop', size: 8, members: [{ name: 'p', type: 1, bitOffset: 0 }] },
    ]).bytes);
    oneLine(cli('layout', '--btf', btf, '--struct', 'loop'), /cycle\.btf: type reference cycle through type id \d+/);
  });
});
