import type { CType, EnumDecl, Expr, FieldDecl, IntKind, PathStep, RecordDecl } from './ctypes.js';
import { HeaderError, type SourceLoc } from './errors.js';
import type { Token } from './lexer.js';

/** Names visible at file scope: typedefs, struct/union/enum tags, enumerators. */
export interface Scope {
  readonly typedefs: Map<string, CType>;
  /** Keyed `struct foo`, `union foo`, `enum foo`. */
  readonly tags: Map<string, RecordDecl | EnumDecl>;
  readonly enumerators: Map<string, { decl: EnumDecl; index: number }>;
  /** Declarations owned by the built-in prelude: a header may redefine these. */
  readonly builtin: Set<object>;
}

export const emptyScope = (): Scope => ({ typedefs: new Map(), tags: new Map(), enumerators: new Map(), builtin: new Set() });

export const copyScope = (s: Scope): Scope => ({
  typedefs: new Map(s.typedefs),
  tags: new Map(s.tags),
  enumerators: new Map(s.enumerators),
  builtin: new Set(s.builtin),
});

export interface StaticAssertDecl {
  readonly expr: Expr;
  readonly message?: string;
  /** The assertion as it reads after preprocessing: `static_assert(offsetof(...) == ...)`. */
  readonly text: string;
  readonly loc: SourceLoc;
}

/** A struct/union defined in the parsed text, under the name the user knows it by. */
export interface DefinedRecord {
  /** `page` for `struct page`, `atomic_t` for `typedef struct {...} atomic_t`. */
  readonly name: string;
  readonly decl: RecordDecl;
}

export interface ParsedHeader {
  readonly records: DefinedRecord[];
  readonly asserts: StaticAssertDecl[];
  readonly scope: Scope;
}

const QUALIFIERS = new Set([
  'const', 'volatile', 'static', 'extern', 'inline', '__inline', '__inline__', 'register', 'restrict', '__restrict',
  '__restrict__', 'auto', '_Noreturn', '__always_inline', 'noinline', '__maybe_unused', '__must_check', '__rcu',
  '__percpu', '__iomem', '__user', '__force', '__private', '__randomize_layout', '__no_randomize_layout',
  '__attribute_const__', '__const', '__volatile__', '__signed__', '__data_racy', '_Atomic',
]);
const INT_WORDS = new Set(['signed', 'unsigned', 'char', 'short', 'int', 'long', '_Bool', 'float', 'double', 'void', '__signed__', '__int128', '_Complex', '__complex__']);
/** GCC's predefined typedefs of __int128. */
const INT128_TYPEDEFS: ReadonlyMap<string, readonly string[]> = new Map([
  ['__int128_t', ['__int128']],
  ['__uint128_t', ['unsigned', '__int128']],
]);
const STATIC_ASSERT = new Set(['static_assert', '_Static_assert']);

/**
 * Deepest nesting of struct/union definitions, parenthesised declarators and expressions. The
 * parser and the layout recurse over it, so a bound is what keeps a 10,000-deep header from
 * overflowing the stack; the kernel's deepest nesting is under 10.
 */
export const MAX_NESTING = 256;

/**
 * Type keywords whose layout this engine does not implement: refused in one line naming the
 * construct, never laid out as something else.
 */
const UNSUPPORTED_TYPES: ReadonlyMap<string, string> = new Map([
  ['_Imaginary', "'_Imaginary' types are not supported by memdesc-mc's layout engine"],
  ['_Float16', "'_Float16' is not supported by memdesc-mc's layout engine"],
  ['_Float128', "'_Float128' is not supported by memdesc-mc's layout engine"],
  ['__float128', "'__float128' is not supported by memdesc-mc's layout engine"],
  ['__float80', "'__float80' is not supported by memdesc-mc's layout engine"],
  ['_BitInt', "'_BitInt' is not supported by memdesc-mc's layout engine"],
  ['_Decimal32', "'_Decimal32' is not supported by memdesc-mc's layout engine"],
  ['_Decimal64', "'_Decimal64' is not supported by memdesc-mc's layout engine"],
  ['_Decimal128', "'_Decimal128' is not supported by memdesc-mc's layout engine"],
]);

/**
 * Attributes that change a layout and that this engine does not implement: ignoring them would
 * print a wrong layout, so they are refused naming the attribute.
 */
const UNSUPPORTED_ATTRIBUTES = new Set(['ms_struct', 'mode', 'scalar_storage_order', 'vector']);

