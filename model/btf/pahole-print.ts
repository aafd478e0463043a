/**
 * pahole's table of a BTF struct or union, character for character as pahole 1.24 prints it
 * (`pahole -F btf -C NAME`), written from the BTF type graph the way dwarves does it:
 * dwarves_fprintf.c (type names, member lines, the offset/size comment columns, holes, bit holes,
 * cacheline boundaries, the summary), dwarves.c (class__find_holes, the packed inference) and
 * btf_loader.c (member byte offsets of bitfields, the inferred __aligned__ attributes).
 *
 * pahole keeps what it infers about a struct (holes, packed) on the struct itself, and printing
 * one struct can mark another packed (an embedded struct at an unnatural offset). A
 * PaholePrinter is one such run: print structs through one printer to see what one `pahole`
 * run over all of them prints; a fresh printer per struct is `pahole -C NAME`.
 */
import type { Btf, BtfType } from './reader.js';

const TYPE_SPACING = 26;
const NAME_SPACING = 23;
const UNION_NAME_SPACING = 21;
const TABS = '\t'.repeat(16);

interface Member {
  readonly name: string | null;
  readonly type: number;
  bitOffset: number;
  readonly bitfieldSize: number;
  byteOffset: number;
  byteSize: number;
  bitSize: number;
  bitfieldOffset: number;
  alignment: number;
  hole: number;
  bitHole: number;
}

interface Klass {
  readonly id: number;
  readonly union: boolean;
  readonly name: string | null;
  readonly size: number;
  readonly members: Member[];
  alignment: number;
  naturalAlignment: number;
  holesSearched: boolean;
  nrHoles: number;
  nrBitHoles: number;
  preHole: number;
  preBitHole: number;
  padding: number;
  bitPadding: number;
  isPacked: boolean;
  packedInferred: boolean;
}

interface Conf {
  indent: number;
  typeSpacing: number;
  nameSpacing: number;
  suffix: string | null;
  prefix: string | null;
  emitStats: boolean;
  baseOffset: number;
  relOffset: boolean;
  suppressOffsetComment: boolean;
  unionMember: boolean;
  firstMember: boolean;
  lastMember: boolean;
  cacheline: { line: number } | null;
}

const tabs = (n: number) => TABS.slice(0, Math.min(n, TABS.length - 1));
/** printf("%-*s", w, s); a negative width is a width too (C: the '-' flag and |w|), which
 *  deep nesting reaches as pahole subtracts 8 per level from its type column. */
const left = (s: string, w: number): string => {
  const n = Math.abs(w);
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
};
/** printf("%*s", w, s); a negative width left-justifies. */
const right = (s: string, w: number): string => {
  if (w < 0) return left(s, w);
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
};
const plural = (n: number, word: string) => `${n} ${word}${n !== 1 ? 's' : ''}`;

export class PaholePrinter {
  private readonly classes = new Map<number, Klass>();
  private readonly naturalMemo = new Map<number, number>();
  private readonly addrSize: number;

  constructor(
    private readonly btf: Btf,
    private readonly cachelineSize = 64,
  ) {
    this.addrSize = btf.pointerSize();
  }

  private t(id: number): BtfType {
    return this.btf.type(id);
  }

  /** tag__strip_typedefs_and_modifiers(): from a tag's type, past typedefs and qualifiers. */
  private strip(id: number): BtfType {
    let t = this.t(id);
    for (let i = 0; i < 1024; i++) {
      if (t.kind !== 'TYPEDEF' && t.kind !== 'CONST' && t.kind !== 'VOLATILE' && t.kind !== 'RESTRICT' && t.kind !== 'TYPE_TAG') break;
      t = this.t(t.type);
    }
    return t;
  }

  private isStructLike(t: BtfType): boolean {
    return t.kind === 'STRUCT' || (t.kind === 'FWD' && !t.union);
  }

  /** tag__size() */
  private size(id: number): number {
    let t = this.t(id);
    for (let i = 0; i < 1024; i++) {
      switch (t.kind) {
        case 'TYPEDEF':
        case 'CONST':
        case 'VOLATILE':
        case 'RESTRICT':
        case 'TYPE_TAG':
          t = this.t(t.type);
          continue;
        case 'ARRAY':
          return t.nelems * this.size(t.elemType);
        case 'PTR':
          return this.addrSize;
        case 'INT':
        case 'ENUM':
        case 'ENUM64':
        case 'FLOAT':
        case 'STRUCT':
        case 'UNION':
          return t.size;
        default:
          return 0;
      }
    }
    return 0;
  }

