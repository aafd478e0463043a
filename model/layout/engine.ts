import { abiInfo, type AbiInfo } from './abi.js';
import { recordName, type CType, type EnumDecl, type Expr, type FieldDecl, type PathStep, type RecordDecl } from './ctypes.js';
import { HeaderError, type SourceLoc } from './errors.js';
import type { Abi, MemberLayout, StructLayout } from './types.js';

/**
 * What GCC knows about a complete type. Sizes in bytes as exact integers (`char a[1ULL << 53]`
 * is legal C and its neighbours' offsets must not round), alignments in bytes (at most 2^28,
 * GCC's limit, so a number).
 */
export interface TypeInfo {
  readonly size: bigint;
  /** TYPE_ALIGN: the alignment of a lone object (`__alignof__`). */
  readonly align: number;
  /** TYPE_USER_ALIGN: alignment came from an `aligned` attribute (here or in a member). */
  readonly userAlign: boolean;
  /**
   * Exempt from the i386 member cap without being user-aligned: vectors of 16 bytes or more
   * (BLKmode or a vector mode there, which x86_field_alignment leaves alone) and records whose
   * alignment comes from one.
   */
  readonly capExempt?: boolean;
}

/** A field as placed by the record layout. Offsets in bits from the start of the record. */
export interface PlacedField {
  readonly decl: FieldDecl;
  readonly bitOffset: bigint;
  /** Size in bytes of the declared type (the storage unit for a bitfield). */
  readonly size: bigint;
  readonly bitSize?: number;
}

export interface RecordInfo extends TypeInfo {
  readonly fields: readonly PlacedField[];
}

/** Result of `offsetof`-style member lookup. */
export interface MemberLocation {
  readonly bitOffset: bigint;
  readonly size: bigint;
  readonly bitSize?: number;
  readonly type: CType;
}

const INT_BITS_MIN = -(1n << 31n);
const INT_BITS_MAX = (1n << 31n) - 1n;
const UINT_MAX = (1n << 32n) - 1n;

/** x rounded up to a multiple of a (a > 0). */
const roundUp = (x: bigint, a: number): bigint => {
  if (a <= 1) return x;
  const b = BigInt(a);
  return ((x + b - 1n) / b) * b;
};

/** GCC's MAX_OFILE_ALIGNMENT on ELF targets: 2^28 bytes (elfos.h). */
const MAX_ALIGNMENT = 1n << 28n;

/**
 * Deepest nesting of named struct members expanded into a layout's member tree (for member paths
 * such as `zsl.cnt`); deeper levels stay leaves, so a chain of N structs each containing the
 * previous costs O(N), not O(N^2). The kernel's deepest real path is 4 levels.
 */
const MAX_NAMED_EXPANSION = 8;

/** A bigint as a number, or a one-line error when a number cannot hold it exactly. */
function exactNumber(v: bigint, loc: SourceLoc, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER))
    throw new HeaderError(loc, `${what} is ${v}, beyond the 2^53 that layout tables show exactly (static assertions on it are exact)`);
  return Number(v);
}

/**
 * Lays out C types the way GCC does for the x86-64 (LP64) and i386 (ILP32) System V ABIs.
 * The bitfield and alignment rules follow GCC's stor-layout.c (`place_field`,
 * `update_alignment_for_field`, `layout_decl`) with PCC_BITFIELD_TYPE_MATTERS, which is what
 * the kernel is built with; the test suite checks them against gcc itself.
 */
export class LayoutEngine {
  readonly info: AbiInfo;
  private readonly records = new Map<RecordDecl, RecordInfo>();
  private readonly inProgress = new Set<RecordDecl>();
  private readonly enumValues = new Map<EnumDecl, bigint[]>();

  constructor(readonly abi: Abi) {
    this.info = abiInfo(abi);
  }

  // ---- types ---------------------------------------------------------------------------

