import type { MemberLayout, StructLayout } from './types.js';

const CACHELINE = 64;
/** pahole puts the offset/size comment at this column (tabs expanded to 8). */
const COMMENT_COLUMN = 56;

/** A gap between members of a struct, in bytes. `after` names the member before it. */
export interface Hole {
  readonly after: string;
  readonly offset: number;
  readonly size: number;
}

/** Byte position of a member as pahole prints it: bitfields at the start of their storage unit. */
function bytePos(m: MemberLayout): { offset: number; bit?: number } {
  if (m.bitSize === undefined) return { offset: m.bitOffset / 8 };
  const unitBits = m.size * 8;
  const offset = Math.floor(m.bitOffset / unitBits) * m.size;
  return { offset, bit: m.bitOffset - offset * 8 };
}

function endByte(m: MemberLayout): number {
  return m.bitSize !== undefined ? Math.ceil((m.bitOffset + m.bitSize) / 8) : m.bitOffset / 8 + m.size;
}

/** Holes between consecutive members of a struct level (none in a union). */
function holesOf(members: readonly MemberLayout[], isUnion: boolean): (Hole & { index: number })[] {
  if (isUnion) return [];
  const holes: (Hole & { index: number })[] = [];
  let end = -1;
  let prev = '';
  let index = 0;
  for (const m of members) {
    const start = m.bitSize !== undefined ? Math.floor(m.bitOffset / 8) : m.bitOffset / 8;
    if (end >= 0 && start > end) holes.push({ after: prev, offset: end, size: start - end, index: index - 1 });
    end = Math.max(end, endByte(m));
    prev = m.name;
    index++;
  }
  return holes;
}

function dataEnd(layout: StructLayout): number {
  return layout.members.reduce((e, m) => Math.max(e, endByte(m)), 0);
}

/** Holes inside a layout's own members (top level), with the tail padding. */
export function holesAndPadding(layout: StructLayout): { holes: Hole[]; padding: number } {
  const holes = holesOf(layout.members, layout.kind === 'union').map(({ after, offset, size }) => ({ after, offset, size }));
  return { holes, padding: Math.max(0, layout.size - dataEnd(layout)) };
}

const visualWidth = (s: string): number => {
  let w = 0;
  for (const c of s) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
};

const withComment = (text: string, comment: string): string => {
  const pad = Math.max(0, COMMENT_COLUMN - visualWidth(text));
  return `${text}${' '.repeat(pad)} /* ${comment} */`;
};

const num = (n: number, w: number): string => String(n).padStart(w);

/**
 * pahole's spelling of types, for tables of header layouts (BTF structs get pahole's own
 * printer, model/btf/pahole-print.ts): a pointer to a const-qualified type has two spaces before
 * the star (`const char  *`): dwarves prints the const type's name with a trailing space and
 * then ` *`.
 */
export function paholeSpelling(typeName: string): string {
  // dwarves prints a pointer as `<pointee> *` (so `char * *`) and a const pointer as `* const`.
  let s = typeName.replace(/\bconst ([^*(),]*?[^\s*(),]) \*/g, 'const $1  *');
  while (/\*\*/.test(s)) s = s.replace(/\*\*/g, '* *');
  return s.replace(/\*const\b/g, '* const');
}

/** Splits `struct list_head[12]` / `bool (*)(struct page *)` into what goes before and after the name. */
function declParts(typeName: string, name: string, bitSize?: number): { type: string; decl: string } {
  const fn = typeName.indexOf('(*)');
  if (fn >= 0) return { type: typeName.slice(0, fn).trimEnd(), decl: `(*${name})${typeName.slice(fn + 3)}` };
  const arr = typeName.indexOf('[');
  if (arr >= 0) return { type: typeName.slice(0, arr).trimEnd(), decl: `${name}${typeName.slice(arr)}` };
  return { type: typeName, decl: bitSize !== undefined ? `${name}:${bitSize}` : name };
}

/**
 * Renders a layout the way `pahole` prints a struct: one line per member with offset and size
 * (`offset:bit size` for bitfields), anonymous structs/unions expanded, holes, cacheline
 * boundaries, and the size/cachelines summary.
 */
