/**
 * Byte ranges of the members of a StructLayout, as the rules need them: resolving one of several
 * spellings of a member path (model/layout resolves each), and cutting a struct into the
 * "units" a designer would move: each named member, or one bitfield storage word (a bitfield
 * store is a read-modify-write of its whole storage unit, so the whole word is what occupies
 * the bytes).
 */
import { MemberPathError, resolveMember, type MemberLayout, type StructLayout } from '../layout/index.js';

export interface ByteRange {
  /** First byte. */
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
}

export interface Leaf extends ByteRange {
  /** Path from the struct, anonymous levels omitted: `zsl.cnt`. */
  readonly path: string;
  readonly typeName: string;
  readonly bitSize?: number;
}

/** Something a layout change moves as a whole. */
export interface Unit extends ByteRange {
  /** How a message names it: `list`, `zsl`, `bitfield word huge/fullness/class/magic`. */
  readonly label: string;
  /** The member names it consists of (one, or the bitfields of the word). */
  readonly names: readonly string[];
  readonly leaves: readonly Leaf[];
}

export function overlaps(a: ByteRange, b: ByteRange): boolean {
  return a.start < b.end && b.start < a.end && a.end > a.start && b.end > b.start;
}

export function formatRange(r: ByteRange): string {
  return `${r.start}..${r.end}`;
}

/** The byte range a member occupies: its storage unit for a bitfield. */
export function memberRange(m: MemberLayout): ByteRange {
  if (m.bitSize !== undefined && m.size > 0) {
    const unitBits = m.size * 8;
    const start = Math.floor(m.bitOffset / unitBits) * m.size;
    const endBit = m.bitOffset + m.bitSize;
    const end = Math.ceil(endBit / unitBits) * m.size;
    return { start, end: Math.max(end, start + m.size) };
  }
  const start = Math.floor(m.bitOffset / 8);
  return { start, end: start + m.size };
}

/** The first of `paths` that `layout` has, with its range. */
export function resolve(layout: StructLayout, paths: readonly string[]): { path: string; member: MemberLayout; range: ByteRange } | undefined {
  for (const path of paths) {
    try {
      const { member } = resolveMember(layout, path);
      return { path, member, range: memberRange(member) };
    } catch (e) {
      if (!(e instanceof MemberPathError)) throw e;
    }
  }
  return undefined;
}

/** Every scalar (non-aggregate) member under `m`, with paths prefixed by `prefix`. */
function leavesOf(m: MemberLayout, prefix: string, out: Leaf[], depth = 0): void {
  if (m.members && m.members.length > 0 && depth < 64) {
    for (const c of m.members) leavesOf(c, c.name === '' ? prefix : prefix ? `${prefix}.${c.name}` : c.name, out, depth + 1);
    return;
  }
  const r = memberRange(m);
  out.push({ path: prefix, typeName: m.typeName, start: r.start, end: r.end, ...(m.bitSize !== undefined ? { bitSize: m.bitSize } : {}) });
}

export function leaves(layout: StructLayout): Leaf[] {
  const out: Leaf[] = [];
  for (const m of layout.members) leavesOf(m, m.name, out);
  return out;
}

/** The struct cut into the units a designer moves (see the module comment). */
export function units(layout: StructLayout): Unit[] {
  const out: Unit[] = [];
  let word: { range: ByteRange; names: string[]; leaves: Leaf[] } | null = null;
  const flushWord = () => {
    if (word) {
      out.push({
        label: `bitfield word ${word.names.join('/')}`,
        names: word.names,
        start: word.range.start,
        end: word.range.end,
        leaves: word.leaves,
      });
      word = null;
    }
  };
  const walk = (members: readonly MemberLayout[], depth: number) => {
    for (const m of members) {
      if (m.bitSize !== undefined) {
        const r = memberRange(m);
        if (!(word && word.range.start === r.start && word.range.end === r.end)) {
          flushWord();
          word = { range: r, names: [], leaves: [] };
        }
        if (m.name) word!.names.push(m.name);
        word!.leaves.push({ path: m.name, typeName: m.typeName, start: r.start, end: r.end, bitSize: m.bitSize });
        continue;
      }
      flushWord();
      if (m.name === '' && m.members && depth < 64) {
        walk(m.members, depth + 1);
        flushWord();
        continue;
      }
      const ls: Leaf[] = [];
      leavesOf(m, m.name, ls);
      const r = memberRange(m);
      out.push({ label: m.name, names: [m.name], start: r.start, end: r.end, leaves: ls });
    }
  };
  walk(layout.members, 0);
  flushWord();
  return out;
}

/**
 * Whether a C type, as spelled, is a pointer: stores in it are addresses of aligned objects, so
 * bit 0 is always clear. `struct page *`, `void (*)(void)`, `char (*)[8]`, `char *const`.
 */
export function isPointerType(typeName: string): boolean {
  const t = typeName.trim();
  return /\*\s*(?:(?:const|volatile|restrict)\s*)*$/.test(t) || /^[^(]*\(\s*\*/.test(t);
}