  /** tag__natural_alignment() of a stripped type. */
  private natural(t: BtfType): number {
    let a = 1;
    switch (t.kind) {
      case 'PTR':
        a = this.addrSize;
        break;
      case 'INT':
      case 'FLOAT':
        a = t.size;
        break;
      case 'ENUM':
      case 'ENUM64':
        a = t.size;
        break;
      case 'STRUCT':
      case 'UNION': {
        const memo = this.naturalMemo.get(t.id);
        if (memo !== undefined) return memo;
        this.naturalMemo.set(t.id, 1);
        let n = 0;
        for (const m of t.members) n = Math.max(n, this.natural(this.strip(m.type)));
        this.naturalMemo.set(t.id, n || 1);
        return n || 1;
      }
      case 'ARRAY':
        a = this.natural(this.strip(t.elemType));
        break;
      default:
        a = 1;
    }
    return a || 1;
  }

  /** btf_loader.c class__infer_alignment() */
  private inferAlignment(byteOffset: number, natural: number, smallestOffset: number): number {
    let alignment = 0;
    const delta = (byteOffset - smallestOffset) >>> 0;
    if (delta) {
      // C's `1 << (32 - clz)`: x86 masks the shift count, so a delta >= 2^31 gives 1.
      if (byteOffset % 2 === 0) alignment = (1 << (32 - Math.clz32(delta))) >>> 0;
    }
    if (alignment <= natural || alignment === 1) return 0;
    if (alignment < this.cachelineSize && this.cachelineSize % alignment === 0 && byteOffset % this.cachelineSize === 0) return this.cachelineSize;
    return alignment;
  }