export function renderPahole(layout: StructLayout): string {
  const lines: string[] = [`${layout.kind} ${layout.name} {`];
  let lastCacheline = 0;
  const level = (members: readonly MemberLayout[], depth: number, isUnion: boolean): void => {
    const indent = '\t'.repeat(depth);
    const holes = holesOf(members, isUnion);
    members.forEach((m, i) => {
      const pos = bytePos(m);
      if (depth === 1) {
        const line = Math.floor(pos.offset / CACHELINE);
        if (line > lastCacheline) {
          const ago = pos.offset - line * CACHELINE;
          lines.push(`\t/* --- cacheline ${line} boundary (${line * CACHELINE} bytes)${ago ? ` was ${ago} bytes ago` : ''} --- */`);
          lastCacheline = line;
        }
      }
      if (m.name === '' && m.members) {
        lines.push(`${indent}${m.aggregate ?? 'struct'} {`);
        level(m.members, depth + 1, m.aggregate === 'union');
        lines.push(withComment(`${indent}};`, `${num(pos.offset, 5)} ${num(m.size, 5)}`));
      } else {
        const { type, decl } = declParts(paholeSpelling(m.typeName), m.name, m.bitSize);
        const typeCol = Math.max(0, 26 - 8 * (depth - 1));
        const text = `${indent}${type.padEnd(typeCol)} ${decl};`;
        const comment = pos.bit !== undefined ? `${num(pos.offset, 5)}:${num(pos.bit, 2)} ${num(m.size, 2)}` : `${num(pos.offset, 5)} ${num(m.size, 5)}`;
        lines.push(withComment(text, comment));
      }
      const hole = holes.find((h) => h.index === i);
      if (hole) lines.push('', `${indent}/* XXX ${hole.size} byte${hole.size === 1 ? '' : 's'} hole, try to pack */`, '');
    });
  };
  level(layout.members, 1, layout.kind === 'union');
  const { holes, padding } = holesAndPadding(layout);
  const sumHoles = holes.reduce((s, h) => s + h.size, 0);
  lines.push('');
  lines.push(`\t/* size: ${layout.size}, cachelines: ${Math.ceil(layout.size / CACHELINE)}, members: ${layout.members.length} */`);
  if (holes.length) lines.push(`\t/* sum members: ${layout.size - sumHoles - padding}, holes: ${holes.length}, sum holes: ${sumHoles} */`);
  if (padding) lines.push(`\t/* padding: ${padding} */`);
  if (layout.size % CACHELINE) lines.push(`\t/* last cacheline: ${layout.size % CACHELINE} bytes */`);
  lines.push('};');
  return lines.join('\n');
}

/** A member in the JSON form: byte offsets, bit position within the unit for bitfields. */
export interface JsonMember {
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly bitOffset?: number;
  readonly bitSize?: number;
  readonly aggregate?: 'struct' | 'union';
  readonly members?: readonly JsonMember[];
}

export interface JsonLayout {
  readonly kind: 'struct' | 'union';
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly cachelines: number;
  readonly members: readonly JsonMember[];
  readonly holes: readonly Hole[];
  readonly padding: number;
}

/** A JSON-friendly form of a layout (byte offsets, holes, padding), e.g. for `--json`. */
export function layoutToJson(layout: StructLayout): JsonLayout {
  const conv = (m: MemberLayout): JsonMember => {
    const pos = bytePos(m);
    return {
      name: m.name,
      type: m.typeName,
      offset: pos.offset,
      size: m.size,
      ...(m.bitSize !== undefined ? { bitOffset: pos.bit, bitSize: m.bitSize } : {}),
      ...(m.aggregate ? { aggregate: m.aggregate } : {}),
      ...(m.members ? { members: m.members.map(conv) } : {}),
    };
  };
  const { holes, padding } = holesAndPadding(layout);
  return {
    kind: layout.kind,
    name: layout.name,
    size: layout.size,
    align: layout.align,
    cachelines: Math.ceil(layout.size / CACHELINE),
    members: layout.members.map(conv),
    holes,
    padding,
  };
}