  typeInfo(t: CType, loc: SourceLoc): TypeInfo {
    switch (t.kind) {
      case 'void':
        throw new HeaderError(loc, 'invalid use of void type');
      case 'function':
        throw new HeaderError(loc, 'a function type has no size (did you mean a pointer to it?)');
      case 'int': {
        if (this.abi === 'ilp32' && (t.int === '__int128' || t.int === 'unsigned __int128'))
          throw new HeaderError(loc, "'__int128' is not supported on this target");
        const s = this.info.ints[t.int];
        return { size: BigInt(s.size), align: s.align, userAlign: false };
      }
      case 'float': {
        // A complex type is a pair of its real type, aligned like one (both psABIs); on i386 a
        // member's alignment is capped at 4 like double's (x86_field_alignment, DCmode).
        const s = this.info.floats[t.float];
        return { size: BigInt(t.complex ? 2 * s.size : s.size), align: s.align, userAlign: false };
      }
      case 'pointer':
        return { size: BigInt(this.info.pointer.size), align: this.info.pointer.align, userAlign: false };
      case 'enum':
        return this.enumInfo(t.decl, loc);
      case 'typedef': {
        // A chain of typedefs is walked, not recursed (10,000 typedefs of typedefs are legal C).
        // On a typedef, `aligned` may raise or lower the alignment (GCC manual, Type Attributes);
        // the outermost typedef that has one decides.
        let cur: CType = t;
        while (cur.kind === 'typedef' && !cur.alignAttr) cur = cur.target;
        if (cur.kind !== 'typedef') return this.typeInfo(cur, loc);
        const base = this.typeInfo(stripTypedefs(cur), loc);
        return { size: base.size, align: this.alignValue(cur.alignAttr!), userAlign: true };
      }
      case 'array': {
        const el = this.typeInfo(t.of, loc);
        const exempt = el.capExempt ? { capExempt: true } : {};
        if (t.length === undefined) return { size: 0n, align: el.align, userAlign: el.userAlign, ...exempt };
        const n = this.eval(t.length);
        if (n < 0n) throw new HeaderError(t.length.loc, 'size of array is negative');
        return { size: this.arrayBytes(n, el.size, t.length.loc), align: el.align, userAlign: el.userAlign, ...exempt };
      }
      case 'record': {
        const r = this.recordInfo(t.record, loc);
        return { size: r.size, align: r.align, userAlign: r.userAlign, ...(r.capExempt ? { capExempt: true } : {}) };
      }
      case 'vector': {
        // GCC's vector types: N bytes of the scalar, N a power-of-two multiple of its size,
        // TYPE_ALIGN N (C11 _Alignof still says at most BIGGEST_ALIGNMENT: capFieldAlign).
        const el = this.typeInfo(t.of, loc);
        const n = this.eval(t.bytes);
        if (n <= 0n || n % el.size !== 0n) throw new HeaderError(t.bytes.loc, 'vector size not an integral multiple of component size');
        const units = n / el.size;
        if ((units & (units - 1n)) !== 0n) throw new HeaderError(t.bytes.loc, 'number of vector components not a power of two');
        if (n > 1n << 20n) throw new HeaderError(t.bytes.loc, 'vector size too large');
        return { size: n, align: Number(n), userAlign: false, ...(n >= 16n ? { capExempt: true } : {}) };
      }
    }
  }

  /** The largest object size, PTRDIFF_MAX of the ABI. */
  private get maxObjectSize(): bigint {
    return (1n << BigInt(this.info.pointer.size * 8 - 1)) - 1n;
  }

  /**
   * sizeof an array of `n` elements of `elBytes`, with GCC's checks (c-decl.c grokdeclarator,
   * c-common.c valid_array_size_p): an element count above PTRDIFF_MAX is "too large", a byte
   * size above it "exceeds maximum object size" (with the size, unless it overflowed size_t).
   */
  private arrayBytes(n: bigint, elBytes: bigint, loc: SourceLoc): bigint {
    const max = this.maxObjectSize;
    const name = this.currentField ? ` '${this.currentField}'` : '';
    if (n > max) throw new HeaderError(loc, `size of array${name} is too large`);
    const bytes = n * elBytes;
    if (bytes > 2n * max + 1n) throw new HeaderError(loc, `size of array${name} exceeds maximum object size '${max}'`);
    if (bytes > max) throw new HeaderError(loc, `size '${bytes}' of array${name} exceeds maximum object size '${max}'`);
    return bytes;
  }

