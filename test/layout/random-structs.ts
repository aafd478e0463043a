/**
 * Random C struct definitions for the differential test against gcc, and the C program that
 * prints gcc's answer for each of them.
 */
import fc from 'fast-check';

export type GenType =
  | { readonly kind: 'scalar'; readonly c: string }
  | { readonly kind: 'pointer'; readonly c: string }
  | { readonly kind: 'enum'; readonly c: string }
  | { readonly kind: 'array'; readonly of: GenType; readonly dims: readonly number[] }
  | { readonly kind: 'record'; readonly rec: GenRecord };

export interface GenField {
  readonly name: boolean;
  readonly type: GenType;
  readonly bits?: number;
  readonly align?: number;
  readonly packed?: boolean;
  /** C11 `_Alignas(N)`, N at least the member's own alignment (gcc refuses lowering). */
  readonly alignas?: number;
}

export interface GenRecord {
  readonly kind: 'struct' | 'union';
  /** Nested only: an anonymous member (`struct { ... };`) instead of a named one. */
  readonly anonymous: boolean;
  readonly fields: readonly GenField[];
  readonly packed: boolean;
  readonly align?: number;
  /** Top-level structs only: a flexible array member at the end. */
  readonly flex?: GenType;
  /** Top-level structs only: defined under `#pragma pack(push, N)` (nested definitions too). */
  readonly pack?: number;
}

/** Enums shared by all generated structs: small, negative, and one wider than 32 bits. */
export const ENUMS_C = `enum e_small { ES_A, ES_B, ES_C };
enum e_neg { EN_A = -5, EN_B = 7 };
enum e_big { EB_A = 0x100000000ULL };
typedef int int_a8 __attribute__((aligned(8)));
typedef long long ll_a4 __attribute__((aligned(4)));
typedef short sh_a1 __attribute__((aligned(1)));
typedef char v8qi __attribute__((vector_size(8)));
typedef int v2si __attribute__((vector_size(8)));
typedef int v4si __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef double v2df __attribute__((vector_size(16)));
typedef double v4df __attribute__((vector_size(32)));
typedef int v8si __attribute__((vector_size(32)));
`;

const BITFIELD_TYPES: readonly [string, number][] = [
  ['char', 8], ['signed char', 8], ['unsigned char', 8], ['short', 16], ['unsigned short', 16], ['int', 32],
  ['unsigned int', 32], ['long', -1], ['unsigned long', -1], ['long long', 64], ['unsigned long long', 64], ['_Bool', 1],
  ['enum e_small', 32], ['enum e_neg', 32], ['__int128', 128], ['unsigned __int128', 128],
];
/** `__int128` exists on x86-64 only: for i386 emitStruct writes `long long` in its place. */
const SCALARS = ['char', 'unsigned char', 'short', 'int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long', '_Bool', 'float', 'double', 'long double', 'int_a8', 'll_a4', 'sh_a1', '__int128', 'unsigned __int128', 'float _Complex', 'double _Complex', 'long double _Complex', 'v8qi', 'v2si', 'v4si', 'v4sf', 'v2df', 'v4df', 'v8si'];

const scalarArb: fc.Arbitrary<GenType> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SCALARS).map((c): GenType => ({ kind: 'scalar', c })) },
  { weight: 1, arbitrary: fc.constantFrom('void *', 'char *', 'struct opaque *').map((c): GenType => ({ kind: 'pointer', c })) },
  { weight: 1, arbitrary: fc.constantFrom('enum e_small', 'enum e_neg', 'enum e_big').map((c): GenType => ({ kind: 'enum', c })) },
);

const alignArb = fc.option(fc.constantFrom(1, 2, 4, 8, 16), { freq: 6, nil: undefined });

function bitfieldArb(): fc.Arbitrary<GenField> {
  return fc
    .record({ t: fc.constantFrom(...BITFIELD_TYPES), w: fc.double({ min: 0, max: 1, noNaN: true }), named: fc.boolean(), zero: fc.boolean(), packed: fc.boolean() })
    .map(({ t, w, named, zero, packed }) => {
      const max = t[1] === -1 ? 32 : t[1];
      let bits = Math.max(1, Math.ceil(w * max));
      if (zero && !named) bits = 0;
      const isEnum = t[0].startsWith('enum');
      return {
        name: named || bits > 0 ? named : false,
        type: isEnum ? { kind: 'enum', c: t[0] } : { kind: 'scalar', c: t[0] },
        bits,
        ...(packed && bits > 0 ? { packed: true } : {}),
      } as GenField;
    });
}

