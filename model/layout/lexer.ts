import { HeaderError, type SourceLoc } from './errors.js';

export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct' | 'directive' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or punctuator text; for numbers the literal as written; for directives the whole line. */
  readonly text: string;
  /** Value of a number or character literal. */
  readonly value?: bigint;
  readonly loc: SourceLoc;
  /** Offsets into the lexed text (for quoting an assertion's source). */
  readonly start: number;
  readonly end: number;
  /** First token on its (logical) line: only there does `#` start a directive. */
  readonly bol: boolean;
}

const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|', '?', ':', ';', '=', ',', '#',
];

const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);

/**
 * Tokenizes C source. Comments and line continuations are dropped; preprocessor lines come out
 * as one `directive` token (text without the `#`). GNU linemarkers (`# 12 "file"`, as `cpp`
 * writes them) are honoured so locations point into the user's file, not the preprocessed text.
 */
export function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let curFile = file;
  let bol = true;
  const n = text.length;
  const loc = (pos: number): SourceLoc => ({ file: curFile, line, col: pos - lineStart + 1 });
  const fail = (pos: number, what: string): never => {
    throw new HeaderError(loc(pos), what);
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      bol = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const startLoc = loc(i);
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw new HeaderError(startLoc, 'unterminated comment');
      for (let k = i; k < close; k++) {
        if (text[k] === '\n') {
          line++;
          lineStart = k + 1;
        }
      }
      i = close + 2;
      continue;
    }
    if (c === '#' && bol) {
      // A directive runs to the end of the line, continuation lines included.
      const start = i;
      const startLoc = loc(i);
      let body = '';
      i++;
      while (i < n && text[i] !== '\n') {
        if (text[i] === '\\' && text[i + 1] === '\n') {
          body += ' ';
          i += 2;
          line++;
          lineStart = i;
          continue;
        }
        if (text[i] === '/' && text[i + 1] === '*') {
          const close = text.indexOf('*/', i + 2);
          if (close < 0) throw new HeaderError(loc(i), 'unterminated comment');
          for (let k = i; k < close; k++) {
            if (text[k] === '\n') {
              line++;
              lineStart = k + 1;
            }
          }
          body += ' ';
          i = close + 2;
          continue;
        }
        if (text[i] === '/' && text[i + 1] === '/') {
          while (i < n && text[i] !== '\n') i++;
          break;
        }
        body += text[i];
        i++;
      }
      const marker = /^\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"/.exec(body);
      if (marker) {
        // Linemarker: the next line is line N of the named file.
        line = Number(marker[1]) - 1;
        curFile = marker[2] === '<stdin>' ? file : marker[2].replace(/\\(.)/g, '$1');
        continue;
      }
      out.push({ kind: 'directive', text: body.trim(), loc: startLoc, start, end: i, bol: true });
      continue;
    }
    const start = i;
    const startLoc = loc(i);
    const wasBol = bol;
    bol = false;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i])) i++;
      const word = text.slice(start, i);
      // Wide/UTF string or char prefixes are not needed for layout headers; treat L'x' as 'x'.
      out.push({ kind: 'ident', text: word, loc: startLoc, start, end: i, bol: wasBol });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[A-Za-z0-9_.]/.test(text[i])) i++;
      const lit = text.slice(start, i);
      out.push({ kind: 'number', text: lit, value: parseIntLiteral(lit, startLoc), loc: startLoc, start, end: i, bol: wasBol });
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\n') fail(start, 'missing terminating " character');
        if (text[i] === '\\') i++;
        i++;
      }
      if (i >= n) fail(start, 'missing terminating " character');
      i++;
      out.push({ kind: 'string', text: text.slice(start, i), loc: startLoc, start, end: i, bol: wasBol });
      continue;
    }
    if (c === "'") {
      i++;
      let value: bigint | undefined;
      if (text[i] === '\\') {
        const esc = text[i + 1];
        const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
        if (esc === 'x') {
          let j = i + 2;
          while (/[0-9a-fA-F]/.test(text[j] ?? '')) j++;
          value = BigInt('0x' + (text.slice(i + 2, j) || '0'));
          i = j;
        } else if (/[0-7]/.test(esc ?? '')) {
          let j = i + 1;
          while (j < i + 4 && /[0-7]/.test(text[j] ?? '')) j++;
          value = BigInt(parseInt(text.slice(i + 1, j), 8));
          i = j;
        } else if (esc !== undefined && esc in simple) {
          value = BigInt(simple[esc]);
          i += 2;
        } else {
          fail(start, 'unknown escape sequence in character constant');
        }
      } else if (i < n && text[i] !== "'" && text[i] !== '\n') {
        value = BigInt(text.charCodeAt(i));
        i++;
      }
      if (text[i] !== "'" || value === undefined) fail(start, 'malformed character constant');
      i++;
      out.push({ kind: 'char', text: text.slice(start, i), value, loc: startLoc, start, end: i, bol: wasBol });
      continue;
    }
    const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
    if (!p) fail(i, `stray '${c}' in program`);
    i += p!.length;
    out.push({ kind: 'punct', text: p!, loc: startLoc, start, end: i, bol: wasBol });
  }
  out.push({ kind: 'eof', text: '', loc: loc(i), start: i, end: i, bol: true });
  return out;
}

function parseIntLiteral(lit: string, loc: SourceLoc): bigint {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(lit);
  if (!m || !/^(u?l{0,2}|l{0,2}u?)$/i.test(m[2]) || /lL|Ll/.test(m[2])) {
    throw new HeaderError(loc, `invalid integer constant '${lit}'`);
  }
  const digits = m[1];
  if (/^0[bB]/.test(digits)) return BigInt(digits);
  if (/^0[0-7]+$/.test(digits)) return BigInt('0o' + digits.slice(1));
  return BigInt(digits);
}
