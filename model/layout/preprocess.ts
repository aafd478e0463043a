import { spawnSync } from 'node:child_process';
import { HeaderError, NoPreprocessorError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/**
 * How macros are handled: `system` runs cpp/gcc -E, `builtin` expands simple #defines here,
 * `auto` prefers the system preprocessor and falls back to the built-in one.
 */
export type PreprocessorChoice = 'auto' | 'system' | 'builtin';

/** Whether the text has directives beyond `#include`/`#pragma`, i.e. needs a preprocessor. */
export function needsPreprocessor(text: string): boolean {
  return /^[ \t]*#[ \t]*(?!include\b|pragma\b)\w/m.test(text);
}

let cachedCpp: string[] | null | undefined;

/** The system C preprocessor command, or null when neither cpp nor gcc is installed. */
export function findSystemPreprocessor(): string[] | null {
  if (cachedCpp !== undefined) return cachedCpp;
  for (const cmd of [['cpp'], ['gcc', '-E']]) {
    const r = spawnSync(cmd[0], ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0) return (cachedCpp = cmd);
  }
  return (cachedCpp = null);
}

/** Bounds of one system preprocessor run (a macro bomb must end, and say which bound ended it). */
export interface PreprocessorBounds {
  /** Wall-clock time, ms. */
  readonly timeMs: number;
  /** Address space of the preprocessor process (ulimit -v), bytes. */
  readonly memoryBytes: number;
  /** Preprocessed output, bytes. */
  readonly outputBytes: number;
}

/**
 * A kernel layout header preprocesses in milliseconds and a few MiB (its #includes are blanked);
 * these are orders of magnitude above that.
 */
export const PREPROCESSOR_BOUNDS: PreprocessorBounds = { timeMs: 10_000, memoryBytes: 256 << 20, outputBytes: 16 << 20 };

const mib = (n: number): string => `${Math.round(n / (1 << 20))} MiB`;

/**
 * Runs the system preprocessor. `#include` lines are blanked first (kernel headers are not
 * available, and the built-in prelude provides the common types); linemarkers are kept so that
 * locations point at the user's file. `-std=c11` keeps `linux`/`unix` from being predefined.
 * The run is bounded in time, memory (through the shell's ulimit -v) and output; a bound hit is
 * one HeaderError naming the bound.
 */
export function runSystemPreprocessor(
  text: string,
  file: string,
  cmd: string[],
  defines: Readonly<Record<string, string>> = {},
  bounds: PreprocessorBounds = PREPROCESSOR_BOUNDS,
): string {
  const input = text.replace(/^[ \t]*#[ \t]*include\b.*$/gm, '');
  const dflags = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  const args = [...cmd.slice(1), '-std=c11', '-nostdinc', ...dflags, '-x', 'c', '-'];
  const kib = Math.floor(bounds.memoryBytes / 1024);
  const started = Date.now();
  const r = spawnSync('/bin/sh', ['-c', `ulimit -v ${kib} 2>/dev/null; exec "$@"`, 'sh', cmd[0], ...args], {
    input,
    encoding: 'utf8',
    timeout: bounds.timeMs,
    killSignal: 'SIGKILL',
    maxBuffer: bounds.outputBytes,
  });
  const where = { file, line: 0, col: 0 };
  const name = cmd.join(' ');
  const timedOut = Date.now() - started >= bounds.timeMs;
  // EPIPE: the preprocessor died before reading all of its input; its exit says why (below).
  if ((r.error && (r.error as NodeJS.ErrnoException).code !== 'EPIPE') || (r.signal !== null && timedOut)) {
    const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ETIMEDOUT' || timedOut)
      throw new HeaderError(where, `the C preprocessor (${name}) hit the time bound of ${bounds.timeMs / 1000} s (a macro that expands without end?)`);
    if (code === 'ENOBUFS')
      throw new HeaderError(where, `the C preprocessor's output hit the output bound of ${mib(bounds.outputBytes)} (a macro that expands without end?)`);
    throw new NoPreprocessorError(file, `running ${name} failed: ${r.error!.message}`);
  }
  const stderr = r.stderr ?? '';
  if (r.status === 127 && /not found|No such file/.test(stderr)) throw new NoPreprocessorError(file, `${cmd[0]} could not be run`);
  if (r.signal !== null || /out of memory|memory exhausted|Cannot allocate memory/i.test(stderr))
    throw new HeaderError(
      where,
      r.signal !== null && !/memory/i.test(stderr)
        ? `the C preprocessor (${name}) was killed by ${r.signal}`
        : `the C preprocessor (${name}) hit the memory bound of ${mib(bounds.memoryBytes)} (a macro that expands without end?)`,
    );
  if (r.status !== 0) {
    const first = stderr.split('\n').find((l) => /error/.test(l)) ?? 'preprocessing failed';
    const m = /^<stdin>:(\d+):(\d+):\s*(?:fatal )?error:\s*(.*)$/.exec(first);
    if (m) throw new HeaderError({ file, line: Number(m[1]), col: Number(m[2]) }, m[3]);
    throw new HeaderError({ file, line: 1, col: 1 }, first.replace(/^<stdin>:\s*/, ''));
  }
  return r.stdout;
}

const MAX_EXPANDED_TOKENS = 200_000;

interface Macro {
  readonly params?: readonly string[];
  readonly body: readonly Token[];
}

/**
 * A small preprocessor for machines without cpp: object-like and function-like #define (no
 * `#`/`##`), #undef, #ifdef/#ifndef/#if 0/#if 1/#else/#endif. Anything else is an error that
 * says a C preprocessor is needed.
 */
export function builtinPreprocess(tokens: readonly Token[], file: string, defines: Readonly<Record<string, string>> = {}): Token[] {
  const macros = new Map<string, Macro>();
  for (const [k, v] of Object.entries(defines)) {
    macros.set(k, { body: tokenize(v, `<define ${k}>`).filter((x) => x.kind !== 'eof') });
  }
  const out: Token[] = [];
  const conds: { active: boolean; taken: boolean }[] = [];
  const active = (): boolean => conds.every((c) => c.active);
  const need = (t: Token, what: string): never => {
    throw new NoPreprocessorError(file, `line ${t.loc.line} needs one (${what})`);
  };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind === 'directive') {
      i++;
      const m = /^(\w*)\s*(.*)$/s.exec(t.text)!;
      const [word, rest] = [m[1], m[2]];
      switch (word) {
        case 'ifdef':
        case 'ifndef': {
          const def = macros.has(rest.trim());
          const on = word === 'ifdef' ? def : !def;
          conds.push({ active: on, taken: on });
          continue;
        }
        case 'if': {
          const v = rest.trim();
          if (v !== '0' && v !== '1') need(t, `#if ${v}`);
          conds.push({ active: v === '1', taken: v === '1' });
          continue;
        }
        case 'else': {
          const c = conds[conds.length - 1];
          if (!c) throw new HeaderError(t.loc, '#else without #if');
          c.active = !c.taken;
          c.taken = true;
          continue;
        }
        case 'endif':
          if (!conds.pop()) throw new HeaderError(t.loc, '#endif without #if');
          continue;
        case 'elif':
          need(t, '#elif');
      }
      if (!active()) continue;
      switch (word) {
        case 'define': {
          const dm = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/s.exec(rest);
          if (!dm) throw new HeaderError(t.loc, 'macro names must be identifiers');
          const bodyText = dm[4];
          if (/#/.test(bodyText)) need(t, 'the # or ## operator');
          const body = tokenize(bodyText, file).filter((x) => x.kind !== 'eof').map((x) => ({ ...x, loc: t.loc }));
          const params = dm[2] !== undefined ? dm[3].split(',').map((p) => p.trim()).filter((p) => p !== '') : undefined;
          if (params?.some((p) => p === '...')) need(t, 'a variadic macro');
          macros.set(dm[1], params ? { params, body } : { body });
          continue;
        }
        case 'undef':
          macros.delete(rest.trim());
          continue;
        case 'pragma':
          // #pragma pack changes layouts: the parser reads it.
          if (/^pragma\s+pack\b/.test(t.text)) out.push(t);
          continue;
        case 'include':
        case '':
          continue;
        case 'error':
          throw new HeaderError(t.loc, `#error ${rest}`);
        default:
          need(t, `#${word}`);
      }
    }
    if (t.kind === 'eof') {
      if (conds.length) throw new HeaderError(t.loc, 'unterminated #if');
      out.push(t);
      break;
    }
    if (!active()) {
      i++;
      continue;
    }
    i = expandAt(tokens, i, macros, undefined, out, file);
  }
  return out;
}

/** Expands the token at `i` (a macro use or a plain token) into `out`; returns the next index. */
/** Macros being expanded around a token (a chain: cheap to extend, no copying). */
interface Hidden {
  readonly name: string;
  readonly outer?: Hidden;
}

function hidden(h: Hidden | undefined, name: string): boolean {
  for (let c = h; c; c = c.outer) if (c.name === name) return true;
  return false;
}

function expandAt(tokens: readonly Token[], i: number, macros: Map<string, Macro>, hide: Hidden | undefined, out: Token[], file: string): number {
  const t = tokens[i];
  // Nested macros can grow exponentially (#define B A A, #define C B B, ...): stop, don't hang.
  if (out.length > MAX_EXPANDED_TOKENS)
    throw new HeaderError(t.loc, `macro expansion hit the bound of ${MAX_EXPANDED_TOKENS.toLocaleString('en-US')} tokens (a macro that expands without end?)`);
  const mac = t.kind === 'ident' && !hidden(hide, t.text) ? macros.get(t.text) : undefined;
  if (!mac) {
    out.push(t);
    return i + 1;
  }
  let body = mac.body;
  let next = i + 1;
  if (mac.params) {
    const open = tokens[next];
    if (!open || open.kind !== 'punct' || open.text !== '(') {
      out.push(t);
      return i + 1;
    }
    const args: Token[][] = [[]];
    let depth = 0;
    next++;
    for (;;) {
      const a = tokens[next];
      if (!a || a.kind === 'eof') throw new HeaderError(t.loc, `unterminated argument list invoking macro '${t.text}'`);
      next++;
      if (a.kind === 'punct' && a.text === '(') depth++;
      if (a.kind === 'punct' && a.text === ')') {
        if (depth === 0) break;
        depth--;
      }
      if (a.kind === 'punct' && a.text === ',' && depth === 0) {
        args.push([]);
        continue;
      }
      args[args.length - 1].push(a);
    }
    const n = mac.params.length;
    if (!(args.length === n || (n === 0 && args.length === 1 && args[0].length === 0))) {
      throw new HeaderError(t.loc, `macro '${t.text}' expects ${n} arguments, got ${args.length}`);
    }
    const subst: Token[] = [];
    for (const b of body) {
      const k = b.kind === 'ident' ? mac.params.indexOf(b.text) : -1;
      if (k >= 0) {
        const expanded: Token[] = [];
        for (let j = 0; j < args[k].length; ) j = expandAt(args[k], j, macros, hide, expanded, file);
        subst.push(...expanded);
      } else subst.push(b);
    }
    body = subst;
  }
  // Rescan with the macro hidden, so self-reference does not recurse.
  const inner: Hidden = { name: t.text, outer: hide };
  const located = body.map((b) => ({ ...b, loc: t.loc, start: t.start, end: tokens[next - 1].end }));
  for (let j = 0; j < located.length; ) j = expandAt(located, j, macros, inner, out, file);
  return next;
}
