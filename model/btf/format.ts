/**
 * The BTF encoding as the kernel documents it (Documentation/bpf/btf.rst, include/uapi/linux/btf.h).
 * Only constants and record sizes live here; reading is in reader.ts.
 */

/** `btf_header.magic`; read in the file's byte order it tells the endianness. */
export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
/** sizeof(struct btf_header) of version 1: magic, version, flags, hdr_len, type_off/len, str_off/len. */
export const BTF_HEADER_MIN_LEN = 24;
/** sizeof(struct btf_type): name_off, info, size/type. */
export const BTF_TYPE_LEN = 12;

/** BTF_KIND_* in the order of include/uapi/linux/btf.h. */
export const BtfKind = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

export type BtfKindName = keyof typeof BtfKind;
export type BtfKindValue = (typeof BtfKind)[BtfKindName];

export const BTF_KIND_MAX = 19;

const KIND_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(BtfKind)) names[value] = name;
  return names;
})();

export function kindName(kind: number): string {
  return KIND_NAMES[kind] ?? `kind ${kind}`;
}

/** `btf_type.info`: bits 0-15 vlen, 24-28 kind, 31 kind_flag. */
export function infoVlen(info: number): number {
  return info & 0xffff;
}
export function infoKind(info: number): number {
  return (info >>> 24) & 0x1f;
}
export function infoKindFlag(info: number): boolean {
  return (info >>> 31) === 1;
}

/** INT's trailing u32: bits 0-7 nr_bits, 16-23 offset, 24-27 encoding. */
export const BTF_INT_SIGNED = 1 << 0;
export const BTF_INT_CHAR = 1 << 1;
export const BTF_INT_BOOL = 1 << 2;
export function intBits(data: number): number {
  return data & 0xff;
}
export function intOffset(data: number): number {
  return (data >>> 16) & 0xff;
}
export function intEncoding(data: number): number {
  return (data >>> 24) & 0x0f;
}

/** With kind_flag set, `btf_member.offset` is bitfield_size << 24 | bit_offset. */
export function memberBitfieldSize(offset: number): number {
  return offset >>> 24;
}
export function memberBitOffset(offset: number): number {
  return offset & 0xffffff;
}

/**
 * Bytes that follow the 12-byte `btf_type` for a given kind and vlen, or -1 for a kind this
 * reader does not know (the record length, and so every later type, would be unknowable).
 */
export function trailingBytes(kind: number, vlen: number): number {
  switch (kind) {
    case BtfKind.INT:
      return 4;
    case BtfKind.PTR:
    case BtfKind.FWD:
    case BtfKind.TYPEDEF:
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.FUNC:
    case BtfKind.FLOAT:
    case BtfKind.TYPE_TAG:
      return 0;
    case BtfKind.ARRAY:
      return 12; // struct btf_array { type, index_type, nelems }
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      return 12 * vlen; // struct btf_member { name_off, type, offset }
    case BtfKind.ENUM:
      return 8 * vlen; // struct btf_enum { name_off, val }
    case BtfKind.FUNC_PROTO:
      return 8 * vlen; // struct btf_param { name_off, type }
    case BtfKind.VAR:
      return 4; // struct btf_var { linkage }
    case BtfKind.DATASEC:
      return 12 * vlen; // struct btf_var_secinfo { type, offset, size }
    case BtfKind.DECL_TAG:
      return 4; // struct btf_decl_tag { component_idx }
    case BtfKind.ENUM64:
      return 12 * vlen; // struct btf_enum64 { name_off, val_lo32, val_hi32 }
    default:
      return -1;
  }
}
