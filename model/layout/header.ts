import { InputFileError, readInputText } from '../io/read-input.js';
import { KERNEL_PRELUDE } from './builtins.js';
import { exprToString, recordName, type CType, type Expr, type RecordDecl } from './ctypes.js';
import { LayoutEngine, stripTypedefs } from './engine.js';
import { HeaderError, NoPreprocessorError, type SourceLoc } from './errors.js';
import { tokenize } from './lexer.js';
import { copyScope, emptyScope, Parser, type ParsedHeader, type Scope } from './parser.js';
import {
  builtinPreprocess,
  findSystemPreprocessor,
  needsPreprocessor,
  runSystemPreprocessor,
  type PreprocessorBounds,
  type PreprocessorChoice,
} from './preprocess.js';
import type { Abi, StructLayout } from './types.js';

export interface ReadHeaderOptions {
  /** Name used in locations and messages (default `<header>`). */
  readonly file?: string;
  readonly abi?: Abi;
  readonly preprocessor?: PreprocessorChoice;
  /** Object-like macros, as `-D NAME=VALUE` (e.g. `{ CONFIG_MEMCG: '1' }`). */
  readonly defines?: Readonly<Record<string, string>>;
  /** Time, memory and output bounds of the system preprocessor (default PREPROCESSOR_BOUNDS). */
  readonly preprocessorBounds?: PreprocessorBounds;
}

/** One side of a comparison in a static assertion. */
export interface AssertionOperand {
  /** The operand as written (after macro expansion), e.g. `offsetof(struct page, lru)`. */
  readonly text: string;
  /** Exact: a bigint where a number would round (sizes beyond 2^53). */
  readonly value: number | bigint;
  /** For a bare `offsetof(T, path)`: where that member lies. */
  readonly member?: {
    readonly type: string;
    readonly path: string;
    /** Byte range [start, end) of the member. */
    readonly byteStart: number | bigint;
    readonly byteEnd: number | bigint;
  };
}

export interface AssertionResult {
  readonly loc: SourceLoc;
  /** The assertion after macro expansion: `static_assert(offsetof(struct page, flags) == ...)`. */
  readonly text: string;
  readonly message?: string;
  /** The source line as written in the file (before macro expansion), trimmed. */
  readonly source?: string;
  readonly passed: boolean;
  /** The value of the asserted expression (non-zero passes); a bigint where a number would round. */
  readonly value: number | bigint;
  /** Present when the asserted expression is a comparison. */
  readonly comparison?: { readonly op: string; readonly left: AssertionOperand; readonly right: AssertionOperand };
}

export interface HeaderReport {
  readonly file: string;
  readonly abi: Abi;
  /** Every struct/union the header defines, in order (nested named ones included). */
  readonly layouts: readonly StructLayout[];
  readonly assertions: readonly AssertionResult[];
  /**
   * Any struct/union/typedef visible in the header, built-ins included: `page`,
   * `struct list_head`, `atomic_t`. Undefined for unknown or incomplete types.
   */
  layoutOf(name: string): StructLayout | undefined;
}

let preludeScope: Scope | undefined;

function prelude(): Scope {
  if (!preludeScope) {
    const p = new Parser(tokenize(KERNEL_PRELUDE, '<prelude>'), emptyScope(), true);
    preludeScope = p.parse().scope;
  }
  return preludeScope;
}

/** Parses a header into the ABI-independent type IR (no layout yet). */
export function parseHeader(
  text: string,
  opts: { file?: string; preprocessor?: PreprocessorChoice; defines?: Readonly<Record<string, string>>; preprocessorBounds?: PreprocessorBounds } = {},
): ParsedHeader {
  const file = opts.file ?? '<header>';
  const choice = opts.preprocessor ?? 'auto';
  let tokens;
  if (needsPreprocessor(text) || Object.keys(opts.defines ?? {}).length > 0) {
    const cpp = choice === 'builtin' ? null : findSystemPreprocessor();
    if (cpp) {
      const out = runSystemPreprocessor(text, file, cpp, opts.defines, opts.preprocessorBounds);
      tokens = tokenize(out, file);
      return new Parser(tokens, copyScope(prelude())).parse();
    }
    if (choice === 'system') throw new NoPreprocessorError(file, 'the header uses preprocessor directives');
    tokens = builtinPreprocess(tokenize(text, file), file, opts.defines);
  } else {
    tokens = tokenize(text, file);
  }
  return new Parser(tokens, copyScope(prelude())).parse();
}

/**
 * Reads a kernel-style header: lays out every struct/union for the ABI and evaluates every
 * static assertion. Throws HeaderError (one line, `FILE:LINE:COL: ...`) on bad input and
 * NoPreprocessorError when macros need a preprocessor that is not installed.
 */