/** Pragmas that change layouts (GCC manual, Structure-Layout Pragmas). */
const LAYOUT_PRAGMA = /^\s*pragma\s+(ms_struct|scalar_storage_order)\b/;
/** `#pragma pack(...)` as GCC accepts it (c-pragma.c handle_pragma_pack). */
const PACK_PRAGMA = /^\s*pragma\s+pack\b\s*(.*)$/s;

interface Attrs {
  packed: boolean;
  align?: Expr;
  /** C11 `_Alignas`, kept apart from `aligned`: it may not lower alignment. */
  alignas?: Expr;
  /** `vector_size(N)`: the declared scalar type becomes a vector of N bytes. */
  vectorSize?: { readonly bytes: Expr; readonly loc: SourceLoc };
}

interface Declarator {
  name: string;
  loc: SourceLoc;
  wrap: (base: CType) => CType;
  isFunction: boolean;
}

/**
 * Recursive-descent parser for the subset of C that kernel layout headers use: struct, union
 * and enum definitions, typedefs, static assertions, GNU attributes (aligned, packed) and the
 * kernel's spellings of them. Function declarations and bodies are skipped; declarations of
 * variables are ignored.
 */
export class Parser {
  private pos = 0;
  private depth = 0;
  /** `#pragma pack` state: the current maximum field alignment in bytes (0: none) and the stack. */
  private pack = 0;
  private readonly packStack: number[] = [];
  readonly records: DefinedRecord[] = [];
  readonly asserts: StaticAssertDecl[] = [];

  constructor(
    private readonly toks: readonly Token[],
    readonly scope: Scope,
    private readonly isPrelude = false,
  ) {}

  // ---- token helpers -------------------------------------------------------------------

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  private accept(text: string): boolean {
    if (this.is(text)) {
      this.pos++;
      return true;
    }
    return false;
  }
  /** Enters one level of nesting at `t`; past MAX_NESTING one line says so. Pair with leave(). */
  private enter(t: Token, what: string): void {
    if (++this.depth > MAX_NESTING) this.fail(t, `${what} nested more than ${MAX_NESTING} deep (memdesc-mc's nesting limit)`);
  }
  private leave(): void {
    this.depth--;
  }

  private failAt(loc: SourceLoc, what: string): never {
    throw new HeaderError(loc, what);
  }

  private fail(t: Token, what: string): never {
    throw new HeaderError(t.loc, t.kind === 'eof' ? `${what} at end of input` : what);
  }
  private expect(text: string, context: string): Token {
    const t = this.peek();
    if (!this.is(text)) this.fail(t, `expected '${text}' ${context}, found ${describe(t)}`);
    return this.next();
  }
  private ident(context: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(t, `expected identifier ${context}, found ${describe(t)}`);
    return this.next();
  }

  /** Source text from token `a` to token `b`, rebuilt from tokens (macro expansions have no source of their own). */
  private textBetween(a: Token, b: Token): string {
    const i = this.toks.indexOf(a);
    const j = this.toks.indexOf(b, i);
    let s = '';
    let prev: Token | undefined;
    for (const t of this.toks.slice(i, j + 1)) {
      const word = (x: Token): boolean => x.kind === 'ident' || x.kind === 'number' || x.kind === 'char' || x.kind === 'string';
      if (prev && ((word(prev) && word(t)) || prev.text === ',' || (t.kind === 'punct' && /^(==|!=|<=|>=|&&|\|\||[<>+\-/%|^?:])$/.test(t.text)) || (prev.kind === 'punct' && /^(==|!=|<=|>=|&&|\|\||[<>+/%|^?:])$/.test(prev.text)))) s += ' ';
      s += t.text;
      prev = t;
    }
    return s;
  }

  // ---- translation unit ----------------------------------------------------------------

  parse(): ParsedHeader {
    while (this.peek().kind !== 'eof') this.externalDeclaration();
    return { records: this.records, asserts: this.asserts, scope: this.scope };
  }

  private externalDeclaration(): void {
    const t = this.peek();
    if (t.kind === 'directive') {
      const word = /^\s*(\w*)/.exec(t.text)![1];
      const pack = PACK_PRAGMA.exec(t.text);
      if (pack) {
        this.pragmaPack(t, pack[1]!.trim());
        this.next();
        return;
      }
      const layoutPragma = LAYOUT_PRAGMA.exec(t.text);
      if (layoutPragma)
        this.fail(t, `'#pragma ${layoutPragma[1]}' is not supported by memdesc-mc's layout engine (it would lay the structs out as if it were absent)`);
      if (word === 'include' || word === 'pragma' || word === '') {
        this.next();
        return;
      }
      this.fail(t, `unexpected preprocessor directive '#${word}'`);
    }
    if (this.accept(';')) return;
    if (t.kind === 'ident' && STATIC_ASSERT.has(t.text)) {
      this.staticAssert();
      return;
    }
    if (this.accept('typedef')) {
      this.typedefDeclaration();
      return;
    }
    this.specifiers();
    if (this.accept(';')) return;
    for (;;) {
      const d = this.declarator(false);
      this.attributes();
      if (d.isFunction && this.is('{')) {
        this.skipBalanced('{', '}');
        return;
      }
      if (this.accept('=')) this.skipInitializer();
      if (this.accept(',')) continue;
      this.expect(';', 'after declaration');
      return;
    }
  }

