/**
 * A lazy reader of one BTF blob (e.g. /sys/kernel/btf/vmlinux): it validates the header and
 * section bounds, walks the type section once to record where each type record starts (type
 * records have variable length, so a type id cannot be located without that walk), and decodes
 * records and strings only when asked. Every out-of-bounds read, unknown kind or dangling
 * reference becomes a BtfError naming the file and the byte offset.
 *
 * Split BTF (a kernel module's, /sys/kernel/btf/<module>) is read on top of its base (the
 * vmlinux BTF it was built against) as the kernel's btf_parse_module() and libbpf's
 * btf__parse_split() do: the module's first type id is one past the base's last, and a string
 * offset below the base's string section length names a base string, anything above it a string
 * of the module's own section (offset minus the base's length). Without its base a split file is
 * recognised by its string section not starting with the empty string (the empty string lives in
 * the base) and refused with one line saying so.
 */
import { gunzipSync } from 'node:zlib';
import { InputFileError, readInputFile } from '../io/read-input.js';
import { BtfError } from './error.js';
import {
  BTF_HEADER_MIN_LEN,
  BTF_INT_BOOL,
  BTF_INT_CHAR,
  BTF_INT_SIGNED,
  BTF_MAGIC,
  BTF_TYPE_LEN,
  BTF_VERSION,
  BtfKind,
  infoKind,
  infoKindFlag,
  infoVlen,
  intBits,
  intEncoding,
  intOffset,
  kindName,
  memberBitOffset,
  memberBitfieldSize,
  trailingBytes,
} from './format.js';

export interface BtfHeader {
  readonly littleEndian: boolean;
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly typeOff: number;
  readonly typeLen: number;
  readonly strOff: number;
  readonly strLen: number;
}

/** A struct/union member as encoded, with kind_flag already applied. */
export interface BtfMember {
  readonly name: string;
  readonly type: number;
  /** Bit offset from the start of the enclosing struct/union. */
  readonly bitOffset: number;
  /** Bitfield width from a kind_flag encoding; 0 when not a bitfield (or old-style, see INT). */
  readonly bitfieldSize: number;
}

interface Common {
  readonly id: number;
  /** File offset of the 12-byte btf_type record. */
  readonly byteOffset: number;
}

export type BtfType =
  | (Common & { readonly kind: 'VOID' })
  | (Common & {
      readonly kind: 'INT';
      readonly name: string;
      readonly size: number;
      readonly bits: number;
      readonly bitOffset: number;
      readonly signed: boolean;
      readonly char: boolean;
      readonly bool: boolean;
    })
  | (Common & { readonly kind: 'PTR'; readonly type: number })
  | (Common & { readonly kind: 'ARRAY'; readonly elemType: number; readonly indexType: number; readonly nelems: number })
  | (Common & {
      readonly kind: 'STRUCT' | 'UNION';
      readonly name: string;
      readonly size: number;
      readonly kindFlag: boolean;
      readonly members: readonly BtfMember[];
    })
  | (Common & {
      readonly kind: 'ENUM';
      readonly name: string;
      readonly size: number;
      readonly signed: boolean;
      readonly values: readonly { readonly name: string; readonly value: number }[];
    })
  | (Common & {
      readonly kind: 'ENUM64';
      readonly name: string;
      readonly size: number;
      readonly signed: boolean;
      readonly values: readonly { readonly name: string; readonly value: bigint }[];
    })
  | (Common & { readonly kind: 'FWD'; readonly name: string; readonly union: boolean })
  | (Common & {
      readonly kind: 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG';
      readonly name: string;
      readonly type: number;
    })
  | (Common & { readonly kind: 'FUNC'; readonly name: string; readonly type: number; readonly linkage: number })
  | (Common & {
      readonly kind: 'FUNC_PROTO';
      readonly returnType: number;
      readonly params: readonly { readonly name: string; readonly type: number }[];
    })
  | (Common & { readonly kind: 'VAR'; readonly name: string; readonly type: number; readonly linkage: number })
  | (Common & {
      readonly kind: 'DATASEC';
      readonly name: string;
      readonly size: number;
      readonly vars: readonly { readonly type: number; readonly offset: number; readonly size: number }[];
    })
  | (Common & { readonly kind: 'FLOAT'; readonly name: string; readonly size: number })
  | (Common & { readonly kind: 'DECL_TAG'; readonly name: string; readonly type: number; readonly componentIdx: number });

