/**
 * A StructLayout printed as pahole prints a struct (same columns, hole, cacheline and summary
 * comments), so kernel developers read it as they read `pahole -C`; the derived alignment is
 * added as a last comment. Columns count tabs as 8: names at column 35, comments at 57.
 */
import type { MemberLayout, StructLayout } from '../layout/types.js';


const anonymousType = (m: MemberLayout) => m.typeName === 'struct' || m.typeName === 'union';

/** `type name` with the name inside the declarator: `bool (*isolate_page)(...)`, `long unsigned int pfn[8]`. */
function declaration(typeName: string, name: string): [string, string] {
  const fp = typeName.indexOf('(*');
  if (fp >= 0) return [typeName.slice(0, fp).trimEnd(), `${typeName.slice(fp, fp + 2)}${name}${typeName.slice(fp + 2)}`];
  const arr = /^(.*?)((?:\[\d*\])+)$/.exec(typeName);
  if (arr) return [arr[1]!.trimEnd(), `${name}${arr[2]}`];
  return [typeName, name];
}

const visual = (s: string) => s.replace(/\t/g, '        ').length;
const padTo = (s: string, col: number) => s + ' '.repeat(Math.max(1, col - visual(s)));

function offsetComment(m: MemberLayout): string {
  if (m.bitSize !== undefined && m.size > 0) {
    const unit = Math.floor(m.bitOffset / (m.size * 8)) * m.size;
    return `/* ${String(unit).padStart(5)}:${String(m.bitOffset - unit * 8).padStart(2)} ${String(m.size).padStart(2)} */`;
  }
  return `/* ${String(Math.floor(m.bitOffset / 8)).padStart(5)} ${String(m.size).padStart(5)} */`;
}

function holeLine(indent: string, bits: number): string {
  const [n, unit] = bits % 8 === 0 ? [bits / 8, 'byte'] : [bits, 'bit'];
  return `${indent}/* XXX ${n} ${unit}${n === 1 ? '' : 's'} hole, try to pack */`;
}

interface Tally {
  holes: number;
  holeBytes: number;
  bitHoles: number;
  bitHoleBits: number;
  memberBytes: number;
  bitfieldBits: number;
  cacheline: number;
}

function renderMembers(members: readonly MemberLayout[], isStruct: boolean, depth: number, start: number, out: string[], tally: Tally): number {
  const indent = '\t'.repeat(depth);
  let end = start;
  for (const m of members) {
    if (isStruct && m.bitOffset > end) {
      out.push('', holeLine(indent, m.bitOffset - end), '');
      if (depth === 1) {
        const gap = m.bitOffset - end;
        if (gap % 8 === 0) {
          tally.holes++;
          tally.holeBytes += gap / 8;
        } else {
          tally.bitHoles++;
          tally.bitHoleBits += gap;
        }
      }
    }
    const byte = Math.floor(m.bitOffset / 8);
    if (depth === 1 && Math.floor(byte / 64) > tally.cacheline) {
      tally.cacheline = Math.floor(byte / 64);
      const boundary = tally.cacheline * 64;
      out.push(`${indent}/* --- cacheline ${tally.cacheline} boundary (${boundary} bytes)${byte > boundary ? ` was ${byte - boundary} bytes ago` : ''} --- */`);
    }
    if (m.members && (anonymousType(m) || m.name === '')) {
      out.push(`${indent}${m.aggregate ?? m.typeName} {`);
      renderMembers(m.members, m.aggregate !== 'union', depth + 1, m.bitOffset, out, tally);
      out.push(`${padTo(`${indent}}${m.name ? ` ${m.name}` : ''};`, 57)}${offsetComment(m)}`);
    } else {
      const [type, decl] = declaration(m.typeName, m.name);
      const left = `${padTo(`${indent}${type}`, 35)}${decl}${m.bitSize !== undefined ? `:${m.bitSize}` : ''};`;
      out.push(`${padTo(left, 57)}${offsetComment(m)}`);
    }
    const mEnd = m.bitSize !== undefined ? m.bitOffset + m.bitSize : m.bitOffset + m.size * 8;
    if (depth === 1) {
      if (m.bitSize === undefined) tally.memberBytes += m.size;
      else tally.bitfieldBits += m.bitSize;
    }
    end = Math.max(end, mEnd);
  }
  return end;
}

/** pahole's rendering: offsets, sizes, bitfield positions, holes, padding, cachelines; plus the alignment. */
export function renderPaholeTable(layout: StructLayout): string {
  const out: string[] = [`${layout.kind} ${layout.name} {`];
  const tally: Tally = { holes: 0, holeBytes: 0, bitHoles: 0, bitHoleBits: 0, memberBytes: 0, bitfieldBits: 0, cacheline: 0 };
  const end = renderMembers(layout.members, layout.kind === 'struct', 1, 0, out, tally);
  const padding = layout.size - Math.ceil(end / 8);
  out.push('', `\t/* size: ${layout.size}, cachelines: ${Math.ceil(layout.size / 64)}, members: ${layout.members.length} */`);
  if (tally.holes > 0) out.push(`\t/* sum members: ${tally.memberBytes}, holes: ${tally.holes}, sum holes: ${tally.holeBytes} */`);
  if (tally.bitHoles > 0)
    out.push(`\t/* sum bitfield members: ${tally.bitfieldBits} bits, bit holes: ${tally.bitHoles}, sum bit holes: ${tally.bitHoleBits} bits */`);
  if (layout.kind === 'struct' && padding > 0) out.push(`\t/* padding: ${padding} */`);
  if (layout.size % 64 !== 0 && layout.size > 0) out.push(`\t/* last cacheline: ${layout.size % 64} bytes */`);
  out.push(`\t/* align: ${layout.align} */`, '};');
  return out.join('\n');
}