  /**
   * `#pragma pack(N)`, `pack()`, `pack(push[, N])`, `pack(pop)`, as GCC's handle_pragma_pack:
   * N is 1, 2, 4, 8 or 16 bytes; anything else is refused (GCC warns and ignores it, which would
   * leave the layout unlike what the header's author meant).
   */
  private pragmaPack(t: Token, args: string): void {
    const m = /^\(\s*(?:(push|pop)\s*(?:,\s*(\w+)\s*)?(?:,\s*(\w+)\s*)?)?(\w*)\s*\)$/.exec(args);
    if (!m) this.fail(t, `malformed '#pragma pack${args ? ` ${args}` : ''}' (expected pack(N), pack(), pack(push[, N]) or pack(pop))`);
    const [, op, a1, a2, bare] = m;
    const value = (text: string): number => {
      if (!/^(1|2|4|8|16)$/.test(text)) this.fail(t, `'#pragma pack': alignment must be a small power of two (1, 2, 4, 8 or 16), not ${text}`);
      return Number(text);
    };
    if (op === 'push') {
      // pack(push, ident[, N]) names the pushed entry; identifiers are not supported here.
      const n = a2 ?? a1;
      if (a2 !== undefined || (a1 !== undefined && !/^\d+$/.test(a1))) this.fail(t, "'#pragma pack(push, identifier...)' is not supported");
      this.packStack.push(this.pack);
      if (n !== undefined) this.pack = value(n);
    } else if (op === 'pop') {
      if (a1 !== undefined) this.fail(t, "'#pragma pack(pop, ...)' is not supported");
      // GCC warns on a pop with nothing pushed and resets to the default.
      this.pack = this.packStack.pop() ?? 0;
    } else {
      this.pack = bare ? value(bare) : 0;
    }
  }

  private typedefDeclaration(): void {
    const spec = this.specifiers();
    for (;;) {
      const d = this.declarator(false);
      if (!d.name) this.fail(this.peek(), 'expected a name in typedef');
      const attrs = this.attributes();
      mergeAttrs(attrs, { packed: false, ...(spec.attrs.vectorSize ? { vectorSize: spec.attrs.vectorSize } : {}) });
      const target = d.wrap(vectorOf(spec.type, attrs, (l, w) => this.failAt(l, w)));
      if (target.kind === 'record' && !target.record.tag && !target.record.typedefName) {
        target.record.typedefName = d.name;
        if (target.record.fields && !this.isPrelude) this.records.push({ name: d.name, decl: target.record });
      }
      const td: CType = { kind: 'typedef', name: d.name, target, ...(attrs.align ? { alignAttr: attrs.align } : {}) };
      this.scope.typedefs.set(d.name, td);
      if (this.isPrelude) this.scope.builtin.add(td);
      if (this.accept(',')) continue;
      this.expect(';', 'after typedef');
      return;
    }
  }

  private staticAssert(): StaticAssertDecl {
    const kw = this.next();
    this.expect('(', `after '${kw.text}'`);
    const expr = this.expression();
    let message: string | undefined;
    if (this.accept(',')) {
      const s = this.peek();
      if (s.kind !== 'string') this.fail(s, 'expected string literal as static assertion message');
      message = '';
      while (this.peek().kind === 'string') message += unquote(this.next().text);
    }
    const close = this.expect(')', 'to close the static assertion');
    this.expect(';', 'after static assertion');
    const sa: StaticAssertDecl = { expr, message, text: this.textBetween(kw, close), loc: kw.loc };
    this.asserts.push(sa);
    return sa;
  }

  // ---- specifiers ----------------------------------------------------------------------