export type BtfTypeKind = BtfType['kind'];

const utf8 = new TextDecoder('utf-8');

/**
 * Largest BTF file read (and largest inflated .btf.gz): a vmlinux BTF is 5-10 MiB, an
 * allyesconfig one under 64 MiB.
 */
export const MAX_BTF_BYTES = 256 << 20;

export class Btf {
  readonly header: BtfHeader;
  /** Number of type ids, including id 0 (void) and, for split BTF, the base's. */
  readonly typeCount: number;
  /** First type id this file defines: 1, or for split BTF the base's typeCount. */
  readonly startId: number;
  /** First string offset of this file's own string section: 0, or the base's string length. */
  readonly startStrOff: number;
  private readonly view: DataView;
  private readonly le: boolean;
  private readonly typeStart: number;
  private readonly strStart: number;
  /** File offset of the record of each type id (index 0 unused). */
  private readonly offsets: Uint32Array;
  private aggregateIndex: Map<string, number[]> | undefined;
  private ptrSize: number | undefined;
  /** Decoded records; layouts revisit the same few thousand types many times. */
  private readonly decoded: (BtfType | undefined)[] = [];

  constructor(
    readonly bytes: Uint8Array,
    /** How the caller names the file; every error message starts with it. */
    readonly file: string,
    /** For split (module) BTF: the BTF its type ids and strings continue. */
    readonly base?: Btf,
  ) {
    this.startId = base ? base.typeCount : 1;
    this.startStrOff = base ? base.startStrOff + base.header.strLen : 0;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const len = bytes.byteLength;
    if (len < 4) throw new BtfError('truncated', file, 'truncated header', len);
    const b0 = bytes[0]!;
    const b1 = bytes[1]!;
    if (((b1 << 8) | b0) === BTF_MAGIC) this.le = true;
    else if (((b0 << 8) | b1) === BTF_MAGIC) this.le = false;
    else
      throw new BtfError(
        'bad-magic',
        file,
        `bad magic 0x${((b0 << 8) | b1).toString(16).padStart(4, '0')} (not BTF, want 0xeb9f)`,
        0,
      );
    const version = bytes[2]!;
    if (version !== BTF_VERSION) throw new BtfError('bad-version', file, `unsupported BTF version ${version}`, 2);
    const flags = bytes[3]!;
    if (len < BTF_HEADER_MIN_LEN) throw new BtfError('truncated', file, 'truncated header', len);
    const hdrLen = this.u32(4);
    if (hdrLen < BTF_HEADER_MIN_LEN)
      throw new BtfError('bad-header', file, `header length ${hdrLen} below ${BTF_HEADER_MIN_LEN}`, 4);
    if (hdrLen > len) throw new BtfError('truncated', file, `truncated header (hdr_len ${hdrLen})`, len);
    const typeOff = this.u32(8);
    const typeLen = this.u32(12);
    const strOff = this.u32(16);
    const strLen = this.u32(20);
    this.header = { littleEndian: this.le, version, flags, hdrLen, typeOff, typeLen, strOff, strLen };
    if (typeOff % 4 !== 0) throw new BtfError('bad-header', file, `type_off ${typeOff} not 4-byte aligned`, 8);
    this.typeStart = hdrLen + typeOff;
    this.strStart = hdrLen + strOff;
    if (this.typeStart + typeLen > len)
      throw new BtfError('truncated', file, `truncated type section (ends at ${this.typeStart + typeLen})`, len);
    if (this.strStart + strLen > len)
      throw new BtfError('truncated', file, `truncated string section (ends at ${this.strStart + strLen})`, len);
    if (
      typeLen > 0 &&
      strLen > 0 &&
      this.typeStart < this.strStart + strLen &&
      this.strStart < this.typeStart + typeLen
    )
      throw new BtfError('bad-header', file, 'type and string sections overlap', 8);
    if (strLen > 0) {
      // btf_parse_str_sec(): only a base BTF must start with the empty string.
      if (!base && bytes[this.strStart] !== 0)
        throw new BtfError(
          'needs-base',
          file,
          'split BTF (a kernel module\'s: its type ids and strings continue the vmlinux BTF it was built against); pass that BTF with --btf-base',
        );
      if (bytes[this.strStart + strLen - 1] !== 0)
        throw new BtfError('bad-string', file, 'string section not NUL-terminated', this.strStart + strLen - 1);
    }
    this.offsets = this.indexTypes();
    this.typeCount = this.startId + this.offsets.length - 1;
  }