export function readHeader(text: string, opts: ReadHeaderOptions = {}): HeaderReport {
  const file = opts.file ?? '<header>';
  const abi = opts.abi ?? 'lp64';
  try {
    const parsed = parseHeader(text, { file, preprocessor: opts.preprocessor, defines: opts.defines, preprocessorBounds: opts.preprocessorBounds });
    return layoutHeader(parsed, file, abi, text);
  } catch (e) {
    // Pathological nesting (thousands of parentheses) exhausts the recursive descent: report it
    // like any other bad input rather than as a crash.
    if (e instanceof RangeError) throw new HeaderError({ file, line: 1, col: 1 }, 'nesting too deep to parse');
    throw e;
  }
}

/** Largest header read: kernel headers are tens of KiB (include/linux/mm_types.h: 50 KiB). */
export const MAX_HEADER_BYTES = 8 << 20;

export function readHeaderFile(path: string, opts: Omit<ReadHeaderOptions, 'file'> & { file?: string } = {}): HeaderReport {
  let text: string;
  try {
    text = readInputText(path, { maxBytes: MAX_HEADER_BYTES });
  } catch (e) {
    if (e instanceof InputFileError) throw new HeaderError({ file: opts.file ?? path, line: 0, col: 0 }, e.reason);
    throw e;
  }
  return readHeader(text, { ...opts, file: opts.file ?? path });
}

/** Lays out a parsed header for one ABI. `sourceText` (the file as read) lets assertions quote their line. */
export function layoutHeader(parsed: ParsedHeader, file: string, abi: Abi, sourceText?: string): HeaderReport {
  const engine = new LayoutEngine(abi);
  const layouts = parsed.records.map((r) => engine.structLayout(r.decl, r.name));
  const lines = sourceText?.split('\n');
  const assertions = parsed.asserts.map((a) => {
    const r = checkAssertion(engine, a.expr, a.text, a.message, a.loc);
    const source = a.loc.file === file ? lines?.[a.loc.line - 1]?.trim() : undefined;
    return source !== undefined ? { ...r, source } : r;
  });
  const scope = parsed.scope;
  const layoutOf = (name: string): StructLayout | undefined => {
    const n = name.trim().replace(/\s+/g, ' ');
    let decl: RecordDecl | undefined;
    let shown = n;
    const tagged = /^(struct|union) (\w+)$/.exec(n);
    if (tagged) {
      decl = scope.tags.get(n) as RecordDecl | undefined;
      shown = tagged[2];
    } else {
      const td = scope.typedefs.get(n);
      const t: CType | undefined = td ? stripTypedefs(td) : undefined;
      if (t?.kind === 'record') decl = t.record;
      else decl = (scope.tags.get(`struct ${n}`) ?? scope.tags.get(`union ${n}`)) as RecordDecl | undefined;
    }
    if (!decl || !('fields' in decl) || !decl.fields) return undefined;
    return engine.structLayout(decl, shown);
  };
  return { file, abi, layouts, assertions, layoutOf };
}

function checkAssertion(engine: LayoutEngine, expr: Expr, text: string, message: string | undefined, loc: SourceLoc): AssertionResult {
  const value = engine.eval(expr);
  const base = { loc, text, ...(message !== undefined ? { message } : {}), passed: value !== 0n, value: exactValue(value) };
  if (expr.kind === 'binary' && ['==', '!=', '<', '>', '<=', '>='].includes(expr.op)) {
    return { ...base, comparison: { op: expr.op, left: operand(engine, expr.left), right: operand(engine, expr.right) } };
  }
  return base;
}

function operand(engine: LayoutEngine, e: Expr): AssertionOperand {
  const value = exactValue(engine.eval(e));
  const text = exprText(e);
  if (e.kind !== 'offsetof') return { text, value };
  const m = engine.locate(e.type, e.path, e.loc);
  const t = stripTypedefs(e.type);
  const typeName = t.kind === 'record' ? recordName(t.record) : engine.spell(e.type);
  const path = e.path.map((s, i) => (s.kind === 'member' ? `${i ? '.' : ''}${s.name}` : `[${engine.eval(s.index)}]`)).join('');
  return { text, value, member: { type: typeName, path, byteStart: exactValue(m.bitOffset / 8n), byteEnd: exactValue((m.bitOffset + 7n) / 8n + m.size) } };
}

/** A number when it is one exactly, else the bigint: printed values are never rounded. */
export function exactValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function exprText(e: Expr): string {
  return e.kind === 'offsetof' ? e.text : exprToString(e);
}