  private isTypeStart(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind !== 'ident') return false;
    return (
      INT_WORDS.has(t.text) || QUALIFIERS.has(t.text) || t.text === 'struct' || t.text === 'union' || t.text === 'enum' ||
      t.text === '__attribute__' || t.text === '__attribute' || this.scope.typedefs.has(t.text)
    );
  }

  /** Declaration specifiers: the base type, with qualifiers and attributes consumed. */
  private specifiers(): { type: CType; attrs: Attrs } {
    const words: string[] = [];
    let type: CType | undefined;
    const attrs: Attrs = { packed: false };
    const first = this.peek();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'ident') break;
      if (QUALIFIERS.has(t.text)) {
        this.next();
        continue;
      }
      const unsupported = UNSUPPORTED_TYPES.get(t.text);
      if (unsupported) this.fail(t, unsupported);
      if (t.text === '_Alignas' || t.text === 'alignas') {
        this.next();
        this.expect('(', `after '${t.text}'`);
        const e: Expr = this.isTypeStart() ? { kind: 'alignof', type: this.typeName(), loc: t.loc } : this.expression();
        this.expect(')', `to close '${t.text}('`);
        attrs.alignas = e;
        continue;
      }
      const int128 = INT128_TYPEDEFS.get(t.text);
      if (int128 && !type && !this.scope.typedefs.has(t.text)) {
        words.push(...int128);
        this.next();
        continue;
      }
      if (this.isAttributeStart()) {
        mergeAttrs(attrs, this.attributes());
        continue;
      }
      if (INT_WORDS.has(t.text)) {
        if (type) this.fail(t, `two or more data types in declaration specifiers`);
        words.push(t.text === '__signed__' ? 'signed' : t.text);
        this.next();
        continue;
      }
      if (t.text === 'struct' || t.text === 'union') {
        if (type || words.length) this.fail(t, 'two or more data types in declaration specifiers');
        type = this.recordSpecifier();
        continue;
      }
      if (t.text === 'enum') {
        if (type || words.length) this.fail(t, 'two or more data types in declaration specifiers');
        type = this.enumSpecifier();
        continue;
      }
      if (!type && words.length === 0 && this.scope.typedefs.has(t.text)) {
        type = this.scope.typedefs.get(t.text)!;
        this.next();
        continue;
      }
      break;
    }
    if (type) return { type, attrs };
    if (words.length === 0) {
      const t = this.peek();
      if (t.kind === 'ident') this.fail(t, `unknown type name '${t.text}'`);
      this.fail(t, `expected a type, found ${describe(t)}`);
    }
    return { type: intType(words, first, (tok, w) => this.fail(tok, w)), attrs };
  }

  private isAttributeStart(): boolean {
    const t = this.peek();
    return t.kind === 'ident' && /^(__attribute__|__attribute|__aligned|__packed|____cacheline_aligned(_in_smp)?|__cacheline_aligned(_in_smp)?|__counted_by|__designated_init)$/.test(t.text);
  }

  /** GNU attributes and the kernel's macros for them; unknown attributes are skipped. */
  private attributes(): Attrs {
    const attrs: Attrs = { packed: false };
    while (this.isAttributeStart()) {
      const t = this.next();
      switch (t.text) {
        case '__packed':
          attrs.packed = true;
          break;
        case '__aligned':
          this.expect('(', "after '__aligned'");
          attrs.align = this.expression();
          this.expect(')', "to close '__aligned('");
          break;
        case '____cacheline_aligned':
        case '____cacheline_aligned_in_smp':
        case '__cacheline_aligned':
        case '__cacheline_aligned_in_smp':
          // L1_CACHE_BYTES on x86.
          attrs.align = { kind: 'num', value: 64n, loc: t.loc };
          break;
        case '__counted_by':
          this.skipBalanced('(', ')');
          break;
        case '__designated_init':
          break;
        default: {
          this.expect('(', 'after __attribute__');
          this.expect('(', 'after __attribute__(');
          while (!this.is(')')) {
            const nameTok = this.ident('in attribute list');
            const name = nameTok.text.replace(/^__(.*)__$/, '$1');
            if (UNSUPPORTED_ATTRIBUTES.has(name))
              this.fail(nameTok, `attribute '${name}' is not supported by memdesc-mc's layout engine (it changes the layout)`);
            if (name === 'packed') attrs.packed = true;
            else if (name === 'vector_size') {
              this.expect('(', 'after vector_size');
              attrs.vectorSize = { bytes: this.expression(), loc: nameTok.loc };
              this.expect(')', 'to close vector_size(');
            }
            else if (name === 'aligned') {
              if (this.accept('(')) {
                attrs.align = this.expression();
                this.expect(')', 'to close aligned(');
              } else attrs.align = { kind: 'num', value: 0n, loc: t.loc };
            } else if (this.is('(')) this.skipBalanced('(', ')');
            if (!this.accept(',')) break;
          }
          this.expect(')', 'to close the attribute list');
          this.expect(')', 'to close __attribute__');
        }
      }
    }
    return attrs;
  }

  private recordSpecifier(): CType {
    const kwTok = this.next();
    const kind = kwTok.text as 'struct' | 'union';
    const attrs = this.attributes();
    let tag = '';
    let tagTok = kwTok;
    if (this.peek().kind === 'ident' && !this.isAttributeStart()) {
      tagTok = this.next();
      tag = tagTok.text;
    }
    if (!this.is('{')) {
      if (!tag) this.fail(this.peek(), `expected '{' or a tag after '${kind}', found ${describe(this.peek())}`);
      return { kind: 'record', record: this.lookupRecord(kind, tag, tagTok) };
    }
    let decl: RecordDecl;
    if (tag) {
      const key = `${kind} ${tag}`;
      const existing = this.scope.tags.get(key) as RecordDecl | undefined;
      if (existing && existing.fields && !this.scope.builtin.has(existing)) this.fail(tagTok, `redefinition of '${key}'`);
      if (existing && !this.scope.builtin.has(existing) && !existing.fields) decl = existing;
      else {
        decl = { kind, tag, packed: false, loc: tagTok.loc };
        this.scope.tags.set(key, decl);
      }
      decl.loc = tagTok.loc;
    } else {
      decl = { kind, tag, packed: false, loc: kwTok.loc };
    }
    if (this.isPrelude) this.scope.builtin.add(decl);
    this.enter(kwTok, `${kind} definitions`);
    this.expect('{', `to open ${kind} body`);
    const fields: FieldDecl[] = [];
    while (!this.accept('}')) this.fieldDeclaration(decl, fields);
    this.leave();
    const after = this.attributes();
    mergeAttrs(attrs, after);
    decl.fields = fields;
    decl.packed = attrs.packed;
    if (this.pack) decl.maxFieldAlign = this.pack;
    if (attrs.align) decl.alignAttr = attrs.align;
    if (tag && !this.isPrelude) this.records.push({ name: tag, decl });
    return { kind: 'record', record: decl };
  }

  private lookupRecord(kind: 'struct' | 'union', tag: string, tok: Token): RecordDecl {
    const key = `${kind} ${tag}`;
    const other = this.scope.tags.get(`${kind === 'struct' ? 'union' : 'struct'} ${tag}`);
    if (other && !this.scope.tags.has(key)) this.fail(tok, `'${tag}' defined as wrong kind of tag`);
    let decl = this.scope.tags.get(key) as RecordDecl | undefined;
    if (!decl) {
      decl = { kind, tag, packed: false, loc: tok.loc };
      this.scope.tags.set(key, decl);
      if (this.isPrelude) this.scope.builtin.add(decl);
    }
    return decl;
  }

  private fieldDeclaration(owner: RecordDecl, fields: FieldDecl[]): void {
    const t = this.peek();
    if (t.kind === 'eof') this.fail(t, `expected '}' to close ${owner.kind}`);
    if (this.accept(';')) return;
    if (t.kind === 'ident' && STATIC_ASSERT.has(t.text)) {
      this.staticAssert();
      return;
    }
    const spec = this.specifiers();
    if (this.is(';')) {
      const base = spec.type;
      if (base.kind === 'record' && !base.record.tag) {
        fields.push({ name: '', type: base, packed: spec.attrs.packed, ...(spec.attrs.align ? { alignAttr: spec.attrs.align } : {}), loc: t.loc });
      }
      this.next();
      return;
    }
    for (;;) {
      let d: Declarator = { name: '', loc: this.peek().loc, wrap: (b) => b, isFunction: false };
      if (!this.is(':')) d = this.declarator(false);
      let bitWidth: Expr | undefined;
      if (this.accept(':')) bitWidth = this.conditional();
      const attrs = this.attributes();
      mergeAttrs(attrs, spec.attrs);
      const type = d.wrap(vectorOf(spec.type, attrs, (l, w) => this.failAt(l, w)));
      if (!d.name && bitWidth === undefined) this.fail(this.peek(), 'expected a member name');
      if (type.kind === 'function') this.fail(this.peek(d.name ? -1 : 0), `member '${d.name}' declared as a function`);
      if (type.kind === 'record' && !type.record.fields) this.fail(this.toks[this.pos - 1], `member '${d.name}' has incomplete type '${type.record.kind} ${type.record.tag}'`);
      if (fields.some((f) => f.name && f.name === d.name)) this.fail(this.toks[this.pos - 1], `duplicate member '${d.name}'`);
      if (attrs.alignas && bitWidth !== undefined) this.fail(this.toks[this.pos - 1], `alignment specified for bit-field '${d.name || '<unnamed>'}'`);
      fields.push({
        name: d.name,
        type,
        ...(bitWidth ? { bitWidth } : {}),
        ...(attrs.align ? { alignAttr: attrs.align } : {}),
        ...(attrs.alignas ? { alignas: attrs.alignas } : {}),
        packed: attrs.packed,
        loc: d.loc,
      });
      if (this.accept(',')) continue;
      this.expect(';', `at end of member declaration`);
      return;
    }
  }

  private enumSpecifier(): CType {
    const kw = this.next();
    this.attributes();
    let tag = '';
    let tagTok = kw;
    if (this.peek().kind === 'ident') {
      tagTok = this.next();
      tag = tagTok.text;
    }
    if (!this.is('{')) {
      if (!tag) this.fail(this.peek(), `expected '{' or a tag after 'enum', found ${describe(this.peek())}`);
      let decl = this.scope.tags.get(`enum ${tag}`) as EnumDecl | undefined;
      if (!decl) {
        decl = { tag, loc: tagTok.loc };
        this.scope.tags.set(`enum ${tag}`, decl);
      }
      return { kind: 'enum', decl };
    }
    const existing = this.scope.tags.get(`enum ${tag}`) as EnumDecl | undefined;
    if (tag && existing?.enumerators && !this.scope.builtin.has(existing)) this.fail(tagTok, `redefinition of 'enum ${tag}'`);
    const decl: EnumDecl = existing && !existing.enumerators ? existing : { tag, loc: tagTok.loc };
    if (tag) this.scope.tags.set(`enum ${tag}`, decl);
    if (this.isPrelude) this.scope.builtin.add(decl);
    this.next();
    const list: { name: string; value?: Expr }[] = [];
    decl.enumerators = list;
    while (!this.accept('}')) {
      const name = this.ident('in enumerator list');
      let value: Expr | undefined;
      if (this.accept('=')) value = this.conditional();
      this.scope.enumerators.set(name.text, { decl, index: list.length });
      list.push({ name: name.text, ...(value ? { value } : {}) });
      if (!this.accept(',')) {
        this.expect('}', 'to close enum');
        break;
      }
    }
    this.attributes();
    return { kind: 'enum', decl };
  }

  // ---- declarators ---------------------------------------------------------------------

  private declarator(abstract: boolean): Declarator {
    let pointers = 0;
    while (this.is('*')) {
      if (++pointers > MAX_NESTING) this.fail(this.peek(), `pointer declarators nested more than ${MAX_NESTING} deep (memdesc-mc's nesting limit)`);
      this.next();
      while (this.peek().kind === 'ident' && (QUALIFIERS.has(this.peek().text) || this.isAttributeStart())) {
        if (this.isAttributeStart()) this.attributes();
        else this.next();
      }
    }
    let name = '';
    let loc = this.peek().loc;
    let inner: Declarator | undefined;
    const t = this.peek();
    if (t.kind === 'ident' && !this.isAttributeStart() && !(abstract && this.isTypeStart())) {
      if (abstract) this.fail(t, `unexpected name '${t.text}' in a type name`);
      name = t.text;
      loc = t.loc;
      this.next();
    } else if (this.is('(') && (this.is('*', 1) || this.is('(', 1) || this.is('[', 1) || (!abstract && this.peek(1).kind === 'ident' && !this.isTypeStart(1)))) {
      this.enter(this.next(), 'declarators');
      inner = this.declarator(abstract);
      this.expect(')', 'to close declarator');
      this.leave();
      name = inner.name;
      loc = inner.loc;
    } else if (!abstract && !this.is(':')) {
      this.fail(t, `expected a declarator, found ${describe(t)}`);
    }
    const suffixes: ((b: CType) => CType)[] = [];
    let isFunction = false;
    for (;;) {
      if (suffixes.length >= MAX_NESTING && (this.is('[') || this.is('(')))
        this.fail(this.peek(), `array or function declarators nested more than ${MAX_NESTING} deep (memdesc-mc's nesting limit)`);
      if (this.accept('[')) {
        if (this.accept(']')) suffixes.push((b) => ({ kind: 'array', of: b }));
        else {
          const len = this.expression();
          this.expect(']', 'to close array size');
          suffixes.push((b) => ({ kind: 'array', of: b, length: len }));
        }
        continue;
      }
      if (this.is('(')) {
        const start = this.pos + 1;
        this.skipBalanced('(', ')');
        const params = this.toks.slice(start, this.pos - 1).map((x) => x.text).join(' ')
          .replace(/ ,/g, ',').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/\* (?=[*),\w])/g, '*');
        if (suffixes.length === 0 && !inner) isFunction = true;
        suffixes.push((b) => ({ kind: 'function', returns: b, params }));
        continue;
      }
      break;
    }
    const wrap = (base: CType): CType => {
      let ty = base;
      for (let i = 0; i < pointers; i++) ty = { kind: 'pointer', to: ty };
      for (let i = suffixes.length - 1; i >= 0; i--) ty = suffixes[i](ty);
      return inner ? inner.wrap(ty) : ty;
    };
    return { name, loc, wrap, isFunction: isFunction || (inner?.isFunction ?? false) };
  }

  /** A type name, as in `sizeof(struct page *)`. */
  private typeName(): CType {
    const spec = this.specifiers();
    const d = this.declarator(true);
    return d.wrap(spec.type);
  }

  private skipBalanced(open: string, close: string): void {
    const start = this.peek();
    this.expect(open, '');
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'eof') this.fail(start, `unbalanced '${open}'`);
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth += t.text === open ? 1 : 0;
      if (t.kind === 'punct' && t.text === close) depth--;
    }
  }

  private skipInitializer(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') this.fail(t, 'unterminated initializer');
      if (depth === 0 && t.kind === 'punct' && (t.text === ',' || t.text === ';')) return;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '{' || t.text === '[')) depth++;
      if (t.kind === 'punct' && (t.text === ')' || t.text === '}' || t.text === ']')) depth--;
      this.next();
    }
  }

  // ---- expressions ---------------------------------------------------------------------

  expression(): Expr {
    return this.conditional();
  }

  private conditional(): Expr {
    const test = this.binary(0);
    if (this.is('?')) {
      const q = this.next();
      this.enter(q, 'conditional expressions');
      const then = this.expression();
      this.expect(':', 'in conditional expression');
      const els = this.conditional();
      this.leave();
      return { kind: 'cond', test, then, else: els, loc: q.loc };
    }
    return test;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !Parser.LEVELS[level].includes(t.text)) return left;
      this.next();
      const right = this.binary(level + 1);
      left = { kind: 'binary', op: t.text, left, right, loc: t.loc };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && ['-', '+', '!', '~'].includes(t.text)) {
      this.next();
      this.enter(t, 'unary operators');
      const arg = this.unary();
      this.leave();
      return { kind: 'unary', op: t.text, arg, loc: t.loc };
    }
    if (t.kind === 'ident' && t.text === 'sizeof') {
      this.next();
      if (this.is('(') && this.isTypeStart(1)) {
        this.next();
        const type = this.typeName();
        this.expect(')', 'to close sizeof');
        return { kind: 'sizeof', type, loc: t.loc };
      }
      this.fail(this.peek(), 'sizeof of an expression is not supported here: use sizeof(type)');
    }
    if (t.kind === 'ident' && ['_Alignof', 'alignof', '__alignof__', '__alignof'].includes(t.text)) {
      this.next();
      this.expect('(', `after '${t.text}'`);
      const type = this.typeName();
      this.expect(')', `to close ${t.text}`);
      return { kind: 'alignof', type, loc: t.loc };
    }
    if (this.is('(') && this.isTypeStart(1)) {
      this.next();
      this.enter(t, 'casts');
      const type = this.typeName();
      this.expect(')', 'to close cast');
      const arg = this.unary();
      this.leave();
      return { kind: 'cast', type, arg, loc: t.loc };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'char') return { kind: 'num', value: t.value!, loc: t.loc };
    if (t.kind === 'number') {
      const suffix = /[uUlL]*$/.exec(t.text)![0].toLowerCase();
      return { kind: 'num', value: t.value!, ...(suffix ? { suffix } : {}), ...(/^0[0-7xXbB]/.test(t.text) ? { hex: true } : {}), loc: t.loc };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.enter(t, 'parentheses');
      const e = this.expression();
      this.expect(')', 'to close parenthesis');
      this.leave();
      return e;
    }
    if (t.kind === 'ident') {
      if (t.text === 'offsetof' || t.text === '__builtin_offsetof') return this.offsetof(t);
      const en = this.scope.enumerators.get(t.text);
      if (en) return { kind: 'enumerator', name: t.text, decl: en.decl, index: en.index, loc: t.loc };
      if (t.text === 'true' || t.text === 'false') return { kind: 'num', value: t.text === 'true' ? 1n : 0n, loc: t.loc };
      this.fail(t, `'${t.text}' undeclared in a constant expression`);
    }
    this.fail(t, `expected an expression, found ${describe(t)}`);
  }

  private offsetof(kw: Token): Expr {
    this.expect('(', `after '${kw.text}'`);
    const type = this.typeName();
    this.expect(',', 'after the type in offsetof');
    const path: PathStep[] = [{ kind: 'member', name: this.ident('as offsetof member').text }];
    for (;;) {
      if (this.accept('.')) path.push({ kind: 'member', name: this.ident("after '.' in offsetof").text });
      else if (this.accept('[')) {
        path.push({ kind: 'index', index: this.expression() });
        this.expect(']', 'to close index');
      } else break;
    }
    const close = this.expect(')', 'to close offsetof');
    return { kind: 'offsetof', type, path, text: this.textBetween(kw, close), loc: kw.loc };
  }
}