  /**
   * Reads and parses a BTF file (plain or gzip); `base` for a module's split BTF. Any I/O
   * problem is a BtfError too; files that are not regular or larger than MAX_BTF_BYTES are refused.
   */
  static load(path: string, displayName: string = path, base?: Btf): Btf {
    let bytes: Uint8Array;
    try {
      bytes = readInputFile(path, { maxBytes: MAX_BTF_BYTES });
    } catch (e) {
      if (e instanceof InputFileError) throw new BtfError('unreadable', displayName, e.reason);
      throw e;
    }
    return new Btf(gunzipIfCompressed(bytes, displayName), displayName, base);
  }

  /** Whether this is split BTF (types continue a base's). */
  get isSplit(): boolean {
    return this.base !== undefined;
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }
  private i32(at: number): number {
    return this.view.getInt32(at, this.le);
  }

  /** One walk over the type section: where each record starts. Bounded by type_len/12 records. */
  private indexTypes(): Uint32Array {
    const { typeLen } = this.header;
    const end = this.typeStart + typeLen;
    let offsets = new Uint32Array(Math.min(1 + Math.floor(typeLen / BTF_TYPE_LEN), 1 << 16) || 1);
    // offsets[i] is the record of type id startId - 1 + i; `count` runs over local slots.
    let count = 1;
    const id = (slot: number) => this.startId - 1 + slot;
    let pos = this.typeStart;
    while (pos < end) {
      if (pos + BTF_TYPE_LEN > end)
        throw new BtfError('truncated', this.file, `truncated type section (type id ${id(count)} cut short)`, pos);
      const info = this.u32(pos + 4);
      const kind = infoKind(info);
      const extra = trailingBytes(kind, infoVlen(info));
      if (kind === 0 || extra < 0)
        throw new BtfError('bad-type', this.file, `unknown BTF kind ${kind} (type id ${id(count)})`, pos + 4);
      const next = pos + BTF_TYPE_LEN + extra;
      if (next > end)
        throw new BtfError(
          'truncated',
          this.file,
          `truncated type section (${kindName(kind)} type id ${id(count)} needs ${BTF_TYPE_LEN + extra} bytes)`,
          pos,
        );
      if (count === offsets.length) {
        const grown = new Uint32Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      offsets[count++] = pos;
      pos = next;
    }
    return offsets.slice(0, count);
  }

  /** The string at `off` in the string section; `at` is the file offset that referenced it. */
  string(off: number, at: number): string {
    if (off === 0) return '';
    if (off < this.startStrOff) return this.base!.string(off, 0);
    const { strLen } = this.header;
    const local = off - this.startStrOff;
    if (local >= strLen)
      throw new BtfError(
        'bad-string',
        this.file,
        `string offset ${off} outside string section (${this.startStrOff ? `${this.startStrOff} + ` : ''}${strLen} bytes)`,
        at,
      );
    const start = this.strStart + local;
    const nul = this.bytes.indexOf(0, start);
    // The constructor checked the section's last byte is NUL, so `nul` is within the section.
    return utf8.decode(this.bytes.subarray(start, nul));
  }

  /** File offset of the record of type `id` (in the base's file for a base type). */
  recordOffset(id: number): number {
    if (id < this.startId) return this.base!.recordOffset(id);
    return this.offsets[id - this.startId + 1]!;
  }

  /** The file that defines type `id`: this one, or the base for a base type of split BTF. */
  fileOf(id: number): string {
    return id > 0 && id < this.startId ? this.base!.fileOf(id) : this.file;
  }

  /** Checks a type reference read at file offset `at`. */
  private ref(id: number, at: number): number {
    if (id >= this.typeCount)
      throw new BtfError('bad-type', this.file, `type id ${id} out of range (${this.typeCount - 1} types)`, at);
    return id;
  }

  /** The raw kind number of type `id` (0 for void), without decoding the record. */
  kindOf(id: number): number {
    if (id === 0) return 0;
    this.ref(id, 0);
    if (id < this.startId) return this.base!.kindOf(id);
    return infoKind(this.u32(this.recordOffset(id) + 4));
  }

  /**
   * The one type that type `id` refers to when it is a pointer, qualifier, typedef, type tag
   * (size_or_type) or array (element type), read from the raw record without decoding it;
   * undefined for any other kind, for void and for ids out of range. Walking million-long
   * reference chains stays cheap.
   */
  chainTarget(id: number): number | undefined {
    if (id <= 0 || id >= this.typeCount) return undefined;
    if (id < this.startId) return this.base!.chainTarget(id);
    const at = this.recordOffset(id);
    switch (infoKind(this.u32(at + 4))) {
      case BtfKind.PTR:
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
        return this.u32(at + 8);
      case BtfKind.ARRAY:
        return this.u32(at + BTF_TYPE_LEN);
      default:
        return undefined;
    }
  }

  /** Decodes type `id`. Throws BtfError for an id out of range or a malformed record. */
  type(id: number, referencedAt = 0): BtfType {
    if (id === 0) return { kind: 'VOID', id: 0, byteOffset: 0 };
    if (!Number.isInteger(id) || id < 0)
      throw new BtfError('bad-type', this.file, `bad type id ${id}`, referencedAt);
    this.ref(id, referencedAt);
    if (id < this.startId) return this.base!.type(id);
    const cached = this.decoded[id];
    if (cached) return cached;
    const t = this.decode(id);
    this.decoded[id] = t;
    return t;
  }

  private decode(id: number): BtfType {
    const at = this.recordOffset(id);
    const nameOff = this.u32(at);
    const info = this.u32(at + 4);
    const sizeOrType = this.u32(at + 8);
    const kind = infoKind(info);
    const vlen = infoVlen(info);
    const kindFlag = infoKindFlag(info);
    const base = { id, byteOffset: at };
    const name = () => this.string(nameOff, at);
    const tail = at + BTF_TYPE_LEN;
    switch (kind) {
      case BtfKind.INT: {
        const data = this.u32(tail);
        const enc = intEncoding(data);
        return {
          ...base,
          kind: 'INT',
          name: name(),
          size: sizeOrType,
          bits: intBits(data),
          bitOffset: intOffset(data),
          signed: (enc & BTF_INT_SIGNED) !== 0,
          char: (enc & BTF_INT_CHAR) !== 0,
          bool: (enc & BTF_INT_BOOL) !== 0,
        };
      }
      case BtfKind.PTR:
        return { ...base, kind: 'PTR', type: this.ref(sizeOrType, at + 8) };
      case BtfKind.ARRAY:
        return {
          ...base,
          kind: 'ARRAY',
          elemType: this.ref(this.u32(tail), tail),
          indexType: this.ref(this.u32(tail + 4), tail + 4),
          nelems: this.u32(tail + 8),
        };
      case BtfKind.STRUCT:
      case BtfKind.UNION: {
        const members: BtfMember[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = tail + 12 * i;
          const raw = this.u32(m + 8);
          members.push({
            name: this.string(this.u32(m), m),
            type: this.ref(this.u32(m + 4), m + 4),
            bitOffset: kindFlag ? memberBitOffset(raw) : raw,
            bitfieldSize: kindFlag ? memberBitfieldSize(raw) : 0,
          });
        }
        return { ...base, kind: kind === BtfKind.STRUCT ? 'STRUCT' : 'UNION', name: name(), size: sizeOrType, kindFlag, members };
      }
      case BtfKind.ENUM: {
        const values: { name: string; value: number }[] = [];
        for (let i = 0; i < vlen; i++) {
          const e = tail + 8 * i;
          values.push({ name: this.string(this.u32(e), e), value: kindFlag ? this.i32(e + 4) : this.u32(e + 4) });
        }
        return { ...base, kind: 'ENUM', name: name(), size: sizeOrType, signed: kindFlag, values };
      }
      case BtfKind.ENUM64: {
        const values: { name: string; value: bigint }[] = [];
        for (let i = 0; i < vlen; i++) {
          const e = tail + 12 * i;
          const raw = (BigInt(this.u32(e + 8)) << 32n) | BigInt(this.u32(e + 4));
          values.push({ name: this.string(this.u32(e), e), value: kindFlag ? BigInt.asIntN(64, raw) : raw });
        }
        return { ...base, kind: 'ENUM64', name: name(), size: sizeOrType, signed: kindFlag, values };
      }
      case BtfKind.FWD:
        return { ...base, kind: 'FWD', name: name(), union: kindFlag };
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG: {
        const k =
          kind === BtfKind.TYPEDEF
            ? 'TYPEDEF'
            : kind === BtfKind.VOLATILE
              ? 'VOLATILE'
              : kind === BtfKind.CONST
                ? 'CONST'
                : kind === BtfKind.RESTRICT
                  ? 'RESTRICT'
                  : 'TYPE_TAG';
        return { ...base, kind: k, name: name(), type: this.ref(sizeOrType, at + 8) };
      }
      case BtfKind.FUNC:
        return { ...base, kind: 'FUNC', name: name(), type: this.ref(sizeOrType, at + 8), linkage: vlen };
      case BtfKind.FUNC_PROTO: {
        const params: { name: string; type: number }[] = [];
        for (let i = 0; i < vlen; i++) {
          const p = tail + 8 * i;
          params.push({ name: this.string(this.u32(p), p), type: this.ref(this.u32(p + 4), p + 4) });
        }
        return { ...base, kind: 'FUNC_PROTO', returnType: this.ref(sizeOrType, at + 8), params };
      }
      case BtfKind.VAR:
        return { ...base, kind: 'VAR', name: name(), type: this.ref(sizeOrType, at + 8), linkage: this.u32(tail) };
      case BtfKind.DATASEC: {
        const vars: { type: number; offset: number; size: number }[] = [];
        for (let i = 0; i < vlen; i++) {
          const v = tail + 12 * i;
          vars.push({ type: this.ref(this.u32(v), v), offset: this.u32(v + 4), size: this.u32(v + 8) });
        }
        return { ...base, kind: 'DATASEC', name: name(), size: sizeOrType, vars };
      }
      case BtfKind.FLOAT:
        return { ...base, kind: 'FLOAT', name: name(), size: sizeOrType };
      case BtfKind.DECL_TAG:
        return { ...base, kind: 'DECL_TAG', name: name(), type: this.ref(sizeOrType, at + 8), componentIdx: this.i32(tail) };
      default:
        // indexTypes() rejected unknown kinds already.
        throw new BtfError('bad-type', this.file, `unknown BTF kind ${kind} (type id ${id})`, at + 4);
    }
  }

  /**
   * Type ids of the structs (or unions) named `name`, in id order. The name index is built on
   * first use from the raw records (kind and name_off only), so opening a file stays cheap.
   */
  findAggregates(name: string): readonly number[] {
    if (!this.aggregateIndex) {
      const index = new Map<string, number[]>();
      if (this.base) for (const n of this.base.aggregateNames()) index.set(n, [...this.base.findAggregates(n)]);
      for (let id = this.startId; id < this.typeCount; id++) {
        const at = this.recordOffset(id);
        const kind = infoKind(this.u32(at + 4));
        if (kind !== BtfKind.STRUCT && kind !== BtfKind.UNION) continue;
        const n = this.string(this.u32(at), at);
        if (n === '') continue;
        const ids = index.get(n);
        if (ids) ids.push(id);
        else index.set(n, [id]);
      }
      this.aggregateIndex = index;
    }
    return this.aggregateIndex.get(name) ?? [];
  }

  /** Names of all named structs and unions, in first-id order. */
  aggregateNames(): string[] {
    this.findAggregates('');
    return [...this.aggregateIndex!.keys()];
  }

  /**
   * sizeof(void *) of the kernel that produced the file. BTF does not record it; like libbpf we
   * take the size of `long` (LP64: 8, ILP32: 4), and 8 when the file has no `long`.
   */
  pointerSize(): number {
    if (this.ptrSize === undefined) {
      this.ptrSize = this.base ? this.base.pointerSize() : 8;
      for (let id = this.startId; id < this.typeCount && !this.base; id++) {
        const at = this.recordOffset(id);
        if (infoKind(this.u32(at + 4)) !== BtfKind.INT) continue;
        const n = this.string(this.u32(at), at);
        if (n === 'long int' || n === 'long unsigned int' || n === 'long' || n === 'unsigned long') {
          const size = this.u32(at + 8);
          if (size === 4 || size === 8) {
            this.ptrSize = size;
            break;
          }
        }
      }
    }
    return this.ptrSize;
  }
}

/**
 * A `.btf.gz` (gzip magic 1f 8b) is inflated first: distributions and this project ship BTF
 * compressed. The inflated size is capped so a gzip bomb is one error, not an exhausted heap.
 */
function gunzipIfCompressed(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_BTF_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new BtfError('unreadable', file, `inflates to more than the ${MAX_BTF_BYTES >> 20} MiB limit for BTF`);
    throw new BtfError('unreadable', file, `not a valid gzip stream (${(e as Error).message.split('\n')[0]})`);
  }
}