  /** The member being laid out, for GCC's wording of array size errors. */
  private currentField: string | undefined;

  /** C11 `_Alignof`: the alignment the type gets as a struct member (GCC's min_align_of_type). */
  alignOf(t: CType, loc: SourceLoc): number {
    const ti = this.typeInfo(t, loc);
    return this.capFieldAlign(ti);
  }

  /**
   * C11 `_Alignof` (GCC's min_align_of_type): without a user alignment, at most
   * BIGGEST_ALIGNMENT (16: a 32-byte vector's TYPE_ALIGN is 32, its _Alignof 16), and on i386 the
   * member cap.
   */
  private capFieldAlign(ti: TypeInfo): number {
    if (ti.userAlign) return ti.align;
    const a = Math.min(ti.align, this.info.biggestAlignment);
    const cap = this.info.fieldAlignCap;
    return cap && !ti.capExempt ? Math.min(a, cap) : a;
  }

  private enumInfo(decl: EnumDecl, loc: SourceLoc): TypeInfo {
    if (!decl.enumerators) throw new HeaderError(loc, `incomplete type 'enum ${decl.tag}'`);
    const values = this.enumeratorValues(decl);
    const fits32 = values.every((v) => v >= INT_BITS_MIN && v <= INT_BITS_MAX) || values.every((v) => v >= 0n && v <= UINT_MAX);
    if (fits32) return { size: 4n, align: 4, userAlign: false };
    return { size: 8n, align: 8, userAlign: false };
  }

  enumeratorValues(decl: EnumDecl): bigint[] {
    const cached = this.enumValues.get(decl);
    if (cached) return cached;
    const values: bigint[] = [];
    this.enumValues.set(decl, values);
    let next = 0n;
    for (const e of decl.enumerators ?? []) {
      const v = e.value ? this.eval(e.value) : next;
      values.push(v);
      next = v + 1n;
    }
    return values;
  }

  // ---- records -------------------------------------------------------------------------

  recordInfo(r: RecordDecl, loc: SourceLoc): RecordInfo {
    const done = this.records.get(r);
    if (done) return done;
    if (!r.fields) throw new HeaderError(loc, `incomplete type '${recordName(r)}'`);
    if (this.inProgress.has(r)) throw new HeaderError(loc, `'${recordName(r)}' contains itself`);
    this.inProgress.add(r);
    try {
      const info = r.kind === 'struct' ? this.layoutStruct(r) : this.layoutUnion(r);
      this.records.set(r, info);
      return info;
    } finally {
      this.inProgress.delete(r);
    }
  }

  private alignValue(e: Expr): number {
    const v = this.eval(e);
    if (v <= 0n || (v & (v - 1n)) !== 0n) throw new HeaderError(e.loc, 'requested alignment is not a positive power of 2');
    if (v > MAX_ALIGNMENT) throw new HeaderError(e.loc, `requested alignment '${v}' exceeds maximum ${MAX_ALIGNMENT}`);
    return Number(v);
  }

  /**
   * A member's requested alignment in bytes: `aligned(N)` and C11 `_Alignas`, the larger of the
   * two. `_Alignas(0)` requests nothing; one below the member type's alignment is gcc's error.
   */
  private memberAlignAttr(f: FieldDecl): number | undefined {
    const attr = this.attrAlign(f.alignAttr);
    if (!f.alignas) return attr;
    const v = this.eval(f.alignas);
    if (v === 0n) return attr;
    const n = this.alignValue(f.alignas);
    if (n < this.alignOf(f.type, f.loc)) throw new HeaderError(f.loc, `'_Alignas' specifiers cannot reduce alignment of '${f.name}'`);
    return Math.max(n, attr ?? 0);
  }

  private attrAlign(e: Expr | undefined): number | undefined {
    if (!e) return undefined;
    // `aligned` with no argument is parsed as the number 0: the biggest alignment.
    if (e.kind === 'num' && e.value === 0n) return this.info.biggestAlignment;
    return this.alignValue(e);
  }