function mergeAttrs(into: Attrs, from: Attrs): void {
  into.packed ||= from.packed;
  if (from.align) into.align = from.align;
  if (from.alignas) into.alignas = from.alignas;
  if (from.vectorSize) into.vectorSize = from.vectorSize;
}

/**
 * `vector_size(N)` makes the declaration's scalar type a vector (GCC's handle_vector_size_attribute:
 * integer and floating types only; the size checks are the layout's).
 */
function vectorOf(type: CType, attrs: Attrs, fail: (loc: SourceLoc, what: string) => never): CType {
  if (!attrs.vectorSize) return type;
  let base = type;
  while (base.kind === 'typedef') base = base.target;
  if (base.kind !== 'int' && base.kind !== 'float' && base.kind !== 'enum') fail(attrs.vectorSize.loc, "invalid vector type for attribute 'vector_size'");
  if (base.kind === 'float' && base.complex) fail(attrs.vectorSize.loc, "invalid vector type for attribute 'vector_size'");
  return { kind: 'vector', of: type, bytes: attrs.vectorSize.bytes };
}

function intType(allWords: string[], at: Token, fail: (t: Token, what: string) => never): CType {
  const complex = allWords.some((w) => w === '_Complex' || w === '__complex__');
  const words = allWords.filter((w) => w !== '_Complex' && w !== '__complex__');
  if (complex) {
    // C99 complex floating types; GCC's complex integers (`_Complex int`) are an extension.
    const t = intType(words.length ? words : ['double'], at, fail);
    if (t.kind !== 'float') fail(at, "complex integer types ('_Complex' with an integer type) are not supported by memdesc-mc's layout engine");
    if (allWords.length - words.length > 1) fail(at, "duplicate '_Complex'");
    return { ...t, complex: true };
  }
  const count = (w: string): number => words.filter((x) => x === w).length;
  const signed = count('signed');
  const unsigned = count('unsigned');
  const longs = count('long');
  if (signed + unsigned > 1) fail(at, 'both signed and unsigned in declaration specifiers');
  const rest = words.filter((w) => w !== 'signed' && w !== 'unsigned' && w !== 'long');
  const base = rest.length === 0 ? 'int' : rest.length === 1 ? rest[0] : fail(at, 'two or more data types in declaration specifiers');
  const u = unsigned > 0;
  const bad = (): never => fail(at, `invalid type '${words.join(' ')}'`);
  if (base === 'void') return words.length === 1 ? { kind: 'void' } : bad();
  if (base === 'float') return words.length === 1 ? { kind: 'float', float: 'float' } : bad();
  if (base === 'double') {
    if (signed || unsigned || longs > 1) bad();
    return { kind: 'float', float: longs ? 'long double' : 'double' };
  }
  if (base === '_Bool') return words.length === 1 ? { kind: 'int', int: '_Bool' } : bad();
  if (base === '__int128') return longs ? bad() : { kind: 'int', int: u ? 'unsigned __int128' : '__int128' };
  let k: IntKind;
  if (base === 'char') {
    if (longs) bad();
    k = u ? 'unsigned char' : signed ? 'signed char' : 'char';
  } else if (base === 'short') {
    if (longs) bad();
    k = u ? 'unsigned short' : 'short';
  } else {
    if (longs > 2) bad();
    k = longs === 2 ? (u ? 'unsigned long long' : 'long long') : longs === 1 ? (u ? 'unsigned long' : 'long') : u ? 'unsigned int' : 'int';
  }
  return { kind: 'int', int: k };
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'directive') return `'#${t.text.split(/\s/)[0]}'`;
  return `'${t.text}'`;
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}