function fieldArb(depth: number): fc.Arbitrary<GenField> {
  const plainType: fc.Arbitrary<GenType> =
    depth > 0
      ? fc.oneof(
          { weight: 5, arbitrary: scalarArb },
          { weight: 2, arbitrary: recordArb(depth - 1, true).map((rec): GenType => ({ kind: 'record', rec })) },
        )
      : scalarArb;
  const withArray = fc
    .record({ t: plainType, dims: fc.option(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), { freq: 4, nil: undefined }) })
    // An array of int_a8 is an error (element alignment above its size), so it stays scalar.
    .map(({ t, dims }): GenType => (dims && !(t.kind === 'record' && t.rec.anonymous) && !(t.kind === 'scalar' && t.c === 'int_a8') ? { kind: 'array', of: t, dims } : t));
  const alignasArb = fc.option(fc.constantFrom(16, 32), { freq: 8, nil: undefined });
  const plain = fc.record({ type: withArray, align: alignArb, packed: fc.double({ min: 0, max: 1, noNaN: true }), alignas: alignasArb }).map(({ type, align, packed, alignas }): GenField => ({
    name: true,
    type,
    ...(align !== undefined && !(type.kind === 'record' && type.rec.anonymous) ? { align } : {}),
    ...(packed < 0.1 && !(type.kind === 'record' && type.rec.anonymous) ? { packed: true } : {}),
    // Only on members no generated type aligns above 16 (records may carry aligned(32)).
    ...(alignas !== undefined && type.kind !== 'record' && !(type.kind === 'array' && type.of.kind === 'record') ? { alignas } : {}),
  }));
  return fc.oneof({ weight: 3, arbitrary: plain }, { weight: 2, arbitrary: bitfieldArb() });
}

function recordArb(depth: number, nested: boolean): fc.Arbitrary<GenRecord> {
  return fc
    .record({
      kind: fc.constantFrom<'struct' | 'union'>('struct', 'struct', 'union'),
      anonymous: fc.boolean(),
      fields: fc.array(fieldArb(depth), { minLength: 1, maxLength: 7 }),
      packed: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.15),
      align: fc.option(fc.constantFrom(2, 4, 8, 16, 32), { freq: 8, nil: undefined }),
      flex: fc.option(scalarArb, { freq: 5, nil: undefined }),
      pack: fc.option(fc.constantFrom(1, 2, 4, 8, 16), { freq: 5, nil: undefined }),
    })
    .map((r) => ({
      kind: nested ? r.kind : 'struct',
      anonymous: nested && r.anonymous,
      // Every record needs a named member for C (and for a flexible array member).
      fields: r.fields.some((f) => f.name && f.bits !== 0) ? r.fields : [...r.fields, { name: true, type: { kind: 'scalar', c: 'int' } } as GenField],
      packed: r.packed,
      ...(r.align !== undefined && !(nested && r.anonymous) ? { align: r.align } : {}),
      ...(!nested && r.flex ? { flex: r.flex.kind === 'scalar' && r.flex.c === 'int_a8' ? ({ kind: 'scalar', c: 'int' } as GenType) : r.flex } : {}),
      ...(!nested && r.pack !== undefined ? { pack: r.pack } : {}),
    }));
}

/** Random top-level structs, nested up to two levels deep. */
export const structArb: fc.Arbitrary<GenRecord> = recordArb(2, false);

/** A member whose position gcc is asked for: the C access path and whether it is a bitfield. */
export interface Probe {
  readonly path: string;
  readonly bitfield: boolean;
}

