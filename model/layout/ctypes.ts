import type { SourceLoc } from './errors.js';

/**
 * The C type IR. It is ABI independent: sizes come from the ABI at layout time, and array
 * lengths and enum values stay expressions until then (`[sizeof(long)]` differs between LP64
 * and ILP32).
 */
export type IntKind =
  | 'char' | 'signed char' | 'unsigned char'
  | 'short' | 'unsigned short'
  | 'int' | 'unsigned int'
  | 'long' | 'unsigned long'
  | 'long long' | 'unsigned long long'
  | '__int128' | 'unsigned __int128'
  | '_Bool';

export type FloatKind = 'float' | 'double' | 'long double';

export type CType =
  | { readonly kind: 'void' }
  | { readonly kind: 'int'; readonly int: IntKind }
  /** `complex`: C99 `_Complex` (two of the type, aligned as one). */
  | { readonly kind: 'float'; readonly float: FloatKind; readonly complex?: boolean }
  | { readonly kind: 'pointer'; readonly to: CType }
  /** GCC's `__attribute__((vector_size(N)))` applied to a scalar: N bytes of `of`. */
  | { readonly kind: 'vector'; readonly of: CType; readonly bytes: Expr }
  /** `length` undefined: a flexible array member (`T x[]`). */
  | { readonly kind: 'array'; readonly of: CType; readonly length?: Expr }
  | { readonly kind: 'record'; readonly record: RecordDecl }
  | { readonly kind: 'enum'; readonly decl: EnumDecl }
  /** Only ever seen behind a pointer; `params` is the parameter list as written. */
  | { readonly kind: 'function'; readonly returns: CType; readonly params: string }
  | { readonly kind: 'typedef'; readonly name: string; readonly target: CType; readonly alignAttr?: Expr };

export interface FieldDecl {
  /** '' for an anonymous struct/union member or an unnamed bitfield. */
  readonly name: string;
  readonly type: CType;
  readonly bitWidth?: Expr;
  /** `__attribute__((aligned(N)))` on the member. */
  readonly alignAttr?: Expr;
  /** C11 `_Alignas(N)` / `_Alignas(type)` on the member (never lowers: an error if it would). */
  readonly alignas?: Expr;
  /** `__attribute__((packed))` on the member. */
  readonly packed: boolean;
  readonly loc: SourceLoc;
}

export interface RecordDecl {
  readonly kind: 'struct' | 'union';
  /** Tag; '' for an anonymous struct/union. */
  readonly tag: string;
  /** Undefined while the type is incomplete (declared, not defined). */
  fields?: FieldDecl[];
  packed: boolean;
  alignAttr?: Expr;
  /**
   * `#pragma pack(N)` in force where the definition ends, in bytes (GCC's
   * maximum_field_alignment, read when the record is laid out); undefined when none.
   */
  maxFieldAlign?: number;
  /** Typedef name of an untagged struct (`typedef struct { int counter; } atomic_t;`). */
  typedefName?: string;
  loc: SourceLoc;
}

export interface EnumDecl {
  readonly tag: string;
  /** `value` undefined: one more than the previous enumerator. */
  enumerators?: { readonly name: string; readonly value?: Expr }[];
  readonly loc: SourceLoc;
}

export type Expr =
  /** `suffix` is the literal's integer suffix (`u`, `ul`, `ll`...), lower-cased, for its C type. */
  | { readonly kind: 'num'; readonly value: bigint; readonly suffix?: string; readonly hex?: boolean; readonly loc: SourceLoc }
  | { readonly kind: 'ident'; readonly name: string; readonly loc: SourceLoc }
  | { readonly kind: 'unary'; readonly op: string; readonly arg: Expr; readonly loc: SourceLoc }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly loc: SourceLoc }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr; readonly loc: SourceLoc }
  | { readonly kind: 'sizeof'; readonly type: CType; readonly loc: SourceLoc }
  | { readonly kind: 'alignof'; readonly type: CType; readonly loc: SourceLoc }
  | { readonly kind: 'offsetof'; readonly type: CType; readonly path: readonly PathStep[]; readonly text: string; readonly loc: SourceLoc }
  | { readonly kind: 'cast'; readonly type: CType; readonly arg: Expr; readonly loc: SourceLoc }
  /** The enumerator value of `name`, resolved once its enum is laid out. */
  | { readonly kind: 'enumerator'; readonly name: string; readonly index: number; readonly decl: EnumDecl; readonly loc: SourceLoc };

export type PathStep = { readonly kind: 'member'; readonly name: string } | { readonly kind: 'index'; readonly index: Expr };

/** The type as C spells it, with `inner` as the declarator (`struct page *`, `int [4]`, `void (*)(int)`). */
export function typeToString(t: CType, inner = ''): string {
  const join = (base: string, decl: string): string => (decl === '' ? base : decl.startsWith('[') || decl.startsWith('(') ? `${base}${decl}` : `${base} ${decl}`);
  switch (t.kind) {
    case 'void':
      return join('void', inner);
    case 'int':
      return join(t.int === '_Bool' ? '_Bool' : t.int, inner);
    case 'float':
      return join(t.complex ? `${t.float} _Complex` : t.float, inner);
    case 'typedef':
      return join(t.name, inner);
    case 'record':
      return join(recordName(t.record), inner);
    case 'enum':
      return join(t.decl.tag ? `enum ${t.decl.tag}` : 'enum', inner);
    case 'pointer': {
      const needParens = t.to.kind === 'array' || t.to.kind === 'function';
      const star = `*${inner}`;
      return typeToString(t.to, needParens ? `(${star})` : star);
    }
    case 'array':
      return typeToString(t.of, `${inner}[${t.length ? exprToString(t.length) : ''}]`);
    case 'vector':
      return join(`${typeToString(t.of)} __attribute__((vector_size(${exprToString(t.bytes)})))`, inner);
    case 'function':
      return typeToString(t.returns, `${inner}(${t.params})`);
  }
}

export function recordName(r: RecordDecl): string {
  if (r.tag) return `${r.kind} ${r.tag}`;
  if (r.typedefName) return r.typedefName;
  return r.kind;
}

export function exprToString(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return e.value.toString();
    case 'ident':
    case 'enumerator':
      return e.name;
    case 'unary':
      return `${e.op}${exprToString(e.arg)}`;
    case 'binary':
      return `${exprToString(e.left)} ${e.op} ${exprToString(e.right)}`;
    case 'cond':
      return `${exprToString(e.test)} ? ${exprToString(e.then)} : ${exprToString(e.else)}`;
    case 'sizeof':
      return `sizeof(${typeToString(e.type)})`;
    case 'alignof':
      return `_Alignof(${typeToString(e.type)})`;
    case 'offsetof':
      return e.text;
    case 'cast':
      return `(${typeToString(e.type)})${exprToString(e.arg)}`;
  }
}
