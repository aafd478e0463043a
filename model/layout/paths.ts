import { MemberPathError } from './errors.js';
import type { MemberLayout, StructLayout } from './types.js';

/** Where a member lies. Byte ranges are [start, end); a bitfield covers the bytes its bits touch. */
export interface MemberRange {
  /** The path as resolved, naming only named members: `zsl.cnt`, `lru.next`. */
  readonly path: string;
  readonly member: MemberLayout;
  readonly bitStart: number;
  readonly bitEnd: number;
  readonly byteStart: number;
  readonly byteEnd: number;
}

function rangeOf(path: string, m: MemberLayout): MemberRange {
  const bitStart = m.bitOffset;
  const bitEnd = m.bitSize !== undefined ? m.bitOffset + m.bitSize : m.bitOffset + m.size * 8;
  return { path, member: m, bitStart, bitEnd, byteStart: Math.floor(bitStart / 8), byteEnd: Math.ceil(bitEnd / 8) };
}

/** Looks a name up among members, through anonymous structs/unions as C does. */
function findIn(members: readonly MemberLayout[], name: string): MemberLayout | undefined {
  for (const m of members) {
    if (m.name === name) return m;
    if (m.name === '' && m.members) {
      const hit = findIn(m.members, name);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Resolves a member path (`zsl.cnt`, `lru.next`, `fullness` through an anonymous struct) to
 * its position. Throws MemberPathError when a component is missing.
 */
export function resolveMember(layout: StructLayout, path: string): MemberRange {
  const parts = path.split('.').map((p) => p.trim());
  let members = layout.members;
  let found: MemberLayout | undefined;
  for (let i = 0; i < parts.length; i++) {
    if (!members) throw new MemberPathError(layout.name, path, `'${parts.slice(0, i).join('.')}' has no members`);
    found = findIn(members, parts[i]);
    if (!found || parts[i] === '') throw new MemberPathError(layout.name, path, `no member named '${parts[i]}'`);
    members = found.members ?? (undefined as unknown as readonly MemberLayout[]);
  }
  return rangeOf(parts.join('.'), found!);
}

/** Every named leaf member (scalars, pointers, arrays, bitfields), with its full path. */
export function leafMembers(layout: StructLayout): MemberRange[] {
  const out: MemberRange[] = [];
  const walk = (members: readonly MemberLayout[], prefix: string): void => {
    for (const m of members) {
      const path = m.name ? `${prefix}${m.name}` : prefix.replace(/\.$/, '');
      if (m.members && m.members.length > 0) walk(m.members, m.name ? `${path}.` : prefix);
      else if (m.name) out.push(rangeOf(path, m));
    }
  };
  walk(layout.members, '');
  return out;
}

/** The named leaf members of `layout` that share at least one byte with [byteStart, byteEnd). */
export function membersOverlapping(layout: StructLayout, byteStart: number, byteEnd: number): MemberRange[] {
  return leafMembers(layout).filter((r) => r.byteStart < byteEnd && byteStart < r.byteEnd);
}

/** Two members of two layouts that share bytes, and the shared range [byteStart, byteEnd). */
export interface Overlap {
  readonly a: MemberRange;
  readonly b: MemberRange;
  readonly byteStart: number;
  readonly byteEnd: number;
}

/**
 * Which members of `b` lie over which members of `a` when both start at the same address
 * (an overlay such as struct zpdesc over struct page). Pass a path to restrict a side to one
 * member and what it contains.
 */
export function overlaps(a: StructLayout, b: StructLayout, opts: { aPath?: string; bPath?: string } = {}): Overlap[] {
  const pick = (l: StructLayout, path?: string): MemberRange[] => {
    if (!path) return leafMembers(l);
    const root = resolveMember(l, path);
    return leafMembers(l).filter((r) => r.path === root.path || r.path.startsWith(`${root.path}.`));
  };
  const out: Overlap[] = [];
  for (const x of pick(a, opts.aPath)) {
    for (const y of pick(b, opts.bPath)) {
      const s = Math.max(x.byteStart, y.byteStart);
      const e = Math.min(x.byteEnd, y.byteEnd);
      if (s < e) out.push({ a: x, b: y, byteStart: s, byteEnd: e });
    }
  }
  return out;
}