  private bitWidth(f: FieldDecl, typeBytes: bigint): number {
    const w = this.eval(f.bitWidth!);
    const what = f.name ? `'${f.name}'` : 'unnamed bit-field';
    if (w < 0n) throw new HeaderError(f.bitWidth!.loc, `negative width in bit-field ${what}`);
    const t = stripTypedefs(f.type);
    // GCC gives _Bool a width of 1 bit, whatever its size.
    const maxBits = t.kind === 'int' && t.int === '_Bool' ? 1n : typeBytes * 8n;
    if (w > maxBits) throw new HeaderError(f.bitWidth!.loc, `width of ${what} exceeds its type`);
    if (w === 0n && f.name) throw new HeaderError(f.bitWidth!.loc, `zero width for bit-field ${what}`);
    return Number(w);
  }

  private checkBitfieldType(f: FieldDecl): void {
    let t = f.type;
    while (t.kind === 'typedef') t = t.target;
    if (t.kind !== 'int' && t.kind !== 'enum') {
      throw new HeaderError(f.loc, `bit-field '${f.name || '<unnamed>'}' has invalid type`);
    }
  }

  /**
   * Alignment bookkeeping for one field, in bits, as update_alignment_for_field does it.
   * Returns the field's own alignment (DECL_ALIGN) and what it adds to the record.
   */
  private fieldAlignment(r: RecordDecl, f: FieldDecl, ti: TypeInfo, width: number | undefined): { desired: number; recordAlign: number; userAlign: boolean } {
    const packed = r.packed || f.packed;
    const cap = this.info.fieldAlignCap * 8;
    const adjust = (bits: number, user: boolean): number => (cap && !user && !ti.capExempt ? Math.min(bits, cap) : bits);
    const typeAlign = ti.align * 8;
    const attr = this.memberAlignAttr(f);
    // #pragma pack(N): layout_decl caps every field's DECL_ALIGN at N, user-aligned ones too;
    // zero-width bitfields are exempt (their cap is the command line's, none here).
    const mfa = (r.maxFieldAlign ?? 0) * 8;
    const capPack = (bits: number): number => (mfa ? Math.min(bits, mfa) : bits);
    if (width !== undefined) {
      const named = f.name !== '';
      if (width === 0) {
        // A zero-width bitfield aligns the next field to its type, packed or not, but being
        // unnamed it does not raise the record's alignment (x86 has no align_anon_bitfield).
        return { desired: adjust(typeAlign, ti.userAlign), recordAlign: 8, userAlign: ti.userAlign };
      }
      let desired = attr ? attr * 8 : 1;
      if (packed && !attr) desired = Math.min(desired, 8);
      desired = capPack(desired);
      if (!named) return { desired, recordAlign: 8, userAlign: attr !== undefined };
      let tAlign = adjust(typeAlign, ti.userAlign);
      // update_alignment_for_field: the pragma's cap, else packed's.
      if (mfa) tAlign = Math.min(tAlign, mfa);
      else if (packed) tAlign = Math.min(tAlign, 8);
      return { desired, recordAlign: Math.max(desired, tAlign), userAlign: attr !== undefined || ti.userAlign };
    }
    let desired: number;
    let user: boolean;
    if (attr !== undefined && (packed || attr * 8 >= typeAlign)) {
      // Member `aligned` only raises alignment, unless the member is packed too.
      desired = attr * 8;
      user = true;
    } else {
      // A lower member `aligned` is dropped with its user flag (do_type_align), so the i386
      // member cap still applies: `u64 x __attribute__((aligned(4)))` is 4-aligned there.
      desired = typeAlign;
      user = ti.userAlign;
      if (packed) desired = Math.min(desired, 8);
      else desired = adjust(desired, user);
    }
    desired = capPack(desired);
    return { desired, recordAlign: desired, userAlign: user };
  }