  /** The class as btf_loader.c loads it, with class__fixup_btf_bitfields applied. */
  private klass(id: number): Klass {
    const known = this.classes.get(id);
    if (known) return known;
    const t = this.t(id);
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') {
      const k: Klass = { id, union: t.kind === 'FWD' && t.union, name: t.kind === 'FWD' ? t.name : null, size: 0, members: [], alignment: 0, naturalAlignment: 1, holesSearched: false, nrHoles: 0, nrBitHoles: 0, preHole: 0, preBitHole: 0, padding: 0, bitPadding: 0, isPacked: false, packedInferred: false };
      this.classes.set(id, k);
      return k;
    }
    const members: Member[] = t.members.map((m) => ({
      name: m.name === '' ? null : m.name,
      type: m.type,
      bitOffset: m.bitOffset,
      bitfieldSize: m.bitfieldSize,
      byteOffset: Math.floor(m.bitOffset / 8),
      byteSize: 0,
      bitSize: 0,
      bitfieldOffset: 0,
      alignment: 0,
      hole: 0,
      bitHole: 0,
    }));
    let smallest = 0;
    for (const pos of members) {
      const type = this.strip(pos.type);
      pos.bitfieldOffset = 0;
      pos.byteSize = this.size(pos.type);
      pos.bitSize = pos.byteSize * 8;
      if (pos.byteSize === 0) continue;
      if (type.kind === 'INT' || type.kind === 'ENUM' || type.kind === 'ENUM64' || type.kind === 'FLOAT') {
        if (pos.bitfieldSize) {
          pos.byteOffset = (Math.floor(pos.bitOffset / pos.bitSize) * pos.bitSize) / 8;
          pos.bitfieldOffset = pos.bitOffset - pos.byteOffset * 8;
        } else pos.byteOffset = Math.floor(pos.bitOffset / 8);
      }
      pos.alignment = this.inferAlignment(pos.byteOffset, this.natural(type), smallest);
      smallest = pos.byteOffset + pos.byteSize;
    }
    const k: Klass = {
      id,
      union: t.kind === 'UNION',
      name: t.name === '' ? null : t.name,
      size: t.size,
      members,
      alignment: this.inferAlignment(t.size, this.natural(t), smallest),
      naturalAlignment: 0,
      holesSearched: false,
      nrHoles: 0,
      nrBitHoles: 0,
      preHole: 0,
      preBitHole: 0,
      padding: 0,
      bitPadding: 0,
      isPacked: false,
      packedInferred: false,
    };
    this.classes.set(id, k);
    return k;
  }

  /** dwarves.c class__find_holes() */
  private findHoles(c: Klass): void {
    if (c.union || c.holesSearched) return;
    c.nrHoles = 0;
    c.nrBitHoles = 0;
    let curBitfieldEnd = c.size * 8;
    let curBitfieldSize = 0;
    let lastSeenBit = 0;
    let inBitfield = false;
    let last: Member | null = null;
    for (const pos of c.members) {
      pos.bitHole = 0;
      pos.hole = 0;
      const bitStart = pos.bitOffset;
      const bitEnd = bitStart + (pos.bitfieldSize ? pos.bitfieldSize : pos.byteSize * 8);
      let bitHoles = 0;
      let byteHoles = 0;
      if (inBitfield) {
        const bitfieldEnd = Math.min(bitStart, curBitfieldEnd);
        bitHoles = bitfieldEnd - lastSeenBit;
        lastSeenBit = bitfieldEnd;
      }
      if (pos.bitfieldSize) {
        const alignedStart = pos.byteOffset * 8;
        if (lastSeenBit < alignedStart && alignedStart <= bitStart) {
          byteHoles = pos.byteOffset - Math.trunc(lastSeenBit / 8);
          lastSeenBit = alignedStart;
        }
        bitHoles += bitStart - lastSeenBit;
      } else {
        byteHoles = Math.trunc(bitStart / 8) - Math.trunc(lastSeenBit / 8);
      }
      lastSeenBit = bitEnd;
      if (pos.bitfieldSize) {
        inBitfield = true;
        if (bitEnd > curBitfieldEnd || pos.bitSize > curBitfieldSize) {
          curBitfieldSize = pos.bitSize;
          curBitfieldEnd = pos.byteOffset * 8 + curBitfieldSize;
          if (bitEnd > curBitfieldEnd) curBitfieldEnd += curBitfieldSize;
        }
      } else {
        inBitfield = false;
        curBitfieldSize = 0;
        curBitfieldEnd = bitEnd;
      }
      // uint8_t/uint16_t fields in dwarves: holes are stored truncated.
      if (last) {
        last.hole = byteHoles & 0xffff;
        last.bitHole = bitHoles & 0xff;
      } else {
        c.preHole = byteHoles & 0xffff;
        c.preBitHole = bitHoles & 0xff;
      }
      if (bitHoles) c.nrBitHoles++;
      if (byteHoles) c.nrHoles++;
      last = pos;
    }
    if (inBitfield) {
      const bitfieldEnd = Math.min(c.size * 8, curBitfieldEnd);
      c.bitPadding = (bitfieldEnd - lastSeenBit) & 0xff;
      lastSeenBit = bitfieldEnd;
    } else c.bitPadding = 0;
    c.padding = (c.size - Math.trunc(lastSeenBit / 8)) & 0xffff;
    c.holesSearched = true;
  }

  /** type__check_structs_at_unnatural_alignments() */
  private checkUnnatural(c: Klass): void {
    for (const m of c.members) {
      const mt = this.strip(m.type);
      if (!this.isStructLike(mt)) continue;
      const na = this.natural(mt);
      if (m.byteOffset % na !== 0) {
        const k = this.klass(mt.id);
        k.isPacked = true;
        k.packedInferred = true;
      }
    }
  }

  /** dwarves.c class__infer_packed_attributes() */
  private inferPacked(c: Klass): boolean {
    if (c.union) return false;
    if (c.packedInferred) return c.isPacked;
    this.findHoles(c);
    if (c.padding !== 0 || c.nrHoles !== 0) {
      this.checkUnnatural(c);
      c.isPacked = false;
      c.packedInferred = true;
      return false;
    }
    let maxNatural = 1;
    for (const pos of c.members) {
      const na = this.natural(this.strip(pos.type));
      if (na === 1) continue;
      if (maxNatural < na) maxNatural = na;
      if (pos.byteOffset % na === 0) continue;
      c.isPacked = true;
      c.packedInferred = true;
      return true;
    }
    if ((maxNatural !== 1 && c.alignment === 1) || c.size % maxNatural !== 0) c.isPacked = true;
    c.packedInferred = true;
    return c.isPacked;
  }

  /** union__infer_packed_attributes() */
  private inferUnionPacked(c: Klass): void {
    if (c.packedInferred) return;
    for (const m of c.members) {
      const mt = this.strip(m.type);
      if (!this.isStructLike(mt)) continue;
      if (c.size % this.natural(mt) !== 0) {
        const k = this.klass(mt.id);
        k.isPacked = true;
        k.packedInferred = true;
      }
    }
    c.packedInferred = true;
  }

  // ---- names (dwarves_fprintf.c __tag__name) -----------------------------------------------

  private ptrName(t: Extract<BtfType, { kind: 'PTR' }>): string {
    if (t.type === 0) return 'void *';
    let type = this.t(t.type);
    let constPointer = '';
    if (type.kind === 'CONST') {
      const next = this.t(type.type);
      if (next.kind === 'PTR') {
        constPointer = 'const ';
        type = next;
      }
    }
    return `${this.tagName(type.id)} ${constPointer}*`;
  }

  tagName(id: number): string {
    if (id === 0) return 'void';
    const t = this.t(id);
    switch (t.kind) {
      case 'VOID':
        return 'void';
      case 'INT':
      case 'FLOAT':
        return t.name;
      case 'PTR':
        return this.ptrName(t);
      case 'CONST':
      case 'VOLATILE':
      case 'RESTRICT': {
        const inner = t.type === 0 ? 'void' : this.tagName(t.type);
        const prefix = t.kind === 'CONST' ? 'const ' : t.kind === 'VOLATILE' ? 'volatile ' : '';
        const suffix = t.kind === 'RESTRICT' ? ' restrict' : '';
        return `${prefix}${inner}${suffix} `;
      }
      case 'TYPE_TAG':
        return this.tagName(t.type);
      case 'ARRAY':
        return this.tagName(t.elemType);
      case 'FUNC_PROTO':
        return this.ftype(t, null, false, false, 0, true);
      case 'TYPEDEF':
        return t.name;
      case 'STRUCT':
        return `struct ${t.name}`;
      case 'UNION':
        return `union ${t.name}`;
      case 'ENUM':
      case 'ENUM64':
        return `enum ${t.name}`;
      case 'FWD':
        return `${t.union ? 'union' : 'struct'} ${t.name}`;
      default:
        return 'name' in t ? t.name : '';
    }
  }

  /** ftype__fprintf() */
  private ftype(t: Extract<BtfType, { kind: 'FUNC_PROTO' }>, name: string | null, inlined: boolean, isPointer: boolean, typeSpacing: number, isPrototype: boolean): string {
    const stype = this.tagName(t.returnType);
    let out = `${inlined ? 'inline ' : ''}${left(stype, typeSpacing)} ${isPrototype ? '(' : ''}${isPointer ? '*' : ''}${name ?? ''}${isPrototype ? ')' : ''}`;
    out += '(';
    let first = true;
    let unspec = false;
    for (let i = 0; i < t.params.length; i++) {
      const p = t.params[i]!;
      if (p.type === 0 && i === t.params.length - 1) {
        unspec = true;
        break;
      }
      if (!first) out += ', ';
      first = false;
      const pname = p.name === '' ? null : p.name;
      const type = this.t(p.type);
      if (type.kind === 'PTR' && type.type !== 0) {
        const ptype = this.t(type.type);
        if (ptype.kind === 'FUNC_PROTO') {
          out += this.ftype(ptype, pname, false, true, 0, true);
          continue;
        }
      } else if (type.kind === 'FUNC_PROTO') {
        out += this.ftype(type, pname, true, false, 0, false);
        continue;
      }
      out += `${this.tagName(p.type)}${pname ? ' ' : ''}${pname ?? ''}`;
    }
    if (first) out += 'void)';
    else if (unspec) out += ', ...)';
    else out += ')';
    return out;
  }

  // ---- printing ----------------------------------------------------------------------------

  /** array_type__fprintf(): BTF arrays have one dimension each; nested arrays recurse. */
  private arrayFprintf(t: Extract<BtfType, { kind: 'ARRAY' }>, name: string, conf: Conf): string {
    // A zero-sized array of const elements: the const was printed already (`const char x[]`).
    let elem = t.elemType;
    const et = this.t(elem);
    if (t.nelems === 0 && et.kind === 'CONST') elem = et.type;
    let out = this.typeFprintf(elem, name, conf);
    const single = conf.lastMember && conf.firstMember;
    if (t.nelems !== 0 || !conf.lastMember || single || conf.unionMember) out += `[${t.nelems}]`;
    else out += '[]';
    return out;
  }

  /** type__fprintf() */
  private typeFprintf(id: number, nameIn: string | null, conf: Conf): string {
    let name = nameIn;
    let type = this.t(id);
    const tconf: Conf = { ...conf };
    let out = '';
    const innerStruct = () => {
      tconf.prefix = null;
      tconf.suffix = name;
      tconf.emitStats = false;
      tconf.suppressOffsetComment = conf.suppressOffsetComment;
    };
    if (type.kind === 'STRUCT' || type.kind === 'UNION' || type.kind === 'ENUM' || type.kind === 'ENUM64' || type.kind === 'FWD') innerStruct();
    for (let guard = 0; guard < 1024; guard++) {
      switch (type.kind) {
        case 'PTR': {
          if (type.type !== 0) {
            const ptype = this.t(type.type);
            if (ptype.kind === 'FUNC_PROTO') return out + this.ftype(ptype, name, false, true, tconf.typeSpacing, true);
            if ((ptype.kind === 'STRUCT' || ptype.kind === 'UNION' || ptype.kind === 'ENUM' || ptype.kind === 'ENUM64') && ptype.name === '') {
              name = `* ${name ?? ''}`;
              tconf.relOffset = true;
              type = ptype;
              tconf.typeSpacing -= 8;
              innerStruct();
              continue;
            }
          }
          return out + `${left(this.tagName(type.id), tconf.typeSpacing)} ${name ?? ''}`;
        }
        case 'FUNC_PROTO':
          return out + this.ftype(type, name, false, false, tconf.typeSpacing, true);
        case 'CONST': {
          const p = 'const ';
          tconf.typeSpacing -= p.length;
          out += p;
          if (type.type === 0) return out + `${left('void', tconf.typeSpacing)} ${name ?? ''}`;
          // `goto next_type` in dwarves: past the inner_struct setup, so a const anonymous
          // struct keeps the caller's conf and prints its own size summary.
          type = this.t(type.type);
          continue;
        }
        case 'TYPE_TAG':
          type = this.t(type.type);
          continue;
        case 'ARRAY':
          return out + this.arrayFprintf(type, name ?? '', tconf);
        case 'STRUCT':
        case 'FWD': {
          if (type.kind === 'FWD' && type.union) {
            return out + `union ${left(type.name, tconf.typeSpacing - 6)} ${name ?? ''}`;
          }
          if (type.name !== '') return out + `struct ${left(type.name, tconf.typeSpacing - 7)} ${name ?? ''}`;
          const c = this.klass(type.id);
          this.findHoles(c);
          tconf.typeSpacing -= 8;
          return out + this.classFprintf(c, tconf);
        }
        case 'UNION': {
          if (type.name !== '') return out + `union ${left(type.name, tconf.typeSpacing - 6)} ${name ?? ''}`;
          tconf.typeSpacing -= 8;
          return out + this.unionFprintf(this.klass(type.id), tconf);
        }
        case 'ENUM':
        case 'ENUM64':
          if (type.name !== '') return out + `enum ${left(type.name, tconf.typeSpacing - 5)} ${name ?? ''}`;
          return out + this.enumFprintf(type, tconf);
        default:
          return out + `${left(this.tagName(type.id), tconf.typeSpacing)} ${name ?? ''}`;
      }
    }
    return out;
  }

  /** enumeration__fprintf() */
  private enumFprintf(t: Extract<BtfType, { kind: 'ENUM' | 'ENUM64' }>, conf: Conf): string {
    let out = `enum${t.name ? ' ' : ''}${t.name}`;
    if (t.values.length === 0) return out;
    out += ' {\n';
    const width = t.values.reduce((w, v) => Math.max(w, v.name.length), 0);
    const indent = Math.min(conf.indent, 15);
    for (const v of t.values) {
      // pahole 1.24 prints every enumerator unsigned (it predates signed BTF enums).
      const value = t.kind === 'ENUM64' ? BigInt.asUintN(64, v.value as bigint) : (v.value as number) >>> 0;
      out += `${tabs(indent)}\t${left(v.name, width)} = ${value.toString()},\n`;
    }
    out += `${tabs(indent)}}`;
    if (t.size !== 4) out += ' __attribute__((__packed__))';
    if (conf.suffix) out += ` ${conf.suffix}`;
    return out;
  }

  /** class__fprintf_cacheline_boundary() */
  private cachelineBoundary(conf: Conf, offset: number): string {
    const line = Math.floor(offset / this.cachelineSize);
    const cl = conf.cacheline!;
    if (line <= cl.line) return '';
    const pos = offset % this.cachelineSize;
    const inBytes = offset - pos;
    let out = pos === 0
      ? `/* --- cacheline ${line} boundary (${inBytes} bytes) --- */\n`
      : `/* --- cacheline ${line} boundary (${inBytes} bytes) was ${pos} byte${pos > 1 ? 's' : ''} ago --- */\n`;
    out += tabs(conf.indent);
    cl.line = line;
    return out;
  }

  /** class_member__fprintf() */
  private memberFprintf(m: Member, unionMember: boolean, conf: Conf): string {
    const size = m.byteSize;
    const sconf: Conf = { ...conf };
    let offset = m.byteOffset;
    if (!sconf.relOffset) {
      offset += sconf.baseOffset;
      if (!unionMember) sconf.baseOffset = offset;
    }
    const boundary = this.cachelineBoundary(conf, offset);
    const type = this.t(m.type);
    let printed = '';
    const inline = type.kind === 'STRUCT' || type.kind === 'UNION' || type.kind === 'ENUM' || type.kind === 'ENUM64';
    if (inline) {
      printed += this.typeFprintf(m.type, null, sconf);
      if (m.name !== null) {
        if (type.name === '') printed += ' ';
        printed += m.name;
      }
    } else printed += this.typeFprintf(m.type, m.name, sconf);
    if (m.bitfieldSize !== 0) printed += `:${m.bitfieldSize}`;
    let alignPrinted = 0;
    if (m.alignment !== 0) {
      const a = ` __attribute__((__aligned__(${m.alignment})))`;
      alignPrinted = a.length;
      printed += a;
    }
    printed += ';';
    if (inline && type.name === '') {
      if (!sconf.suppressOffsetComment) {
        let slen = alignPrinted + (m.name !== null ? m.name.length : -1);
        let sizeSpacing = 5;
        if (type.kind === 'STRUCT' && this.klass(type.id).isPacked) slen += '__attribute__((__packed__))'.length + 1;
        printed += `${right(' ', sconf.typeSpacing + sconf.nameSpacing - slen - 3)}/* ${right(String(offset), 5)}`;
        if (m.bitfieldSize !== 0) {
          printed += `:${right(String(m.bitfieldOffset), 2)}`;
          sizeSpacing -= 3;
        }
        printed += ` ${right(String(size), sizeSpacing)} */`;
      }
    } else {
      // `printed` counts characters as fprintf does: the type's own lines included.
      const spacing = sconf.typeSpacing + sconf.nameSpacing - printed.length;
      if (!sconf.suppressOffsetComment) {
        let sizeSpacing = 5;
        printed += `${right(' ', spacing > 0 ? spacing : 0)}/* ${right(String(offset), 5)}`;
        if (m.bitfieldSize !== 0) {
          printed += `:${right(String(m.bitfieldOffset), 2)}`;
          sizeSpacing -= 3;
        }
        printed += ` ${right(String(size), sizeSpacing)} */`;
      }
    }
    return boundary + printed;
  }

  /**
   * pahole 1.24's note after a member of struct type: only that struct's tail padding
   * (later pahole versions also count its holes and bit holes).
   */
  private memberTypeHoles(c: Klass, holes: TypeHoles, state: { newline: number }, conf: Conf): string {
    this.findHoles(c);
    this.inferPacked(c);
    const padding = c.padding;
    if (padding <= 0) return '';
    holes.nrPaddings++;
    holes.sumPaddings += padding;
    let out = '';
    if (!state.newline++) out += '\n';
    return `${out}\n${tabs(conf.indent)}/* XXX last struct has ${padding} byte${padding !== 1 ? 's' : ''} of padding */`;
  }

  /** __class__fprintf() */
  private classFprintf(c: Klass, conf: Conf): string {
    const cconf: Conf = { ...conf };
    let out = `${cconf.prefix ?? ''}${cconf.prefix ? ' ' : ''}struct${c.name ? ' ' : ''}${c.name ?? ''}`;
    const indent = Math.min(cconf.indent, 15);
    const local = { line: 0 };
    if (!cconf.cacheline) cconf.cacheline = local;
    cconf.indent = indent + 1;
    this.inferPacked(c);
    out += ' {\n';
    const state = { newline: 0 };
    let sumHoles = 0;
    let sumBitHoles = 0;
    let sumBytes = 0;
    let sumBits = 0;
    let nrForced = 0;
    let nrForcedHoles = 0;
    let sumForcedHoles = 0;
    const typeHoles: TypeHoles = { nrPaddings: 0, sumPaddings: 0 };
    if (c.preBitHole > 0) {
      if (!state.newline++) out += '\n';
      out += `${tabs(cconf.indent)}/* XXX ${plural(c.preBitHole, 'bit')} hole, try to pack */\n`;
      sumBitHoles += c.preBitHole;
    }
    if (c.preHole > 0) {
      if (!state.newline++) out += '\n';
      out += `${tabs(cconf.indent)}/* XXX ${plural(c.preHole, 'byte')} hole, try to pack */\n`;
      sumHoles += c.preHole;
    }
    let last: Member | null = null;
    let lastSize = 0;
    c.members.forEach((pos, i) => {
      if (pos.alignment !== 0) {
        const forcedHole = last ? last.hole : c.preHole;
        if (forcedHole !== 0) {
          nrForcedHoles++;
          sumForcedHoles += forcedHole;
        }
        nrForced++;
      }
      if (last !== null && lastSize !== 0) {
        if (last.bitHole !== 0 && pos.bitfieldSize) {
          let bitfieldSize = last.bitHole;
          if (last.byteOffset !== pos.byteOffset) {
            out += `\n${tabs(cconf.indent)}/* Force alignment to the next boundary: */\n`;
            bitfieldSize = 0;
          }
          out += tabs(cconf.indent);
          out += this.typeFprintf(pos.type, '', cconf);
          out += `:${bitfieldSize};\n`;
        }
        if (pos.byteOffset < last.byteOffset || (pos.byteOffset === last.byteOffset && last.bitfieldSize === 0 && pos.bitfieldSize !== 0)) {
          if (!state.newline++) out += '\n';
          out += `${tabs(cconf.indent)}/* Bitfield combined with previous fields */\n`;
        } else {
          const cc = pos.byteOffset - last.byteOffset;
          if (cc > 0 && cc < lastSize) {
            if (!state.newline++) out += '\n';
            out += `${tabs(cconf.indent)}/* Bitfield combined with next fields */\n`;
          }
        }
      }
      if (state.newline) {
        out += '\n';
        state.newline = 0;
      }
      cconf.lastMember = i === c.members.length - 1;
      cconf.firstMember = last === null;
      const size = pos.byteSize;
      out += tabs(cconf.indent);
      out += this.memberFprintf(pos, false, cconf);
      const ptype = this.t(pos.type);
      if (this.isStructLike(ptype)) out += this.memberTypeHoles(this.klass(ptype.id), typeHoles, state, cconf);
      if (pos.bitHole !== 0) {
        if (!state.newline++) out += '\n';
        out += `\n${tabs(cconf.indent)}/* XXX ${plural(pos.bitHole, 'bit')} hole, try to pack */`;
        sumBitHoles += pos.bitHole;
      }
      if (pos.hole > 0) {
        if (!state.newline++) out += '\n';
        out += `\n${tabs(cconf.indent)}/* XXX ${plural(pos.hole, 'byte')} hole, try to pack */`;
        sumHoles += pos.hole;
      }
      out += '\n';
      if (pos.bitfieldSize) sumBits += pos.bitfieldSize;
      else sumBytes += pos.byteSize;
      if (last === null || lastSize === 0 || last.byteOffset !== pos.byteOffset) lastSize = size;
      else if (last.bitfieldSize === 0 && pos.bitfieldSize !== 0) lastSize = size;
      last = pos;
    });
    if (cconf.emitStats) {
      out += `\n${tabs(cconf.indent)}/* size: ${c.size}, cachelines: ${Math.ceil(c.size / this.cachelineSize)}, members: ${c.members.length} */\n`;
      if (sumHoles > 0 || sumBitHoles > 0) {
        if (sumBytes > 0) {
          out += `${tabs(cconf.indent)}/* sum members: ${sumBytes}`;
          if (sumHoles > 0) out += `, holes: ${c.nrHoles}, sum holes: ${sumHoles}`;
          out += ' */\n';
        }
        if (sumBits > 0) {
          out += `${tabs(cconf.indent)}/* sum bitfield members: ${sumBits} bits`;
          if (sumBitHoles > 0) out += `, bit holes: ${c.nrBitHoles}, sum bit holes: ${sumBitHoles} bits`;
          else out += ` (${Math.floor(sumBits / 8)} bytes)`;
          out += ' */\n';
        }
      }
      if (c.padding > 0) out += `${tabs(cconf.indent)}/* padding: ${c.padding} */\n`;
      const h = typeHoles;
      if (h.nrPaddings > 0) out += `${tabs(cconf.indent)}/* paddings: ${h.nrPaddings}, sum paddings: ${h.sumPaddings} */\n`;
      if (c.bitPadding > 0) out += `${tabs(cconf.indent)}/* bit_padding: ${c.bitPadding} bits */\n`;
      if (nrForced !== 0) {
        out += `${tabs(cconf.indent)}/* forced alignments: ${nrForced}`;
        if (nrForcedHoles !== 0) out += `, forced holes: ${nrForcedHoles}, sum forced holes: ${sumForcedHoles}`;
        out += ' */\n';
      }
      const lastLine = (cconf.baseOffset + c.size) % this.cachelineSize;
      if (lastLine !== 0) out += `${tabs(cconf.indent)}/* last cacheline: ${lastLine} bytes */\n`;
      const diff = c.size * 8 - (sumBytes * 8 + sumBits + sumHoles * 8 + sumBitHoles + c.padding * 8 + c.bitPadding);
      if (diff && c.members.length !== 0)
        out += `\n${tabs(cconf.indent)}/* BRAIN FART ALERT! ${c.size} bytes != ${sumBytes} (member bytes) + ${sumBits} (member bits) + ${sumHoles} (byte holes) + ${sumBitHoles} (bit holes), diff = ${diff} bits */\n`;
    }
    out += `${tabs(indent)}}`;
    if (c.isPacked) out += ' __attribute__((__packed__))';
    if (cconf.suffix) out += ` ${cconf.suffix}`;
    if (c.alignment !== 0 && !c.isPacked) out += ` __attribute__((__aligned__(${c.alignment})))`;
    return out;
  }

  /** union__fprintf() */
  private unionFprintf(c: Klass, conf: Conf): string {
    const indent = Math.min(conf.indent, 15);
    let out = '';
    if (conf.prefix !== null) out += `${conf.prefix} `;
    out += `union${c.name ? ' ' : ''}${c.name ?? ''} {\n`;
    const uconf: Conf = { ...conf, indent: indent + 1 };
    this.inferUnionPacked(c);
    const local = { line: 0 };
    if (!uconf.cacheline) uconf.cacheline = local;
    const initial = uconf.cacheline.line;
    for (const pos of c.members) {
      uconf.unionMember = true;
      out += tabs(uconf.indent);
      out += this.memberFprintf(pos, true, uconf);
      out += '\n';
      uconf.cacheline.line = initial;
    }
    return `${out}${tabs(indent)}}${conf.suffix ? ' ' : ''}${conf.suffix ?? ''}`;
  }

  /** What `pahole -F btf` prints for the struct or union with type id `id` (tag__fprintf). */
  print(id: number): string {
    const t = this.t(id);
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') throw new Error(`type id ${id} is ${t.kind}, not a struct or union`);
    const conf: Conf = {
      indent: 0,
      typeSpacing: TYPE_SPACING,
      nameSpacing: t.kind === 'UNION' ? UNION_NAME_SPACING : NAME_SPACING,
      suffix: null,
      prefix: null,
      emitStats: true,
      baseOffset: 0,
      relOffset: false,
      suppressOffsetComment: false,
      unionMember: false,
      firstMember: false,
      lastMember: false,
      cacheline: null,
    };
    const c = this.klass(id);
    return `${t.kind === 'UNION' ? this.unionFprintf(c, conf) : this.classFprintf(c, conf)};`;
  }
}

/** Tail padding of the struct-typed members, for the `paddings:` summary line. */
interface TypeHoles {
  nrPaddings: number;
  sumPaddings: number;
}

/** pahole's table of one struct/union, as `pahole -F btf -C NAME` prints it (a fresh run). */
export function paholeTable(btf: Btf, id: number): string {
  return new PaholePrinter(btf).print(id);
}
