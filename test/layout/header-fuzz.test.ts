/**
 * Bad headers never crash or hang the reader: truncated, spliced and garbage input either
 * parses or fails with exactly one line naming FILE:LINE:COL (or the missing preprocessor).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { HeaderError, NoPreprocessorError, bundledHeaderPath, readHeader } from '../../model/layout/index.js';

const ZSMALLOC = readFileSync(bundledHeaderPath('zsmalloc-6.18.h'), 'utf8');
const SMALL = `struct a { int x:3; unsigned y : 5; char c[4]; union { long l; void *p; }; } __attribute__((packed));
enum e { E0, E1 = 4 };
typedef struct a a_t;
static_assert(offsetof(struct a, c[2]) == 3, "c");
_Static_assert(sizeof(a_t) > 0 && _Alignof(a_t) == 1);
`;
const PIECES = ['{', '}', '(', ')', ';', ',', ':', '[', ']', '*', '"', "'", '/*', '#', '#define X(', 'struct', 'union', 'enum', 'typedef',
  '__attribute__((', 'static_assert(', 'offsetof(', 'sizeof(', '0x', '1e5', '\\', '\n', '\u0000', 'é', '@', '`', 'int', 'x', '-1', '<<'];

function checkOneLine(text: string, preprocessor: 'builtin' | 'auto'): void {
  try {
    readHeader(text, { file: 'fuzz.h', preprocessor });
  } catch (e) {
    if (e instanceof HeaderError) {
      expect(e.message).toMatch(/^fuzz\.h:\d+:\d+: [^\n]+$/);
      return;
    }
    if (e instanceof NoPreprocessorError) {
      expect(e.message).toMatch(/^fuzz\.h: no C preprocessor was found[^\n]*$/);
      return;
    }
    throw new Error(`unexpected ${(e as Error).name} for input ${JSON.stringify(text.slice(0, 300))}: ${(e as Error).stack}`);
  }
}

const sourceArb = fc.constantFrom(ZSMALLOC, SMALL);

test('truncated headers give a one-line located error or parse (built-in preprocessor)', () => {
  fc.assert(
    fc.property(sourceArb, fc.double({ min: 0, max: 1, noNaN: true }), (src, at) => checkOneLine(src.slice(0, Math.floor(at * src.length)), 'builtin')),
    { numRuns: 400 },
  );
});

test('headers with garbage spliced in give a one-line located error or parse (built-in preprocessor)', () => {
  fc.assert(
    fc.property(sourceArb, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...PIECES), fc.nat(3)), { minLength: 1, maxLength: 4 }), (src, edits) => {
      let text = src;
      for (const [at, piece, del] of edits) {
        const i = Math.floor(at * text.length);
        text = text.slice(0, i) + piece + text.slice(i + del);
      }
      checkOneLine(text, 'builtin');
    }),
    { numRuns: 400 },
  );
});

test('random token soup gives a one-line located error or parses', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (parts) => checkOneLine(parts.join(' '), 'builtin')), { numRuns: 400 });
});

test('truncated headers through the system preprocessor also give one-line errors', () => {
  fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (at) => checkOneLine(ZSMALLOC.slice(0, Math.floor(at * ZSMALLOC.length)), 'auto')), { numRuns: 25 });
});

test('deep nesting is a one-line error, not a stack overflow', () => {
  checkOneLine(`static_assert(${'('.repeat(20000)}1${')'.repeat(20000)});`, 'builtin');
});

test('exponential macro expansion is a one-line error, not a hang', () => {
  const defs = Array.from({ length: 40 }, (_, i) => `#define M${i + 1} M${i} M${i}`).join('\n');
  checkOneLine(`#define M0 1\n${defs}\nstatic_assert(M40);\n`, 'builtin');
});
