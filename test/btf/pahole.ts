/**
 * Runs pahole (Debian's `dwarves`) on a BTF file and parses its C-like output, the independent
 * ground truth for the BTF reader. Only what pahole prints is read: member names, the
 * `offset[:bit] size` comments, bitfield widths, nested anonymous aggregates and the
 * `size:` summary line.
 */
import { execFileSync } from 'node:child_process';

export interface PaholeMember {
  readonly name: string;
  readonly offset: number;
  /** Bit position within the storage unit, printed only for bitfields. */
  readonly bit?: number;
  readonly size: number;
  readonly bitSize?: number;
  readonly members?: PaholeMember[];
}

export interface PaholeStruct {
  readonly kind: 'struct' | 'union';
  readonly name: string;
  size: number;
  readonly members: PaholeMember[];
}

export class PaholeMissing extends Error {}

/** pahole's stdout for `args`; its warnings about BTF kinds it does not know go to stderr. */
export function runPahole(args: readonly string[]): string {
  try {
    return execFileSync('pahole', [...args], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new PaholeMissing('pahole is not installed: install Debian package "dwarves" (apt-get install dwarves)');
    throw e;
  }
}

const ATTR = /\s*__attribute__\(\((?:[^()]|\([^()]*\))*\)\)/g;
const MEMBER = /^(\t+)(.*);\s*\/\*\s*(-?\d+)(?::\s*(-?\d+))?\s+(\d+)\s*\*\/\s*$/;
const OPEN_TOP = /^(struct|union) (\S+) \{$/;
const OPEN_NESTED = /^\t+(?:(?:const|volatile) )*(struct|union|enum) \{$/;

/** The member name a declaration declares: `(*name)(...)`, `name[4]`, `name:3`, `type name`. */
export function declName(decl: string): string {
  const fp = /\(\s*\*+\s*(\w+)/.exec(decl);
  if (fp) return fp[1]!;
  const d = decl.replace(/:\s*\d+\s*$/, '').replace(/(\[\d*\])+\s*$/, '').trimEnd();
  if (/^(struct|union|enum)$/.test(d) || /\*$/.test(d)) return '';
  const m = /(\w+)$/.exec(d);
  return m ? m[1]! : '';
}

interface Frame {
  readonly kind: 'struct' | 'union' | 'enum';
  readonly members: PaholeMember[];
}

export function parsePahole(text: string): PaholeStruct[] {
  const out: PaholeStruct[] = [];
  let top: PaholeStruct | null = null;
  const stack: Frame[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(ATTR, '');
    if (!top) {
      const m = OPEN_TOP.exec(line);
      if (m) {
        top = { kind: m[1] as 'struct' | 'union', name: m[2]!, size: -1, members: [] };
        stack.length = 0;
        stack.push(top);
      }
      continue;
    }
    if (/^\};?\s*$/.test(line) || /^\}\s*;/.test(line)) {
      out.push(top);
      top = null;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('/*')) {
      const size = /^\/\* size: (\d+),/.exec(trimmed);
      if (size && stack.length === 1) top.size = Number(size[1]);
      continue;
    }
    const open = OPEN_NESTED.exec(line);
    if (open) {
      stack.push({ kind: open[1] as Frame['kind'], members: [] });
      continue;
    }
    const close =
      /^\t+\}\s*\**\s*(\w*)\s*(?:\[\d*\])*\s*(?::\s*(\d+))?\s*;\s*\/\*\s*(-?\d+)(?::\s*(-?\d+))?\s+(\d+)\s*\*\/\s*$/.exec(line);
    if (close) {
      const frame = stack.pop()!;
      // An array of, or a pointer to, an anonymous aggregate, or an anonymous enum, is a leaf.
      const leaf = frame.kind === 'enum' || /\]\s*[:;]|\}\s*\*/.test(line);
      stack[stack.length - 1]!.members.push({
        name: close[1]!,
        offset: Number(close[3]),
        bit: close[4] === undefined ? undefined : Number(close[4]),
        size: Number(close[5]),
        bitSize: close[2] === undefined ? undefined : Number(close[2]),
        members: leaf ? undefined : frame.members,
      });
      continue;
    }
    if (stack[stack.length - 1]!.kind === 'enum') continue;
    const mem = MEMBER.exec(line);
    if (mem) {
      const decl = mem[2]!.trim();
      const bits = /:\s*(\d+)\s*$/.exec(decl);
      stack[stack.length - 1]!.members.push({
        name: declName(decl),
        offset: Number(mem[3]),
        bit: mem[4] === undefined ? undefined : Number(mem[4]),
        size: Number(mem[5]),
        bitSize: bits ? Number(bits[1]) : undefined,
      });
    }
    // Anything else (`unsigned int :0;` padding pahole infers, blank lines) is not a BTF member.
  }
  return out;
}