  private layoutStruct(r: RecordDecl): RecordInfo {
    let bitpos = 0n;
    let recordAlign = 8;
    let userAlign = false;
    const out: PlacedField[] = [];
    const fields = r.fields!;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const isLast = i === fields.length - 1;
      if (f.type.kind === 'array' && f.type.length === undefined && !isLast) {
        throw new HeaderError(f.loc, `flexible array member '${f.name}' not at end of struct`);
      }
      this.currentField = f.name || undefined;
      const ti = this.typeInfo(f.type, f.loc);
      this.currentField = undefined;
      if (f.bitWidth) {
        this.checkBitfieldType(f);
        const width = this.bitWidth(f, ti.size);
        const a = this.fieldAlignment(r, f, ti, width);
        recordAlign = Math.max(recordAlign, a.recordAlign);
        userAlign ||= a.userAlign;
        bitpos = roundUp(bitpos, a.desired);
        if (width === 0) continue;
        const packed = r.packed || f.packed;
        // place_field's unit-span rule is off under #pragma pack (maximum_field_alignment != 0).
        if (!packed && !r.maxFieldAlign) {
          // "A bit field may not span more units of alignment of its type than its type
          // itself" (place_field, excess_unit_span): move to the next unit of its type.
          const cap = this.info.fieldAlignCap * 8;
          const unit = cap && !ti.userAlign ? Math.min(ti.align * 8, cap) : ti.align * 8;
          const within = Number(bitpos % BigInt(unit));
          if (Math.ceil((within + width) / unit) > Math.floor(Number(ti.size * 8n) / unit)) bitpos = roundUp(bitpos, unit);
          userAlign ||= ti.userAlign;
        }
        if (f.name) out.push({ decl: f, bitOffset: bitpos, size: ti.size, bitSize: width });
        bitpos += BigInt(width);
        continue;
      }
      const a = this.fieldAlignment(r, f, ti, undefined);
      recordAlign = Math.max(recordAlign, a.recordAlign);
      userAlign ||= a.userAlign;
      bitpos = roundUp(bitpos, a.desired);
      out.push({ decl: f, bitOffset: bitpos, size: ti.size });
      bitpos += ti.size * 8n;
    }
    return this.finishRecord(r, (bitpos + 7n) / 8n, recordAlign, userAlign, out);
  }

  private layoutUnion(r: RecordDecl): RecordInfo {
    let size = 0n;
    let recordAlign = 8;
    let userAlign = false;
    const out: PlacedField[] = [];
    for (const f of r.fields!) {
      this.currentField = f.name || undefined;
      const ti = this.typeInfo(f.type, f.loc);
      this.currentField = undefined;
      let width: number | undefined;
      if (f.bitWidth) {
        this.checkBitfieldType(f);
        width = this.bitWidth(f, ti.size);
      }
      const a = this.fieldAlignment(r, f, ti, width);
      recordAlign = Math.max(recordAlign, a.recordAlign);
      userAlign ||= a.userAlign;
      // A union is as big as its largest member; a bitfield counts its bytes (DECL_SIZE_UNIT).
      const bytes = width !== undefined ? BigInt(Math.ceil(width / 8)) : ti.size;
      if (bytes > size) size = bytes;
      if (width === undefined) out.push({ decl: f, bitOffset: 0n, size: ti.size });
      else if (f.name) out.push({ decl: f, bitOffset: 0n, size: ti.size, bitSize: width });
    }
    return this.finishRecord(r, size, recordAlign, userAlign, out);
  }

  private finishRecord(r: RecordDecl, unpaddedBytes: bigint, recordAlignBits: number, userAlign: boolean, fields: PlacedField[]): RecordInfo {
    const attr = this.attrAlign(r.alignAttr);
    const align = Math.max(recordAlignBits / 8, attr ?? 1);
    const size = roundUp(unpaddedBytes, align);
    // layout_type / c-decl.c: a record above PTRDIFF_MAX bytes is an error.
    if (size > this.maxObjectSize) throw new HeaderError(r.loc, `type '${recordName(r)}' is too large`);
    const user = userAlign || attr !== undefined;
    // On i386 a record aligned above the member cap without a user alignment got it from a
    // 16-byte vector: it is BLKmode there, so the cap leaves it alone as a member too.
    const cap = this.info.fieldAlignCap;
    return { size, align, userAlign: user, ...(cap && !user && align > cap ? { capExempt: true } : {}), fields };
  }

  // ---- members -------------------------------------------------------------------------

  /** Finds a direct member by name, looking through anonymous structs/unions as C does. */
  findMember(r: RecordDecl, name: string, loc: SourceLoc): { bitOffset: bigint; field: PlacedField } | undefined {
    const info = this.recordInfo(r, loc);
    for (const pf of info.fields) {
      if (pf.decl.name === name) return { bitOffset: pf.bitOffset, field: pf };
      if (pf.decl.name === '' && pf.bitSize === undefined) {
        const inner = stripTypedefs(pf.decl.type);
        if (inner.kind === 'record') {
          const hit = this.findMember(inner.record, name, loc);
          if (hit) return { bitOffset: pf.bitOffset + hit.bitOffset, field: hit.field };
        }
      }
    }
    return undefined;
  }

  /** `offsetof(type, a.b[2].c)`, in bits, with the member's size. */
  locate(type: CType, path: readonly PathStep[], loc: SourceLoc): MemberLocation {
    let cur = type;
    let bitOffset = 0n;
    let size = this.typeInfo(type, loc).size;
    let bitSize: number | undefined;
    for (const step of path) {
      if (bitSize !== undefined) throw new HeaderError(loc, 'a bit-field has no members');
      const t = stripTypedefs(cur);
      if (step.kind === 'member') {
        if (t.kind !== 'record') throw new HeaderError(loc, `request for member '${step.name}' in something not a structure or union`);
        const hit = this.findMember(t.record, step.name, loc);
        if (!hit) throw new HeaderError(loc, `'${recordName(t.record)}' has no member named '${step.name}'`);
        bitOffset += hit.bitOffset;
        size = hit.field.size;
        bitSize = hit.field.bitSize;
        cur = hit.field.decl.type;
      } else {
        if (t.kind !== 'array') throw new HeaderError(loc, 'subscripted value is not an array');
        const idx = this.eval(step.index);
        const el = this.typeInfo(t.of, loc);
        bitOffset += idx * el.size * 8n;
        size = el.size;
        cur = t.of;
      }
    }
    return { bitOffset, size, bitSize, type: cur };
  }

  // ---- layouts in the shared contract ---------------------------------------------------

  /**
   * The layout in the shared StructLayout shape. Anonymous members are always expanded, named
   * struct members down to MAX_NAMED_EXPANSION levels. Offsets there are numbers of bits: a
   * layout with an offset or size beyond 2^53 is refused in one line rather than rounded.
   */
  structLayout(r: RecordDecl, name: string, loc: SourceLoc = r.loc): StructLayout {
    const info = this.recordInfo(r, loc);
    const size = exactNumber(info.size * 8n, r.loc, `the size in bits of '${recordName(r)}'`) / 8;
    return { kind: r.kind, name, size, align: this.capFieldAlign(info), members: this.memberLayouts(info, 0n, 0) };
  }

  private memberLayouts(info: RecordInfo, base: bigint, namedDepth: number): MemberLayout[] {
    return info.fields.map((pf) => {
      const t = stripTypedefs(pf.decl.type);
      const bitOffset = base + pf.bitOffset;
      const what = `the bit offset of '${pf.decl.name || '<anonymous>'}'`;
      const m: MemberLayout = {
        name: pf.decl.name,
        typeName: this.spell(pf.decl.type),
        bitOffset: exactNumber(bitOffset, pf.decl.loc, what),
        size: exactNumber(pf.size * 8n, pf.decl.loc, `the size in bits of '${pf.decl.name || '<anonymous>'}'`) / 8,
        ...(pf.bitSize !== undefined ? { bitSize: pf.bitSize } : {}),
      };
      if (t.kind === 'record' && pf.bitSize === undefined) {
        const anonymous = pf.decl.name === '' || t.record.tag === '';
        if (!anonymous && namedDepth >= MAX_NAMED_EXPANSION) return m;
        const inner = this.recordInfo(t.record, pf.decl.loc);
        return { ...m, aggregate: t.record.kind, members: this.memberLayouts(inner, bitOffset, anonymous ? namedDepth : namedDepth + 1) };
      }
      return m;
    });
  }

  /** The type as C spells it, array lengths evaluated: `struct list_head[12]`. */
  spell(t: CType, inner = ''): string {
    const join = (base: string, decl: string): string => (decl === '' ? base : decl.startsWith('[') ? `${base}${decl}` : `${base} ${decl}`);
    switch (t.kind) {
      case 'pointer': {
        const star = `*${inner}`;
        return this.spell(t.to, t.to.kind === 'array' || t.to.kind === 'function' ? `(${star})` : star);
      }
      case 'array':
        return this.spell(t.of, `${inner}[${t.length ? this.eval(t.length).toString() : ''}]`);
      case 'function':
        return this.spell(t.returns, `${inner}(${t.params})`);
      case 'vector':
        return join(`${this.spell(t.of)} __attribute__((vector_size(${this.eval(t.bytes)})))`, inner);
      case 'void':
        return join('void', inner);
      case 'int':
        return join(t.int, inner);
      case 'float':
        return join(t.complex ? `${t.float} _Complex` : t.float, inner);
      case 'typedef':
        return join(t.name, inner);
      case 'record':
        return join(t.record.tag ? `${t.record.kind} ${t.record.tag}` : t.record.kind, inner);
      case 'enum':
        return join(t.decl.tag ? `enum ${t.decl.tag}` : 'enum', inner);
    }
  }

  // ---- constant expressions ------------------------------------------------------------

  /** Integer constant expression, with the ABI's sizeof/_Alignof/offsetof. */
  eval(e: Expr): bigint {
    return this.evalTyped(e).v;
  }

  /**
   * Evaluation with C's integer types, reduced to width and signedness: `sizeof` and
   * `offsetof` are size_t, so `sizeof(a) - sizeof(b) < 0` is false as in gcc.
   */
  private evalTyped(e: Expr): CInt {
    const sizeT = { bits: this.info.ints['unsigned long'].size * 8, unsigned: true };
    const longBits = this.info.ints.long.size * 8;
    switch (e.kind) {
      case 'num':
        return literal(e.value, e.suffix ?? '', e.hex ?? false, longBits);
      case 'ident':
        throw new HeaderError(e.loc, `'${e.name}' undeclared (not an enumerator or a known constant)`);
      case 'enumerator':
        return { v: this.enumeratorValues(e.decl)[e.index], bits: 32, unsigned: false };
      case 'sizeof':
        return { v: this.typeInfo(e.type, e.loc).size, ...sizeT };
      case 'alignof':
        return { v: BigInt(this.alignOf(e.type, e.loc)), ...sizeT };
      case 'offsetof': {
        const m = this.locate(e.type, e.path, e.loc);
        if (m.bitSize !== undefined) throw new HeaderError(e.loc, 'attempt to take address of bit-field');
        return { v: m.bitOffset / 8n, ...sizeT };
      }
      case 'cast': {
        const x = this.evalTyped(e.arg);
        const t = stripTypedefs(e.type);
        if (t.kind === 'int' && t.int === '_Bool') return { v: x.v !== 0n ? 1n : 0n, bits: 32, unsigned: false };
        if (t.kind === 'int' || t.kind === 'enum' || t.kind === 'pointer') {
          const bits = Number(this.typeInfo(t, e.loc).size) * 8;
          const unsigned = t.kind === 'pointer' || (t.kind === 'int' && t.int.startsWith('unsigned'));
          // Truncate to the target type, then promote: types narrower than int become int.
          const v = unsigned ? BigInt.asUintN(bits, x.v) : BigInt.asIntN(bits, x.v);
          return { v, bits: Math.max(bits, 32), unsigned: bits >= 32 && unsigned };
        }
        throw new HeaderError(e.loc, 'cast to a non-integer type in a constant expression');
      }
      case 'cond': {
        const a = this.evalTyped(e.then);
        const b = this.evalTyped(e.else);
        const c = common(a, b);
        return wrap(this.evalTyped(e.test).v !== 0n ? a.v : b.v, c.bits, c.unsigned);
      }
      case 'unary': {
        const x = this.evalTyped(e.arg);
        switch (e.op) {
          case '-':
            return wrap(-x.v, x.bits, x.unsigned);
          case '+':
            return x;
          case '!':
            return { v: x.v === 0n ? 1n : 0n, bits: 32, unsigned: false };
          case '~':
            return wrap(~x.v, x.bits, x.unsigned);
        }
        throw new HeaderError(e.loc, `unsupported operator '${e.op}'`);
      }
      case 'binary': {
        const truth = (x: boolean): CInt => ({ v: x ? 1n : 0n, bits: 32, unsigned: false });
        if (e.op === '&&') return truth(this.evalTyped(e.left).v !== 0n && this.evalTyped(e.right).v !== 0n);
        if (e.op === '||') return truth(this.evalTyped(e.left).v !== 0n || this.evalTyped(e.right).v !== 0n);
        const a = this.evalTyped(e.left);
        const b = this.evalTyped(e.right);
        if (e.op === '<<' || e.op === '>>') {
          if (b.v < 0n || b.v >= BigInt(a.bits)) throw new HeaderError(e.loc, 'shift count is negative or too large for the type');
          return wrap(e.op === '<<' ? a.v << b.v : a.v >> b.v, a.bits, a.unsigned);
        }
        const c = common(a, b);
        const x = wrap(a.v, c.bits, c.unsigned).v;
        const y = wrap(b.v, c.bits, c.unsigned).v;
        const arith = (v: bigint): CInt => wrap(v, c.bits, c.unsigned);
        switch (e.op) {
          case '+': return arith(x + y);
          case '-': return arith(x - y);
          case '*': return arith(x * y);
          case '/':
          case '%':
            if (y === 0n) throw new HeaderError(e.loc, 'division by zero in a constant expression');
            return arith(e.op === '/' ? x / y : x % y);
          case '&': return arith(x & y);
          case '|': return arith(x | y);
          case '^': return arith(x ^ y);
          case '<': return truth(x < y);
          case '>': return truth(x > y);
          case '<=': return truth(x <= y);
          case '>=': return truth(x >= y);
          case '==': return truth(x === y);
          case '!=': return truth(x !== y);
        }
        throw new HeaderError(e.loc, `unsupported operator '${e.op}'`);
      }
    }
  }
}

