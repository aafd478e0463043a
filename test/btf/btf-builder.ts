/**
 * Builds small BTF blobs byte by byte from the layout in Documentation/bpf/btf.rst, written
 * independently of the reader (no shared constants), so tests can feed it exact encodings:
 * each kind, both bitfield encodings, big-endian files, cycles and malformed records.
 */

export interface SynthMember {
  readonly name: string;
  readonly type: number;
  readonly bitOffset: number;
  /** Only with kindFlag: bitfield width (0 = not a bitfield). */
  readonly bitfieldSize?: number;
}

export type SynthType =
  | { kind: 'int'; name: string; size: number; bits?: number; offset?: number; encoding?: number }
  | { kind: 'ptr'; type: number }
  | { kind: 'array'; elem: number; index: number; nelems: number }
  | { kind: 'struct' | 'union'; name: string; size: number; kindFlag?: boolean; members: SynthMember[] }
  | { kind: 'enum'; name: string; size: number; signed?: boolean; values: { name: string; value: number }[] }
  | { kind: 'enum64'; name: string; size: number; signed?: boolean; values: { name: string; value: bigint }[] }
  | { kind: 'fwd'; name: string; union?: boolean }
  | { kind: 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag'; name?: string; type: number }
  | { kind: 'func'; name: string; type: number; linkage?: number }
  | { kind: 'func_proto'; ret: number; params: { name: string; type: number }[] }
  | { kind: 'var'; name: string; type: number; linkage?: number }
  | { kind: 'datasec'; name: string; size: number; vars: { type: number; offset: number; size: number }[] }
  | { kind: 'float'; name: string; size: number }
  | { kind: 'decl_tag'; name: string; type: number; componentIdx: number };

const KIND: Record<SynthType['kind'], number> = {
  int: 1,
  ptr: 2,
  array: 3,
  struct: 4,
  union: 5,
  enum: 6,
  fwd: 7,
  typedef: 8,
  volatile: 9,
  const: 10,
  restrict: 11,
  func: 12,
  func_proto: 13,
  var: 14,
  datasec: 15,
  float: 16,
  decl_tag: 17,
  type_tag: 18,
  enum64: 19,
};

export interface BuildOptions {
  readonly bigEndian?: boolean;
  /**
   * Build split BTF on top of `base` (libbpf's btf__new_empty_split): the string section has no
   * leading empty string, strings the base has are referenced at the base's offsets and new ones
   * at base string length + their offset here. Type ids are written as given, so a split
   * file's own types are numbered from the base's type count.
   */
  readonly base?: BuiltBtf;
}

export interface BuiltBtf {
  readonly bytes: Uint8Array;
  /** File offset where each type id's record starts (index 0 unused). */
  readonly recordOffsets: number[];
  readonly typeStart: number;
  readonly strStart: number;
  /** Offset of each string, as other files (split BTF on top of this one) see it. */
  readonly strOffsets: ReadonlyMap<string, number>;
  /** Length of the string sections so far (the base's plus this file's). */
  readonly strEnd: number;
  /** Number of type ids, id 0 and the base's included. */
  readonly typeCount: number;
}

export function buildBtf(types: readonly SynthType[], options: BuildOptions = {}): BuiltBtf {
  const le = !options.bigEndian;
  const base = options.base;
  const strings: number[] = base ? [] : [0];
  const strBase = base ? base.strEnd : 0;
  const strOffsets = new Map<string, number>(base ? base.strOffsets : [['', 0]]);
  const str = (s: string | undefined): number => {
    if (!s) return 0;
    const known = strOffsets.get(s);
    if (known !== undefined) return known;
    const off = strBase + strings.length;
    for (const b of Buffer.from(s, 'utf8')) strings.push(b);
    strings.push(0);
    strOffsets.set(s, off);
    return off;
  };
  const words: number[] = [];
  const recordWords: number[] = [0];
  const info = (kind: number, vlen: number, kindFlag = false) => ((kindFlag ? 1 : 0) << 31) | (kind << 24) | vlen;
  for (const t of types) {
    recordWords.push(words.length);
    const k = KIND[t.kind];
    switch (t.kind) {
      case 'int':
        words.push(str(t.name), info(k, 0), t.size, ((t.encoding ?? 0) << 24) | ((t.offset ?? 0) << 16) | (t.bits ?? t.size * 8));
        break;
      case 'ptr':
        words.push(0, info(k, 0), t.type);
        break;
      case 'array':
        words.push(0, info(k, 0), 0, t.elem, t.index, t.nelems);
        break;
      case 'struct':
      case 'union':
        words.push(str(t.name), info(k, t.members.length, t.kindFlag), t.size);
        for (const m of t.members)
          words.push(str(m.name), m.type, t.kindFlag ? ((m.bitfieldSize ?? 0) << 24) | m.bitOffset : m.bitOffset);
        break;
      case 'enum':
        words.push(str(t.name), info(k, t.values.length, t.signed), t.size);
        for (const v of t.values) words.push(str(v.name), v.value >>> 0);
        break;
      case 'enum64':
        words.push(str(t.name), info(k, t.values.length, t.signed), t.size);
        for (const v of t.values) {
          const u = BigInt.asUintN(64, v.value);
          words.push(str(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
        }
        break;
      case 'fwd':
        words.push(str(t.name), info(k, 0, t.union), 0);
        break;
      case 'typedef':
      case 'volatile':
      case 'const':
      case 'restrict':
      case 'type_tag':
        words.push(str(t.name), info(k, 0), t.type);
        break;
      case 'func':
        words.push(str(t.name), info(k, t.linkage ?? 0), t.type);
        break;
      case 'func_proto':
        words.push(0, info(k, t.params.length), t.ret);
        for (const p of t.params) words.push(str(p.name), p.type);
        break;
      case 'var':
        words.push(str(t.name), info(k, 0), t.type, t.linkage ?? 0);
        break;
      case 'datasec':
        words.push(str(t.name), info(k, t.vars.length), t.size);
        for (const v of t.vars) words.push(v.type, v.offset, v.size);
        break;
      case 'float':
        words.push(str(t.name), info(k, 0), t.size);
        break;
      case 'decl_tag':
        words.push(str(t.name), info(k, 0), t.type, t.componentIdx >>> 0);
        break;
    }
  }
  const hdrLen = 24;
  const typeLen = words.length * 4;
  const bytes = new Uint8Array(hdrLen + typeLen + strings.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xeb9f, le);
  bytes[2] = 1;
  bytes[3] = 0;
  view.setUint32(4, hdrLen, le);
  view.setUint32(8, 0, le);
  view.setUint32(12, typeLen, le);
  view.setUint32(16, typeLen, le);
  view.setUint32(20, strings.length, le);
  words.forEach((w, i) => view.setUint32(hdrLen + 4 * i, w >>> 0, le));
  bytes.set(strings, hdrLen + typeLen);
  return {
    bytes,
    recordOffsets: recordWords.map((w) => hdrLen + 4 * w),
    typeStart: hdrLen,
    strStart: hdrLen + typeLen,
    strOffsets,
    strEnd: strBase + strings.length,
    typeCount: (base ? base.typeCount : 1) + types.length,
  };
}