/** Emits the C definition of top-level struct `name`, and collects the members to probe. */
export function emitStruct(rec: GenRecord, name: string, abi: 'lp64' | 'ilp32' = 'lp64'): { c: string; probes: Probe[]; nestedTags: string[] } {
  // i386 has no __int128 (gcc: not supported on this target): the same shapes with long long.
  const ctype = (c: string): string => (abi === 'ilp32' ? c.replace('__int128', 'long long') : c);
  const probes: Probe[] = [];
  const nestedTags: string[] = [];
  let counter = 0;
  // Member names are unique across the whole struct: anonymous members share its namespace.
  let fieldNo = 0;
  const attrs = (r: GenRecord): string => {
    const a: string[] = [];
    if (r.packed) a.push('packed');
    if (r.align) a.push(`aligned(${r.align})`);
    return a.length ? ` __attribute__((${a.join(', ')}))` : '';
  };
  const body = (r: GenRecord, prefix: string, indent: string): string => {
    let out = '';
    for (const f of r.fields) {
      const fname = f.name ? `f${fieldNo++}` : '';
      const fattrs: string[] = [];
      if (f.align) fattrs.push(`aligned(${f.align})`);
      if (f.packed) fattrs.push('packed');
      const fa = fattrs.length ? ` __attribute__((${fattrs.join(', ')}))` : '';
      const path = fname ? `${prefix}${fname}` : '';
      let t = f.type;
      let dims = '';
      if (t.kind === 'array') {
        dims = t.dims.map((d) => `[${d}]`).join('');
        t = t.of;
      }
      if (t.kind === 'record') {
        const inner = t.rec;
        if (inner.anonymous) {
          out += `${indent}${inner.kind}${attrs(inner)} {\n${body(inner, prefix, indent + '\t')}${indent}};\n`;
          continue;
        }
        const tag = `${name}_${counter++}`;
        nestedTags.push(`${inner.kind} ${tag}`);
        out += `${indent}${inner.kind} ${tag} {\n${body(inner, dims ? '\u0000' : `${path}.`, indent + '\t')}${indent}}${attrs(inner)} ${fname}${dims}${fa};\n`;
        if (fname) probes.push({ path, bitfield: false });
        continue;
      }
      if (f.bits !== undefined) {
        const bits = abi === 'ilp32' && t.c.includes('__int128') ? Math.min(f.bits, 64) : f.bits;
        out += `${indent}${ctype(t.c)} ${fname} : ${bits}${fa};\n`;
        if (fname) probes.push({ path, bitfield: true });
        continue;
      }
      const decl = t.c.endsWith('*') ? `${t.c}${fname}` : `${ctype(t.c)} ${fname}`;
      out += `${indent}${f.alignas ? `_Alignas(${f.alignas}) ` : ''}${decl}${dims}${fa};\n`;
      probes.push({ path, bitfield: false });
    }
    return out;
  };
  let text = body(rec, '', '\t');
  if (rec.flex) {
    const t = rec.flex;
    const c = t.kind === 'scalar' || t.kind === 'pointer' || t.kind === 'enum' ? ctype(t.c) : 'int';
    text += `\t${c.endsWith('*') ? c : `${c} `}flex[];\n`;
    probes.push({ path: 'flex', bitfield: false });
  }
  // Members of records inside arrays are not probed (their paths need an index).
  const kept = probes.filter((p) => !p.path.includes('\u0000'));
  const def = `struct ${name} {\n${text}}${attrs(rec)};\n`;
  const c = rec.pack !== undefined ? `#pragma pack(push, ${rec.pack})\n${def}#pragma pack(pop)\n` : def;
  return { c, probes: kept, nestedTags };
}

/** C statements printing gcc's answers: `S name size align`, `O name path offset`, `B name path first width`. */
export function emitProbes(name: string, probes: readonly Probe[], nestedTags: readonly string[]): string {
  let out = `\tprintf("S %s %zu %zu\\n", "struct ${name}", sizeof(struct ${name}), _Alignof(struct ${name}));\n`;
  for (const tag of nestedTags) out += `\tprintf("S %s %zu %zu\\n", "${tag}", sizeof(${tag}), _Alignof(${tag}));\n`;
  for (const p of probes) {
    if (!p.bitfield) {
      out += `\tprintf("O ${name} ${p.path} %zu\\n", offsetof(struct ${name}, ${p.path}));\n`;
    } else {
      out += `\t{ struct ${name} o; memset(&o, 0, sizeof o); o.${p.path} = -1; bitpos("${name}", "${p.path}", &o, sizeof o); }\n`;
    }
  }
  return out;
}

export const C_PROLOGUE = `#include <stdio.h>
#include <stddef.h>
#include <string.h>
${ENUMS_C}
static void bitpos(const char *s, const char *path, const void *obj, size_t n) {
\tconst unsigned char *b = obj;
\tlong first = -1, count = 0;
\tfor (size_t i = 0; i < n * 8; i++)
\t\tif (b[i / 8] >> (i % 8) & 1) { if (first < 0) first = (long)i; count++; }
\tprintf("B %s %s %ld %ld\\n", s, path, first, count);
}
`;