/** An integer value with its C type reduced to width (>= 32 after promotion) and signedness. */
interface CInt {
  readonly v: bigint;
  readonly bits: number;
  readonly unsigned: boolean;
}

function wrap(v: bigint, bits: number, unsigned: boolean): CInt {
  const t = unsigned ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
  return { v: t, bits, unsigned };
}

/** The usual arithmetic conversions, with rank approximated by width. */
function common(a: CInt, b: CInt): { bits: number; unsigned: boolean } {
  const bits = Math.max(a.bits, b.bits);
  return { bits, unsigned: (a.unsigned && a.bits === bits) || (b.unsigned && b.bits === bits) };
}

/** The type of an integer literal (C11 6.4.4.1), on an ABI whose long has `longBits`. */
function literal(v: bigint, suffix: string, hexOrOctal: boolean, longBits: number): CInt {
  const u = suffix.includes('u');
  const ls = (suffix.match(/l/g) ?? []).length;
  const candidates: { bits: number; unsigned: boolean }[] = [];
  const add = (bits: number, unsigned: boolean): void => {
    if (u && !unsigned) return;
    candidates.push({ bits, unsigned });
  };
  if (ls === 0) {
    add(32, false);
    if (hexOrOctal || u) add(32, true);
  }
  if (ls <= 1) {
    add(longBits, false);
    if (hexOrOctal || u) add(longBits, true);
  }
  add(64, false);
  if (hexOrOctal || u) add(64, true);
  for (const c of candidates) {
    const max = c.unsigned ? (1n << BigInt(c.bits)) - 1n : (1n << BigInt(c.bits - 1)) - 1n;
    if (v <= max) return { v, ...c };
  }
  return { v: BigInt.asUintN(64, v), bits: 64, unsigned: true };
}

export function stripTypedefs(t: CType): CType {
  let cur = t;
  while (cur.kind === 'typedef') cur = cur.target;
  return cur;
}
