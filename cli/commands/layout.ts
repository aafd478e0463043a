/**
 * `memdesc-mc layout`: pahole-style tables of a design's structs (from the kernel's BTF and/or a
 * proposed C header) and each of the design's layout rules with PASS/FAIL.
 * Exit 0: every rule passes; 1: a rule fails; 2: bad input (one line on stderr).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Btf, BtfError, structLayout as btfStructLayout } from '../../model/btf/index.js';
import { HeaderError, MemberPathError, NoPreprocessorError } from '../../model/layout/errors.js';
import { readHeaderFile, type AssertionOperand, type AssertionResult } from '../../model/layout/header.js';
import type { Abi, MemberLayout, StructLayout } from '../../model/layout/types.js';
import {
  DESIGNS,
  evaluateDesign,
  MissingStructError,
  type Design,
  type RuleResult,
} from '../../model/layout-rules/index.js';
import { collectDesignLayouts, roleLayouts, StructNotFoundError, type SourcedLayout } from '../../model/layout-rules/sources.js';

const DEFAULT_BTF = '/sys/kernel/btf/vmlinux';

export const LAYOUT_USAGE = `usage: memdesc-mc layout [--design legacy|zpdesc|memdesc] [--btf FILE] [--c HEADER]
                         [--struct NAME] [--abi lp64|ilp32] [--json]
  --design   the design whose layout rules to check (default: zpdesc)
  --btf      kernel BTF to read struct page etc. from (default: ${DEFAULT_BTF} when it exists)
  --c        C header with proposed structs; its definitions replace the BTF's
  --struct   print only this struct's layout
  --abi      ABI to lay the header out for (default: lp64)
  --json     print one JSON document instead of tables`;

/** Bad input: printed as one line, exit 2. */
class UsageError extends Error {}

interface Options {
  readonly design: Design;
  readonly btf?: string;
  readonly header?: string;
  readonly struct?: string;
  readonly abi: Abi;
  readonly json: boolean;
  readonly help: boolean;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        design: { type: 'string' },
        btf: { type: 'string' },
        c: { type: 'string' },
        struct: { type: 'string' },
        abi: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`layout: ${(e as Error).message.split('\n')[0]}`);
  }
  const design = values.design ?? 'zpdesc';
  if (!(DESIGNS as readonly string[]).includes(design))
    throw new UsageError(`layout: unknown design '${design}' (expected ${DESIGNS.join(', ')})`);
  const abi = values.abi ?? 'lp64';
  if (abi !== 'lp64' && abi !== 'ilp32') throw new UsageError(`layout: unknown ABI '${abi}' (expected lp64 or ilp32)`);
  return {
    design: design as Design,
    btf: values.btf,
    header: values.c,
    struct: values.struct,
    abi,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function openBtf(opts: Options): Btf {
  if (opts.btf !== undefined) return Btf.load(opts.btf);
  if (existsSync(DEFAULT_BTF)) return Btf.load(DEFAULT_BTF);
  throw new UsageError(`layout: ${DEFAULT_BTF} does not exist on this machine; pass --btf FILE (a kernel's BTF, e.g. a copy of ${DEFAULT_BTF})`);
}

function checkAbi(btf: Btf, abi: Abi): void {
  const want = abi === 'lp64' ? 8 : 4;
  if (btf.pointerSize() !== want)
    throw new UsageError(
      `${btf.file}: BTF of a kernel with ${btf.pointerSize()}-byte pointers, but --abi ${abi} lays the header out with ${want}-byte pointers`,
    );
}

function ruleLines(results: readonly RuleResult[], assertions: readonly AssertionResult[]): string[] {
  const lines: string[] = [];
  for (const a of assertions) {
    lines.push(`${a.passed ? 'PASS' : 'FAIL'}  ${a.loc.file}:${a.loc.line}: ${a.text}`);
    if (!a.passed) lines.push(`        ${assertionFailure(a)}`);
  }
  for (const r of results) {
    lines.push(`${r.passed ? 'PASS' : 'FAIL'}  ${r.rule.id}: ${r.assertion}`);
    for (const f of r.failures) lines.push(`        ${f}`);
  }
  const total = results.length + assertions.length;
  const failed = results.filter((r) => !r.passed).length + assertions.filter((a) => !a.passed).length;
  lines.push(`${total - failed} passed, ${failed} failed`);
  return lines;
}

/** Why a static assertion of the header failed, with the byte ranges of offsetof operands. */
function assertionFailure(a: AssertionResult): string {
  if (!a.comparison) return `evaluates to ${a.value}`;
  const side = (o: AssertionOperand) => (o.member ? `${o.text} = ${o.value} (${o.member.type}.${o.member.path} ${o.member.byteStart}..${o.member.byteEnd})` : `${o.text} = ${o.value}`);
  return `${side(a.comparison.left)}, ${side(a.comparison.right)}`;
}

function structJson(s: StructLayout, source: string, role?: string) {
  return { ...(role ? { role } : {}), source, ...s };
}

export async function runLayoutCommand(argv: string[]): Promise<number> {
  try {
    const opts = parseOptions(argv);
    if (opts.help) {
      process.stdout.write(`${LAYOUT_USAGE}\n`);
      return 0;
    }
    const btf = openBtf(opts);
    const report = opts.header !== undefined ? readHeaderFile(opts.header, { abi: opts.abi }) : undefined;
    const header = report ? new Map(report.layouts.map((l) => [l.name, l])) : undefined;
    const assertions = report?.assertions ?? [];

    if (opts.struct !== undefined) {
      const name = opts.struct.replace(/^(struct|union)\s+/, '');
      const fromHeader = header?.get(name);
      if (!fromHeader) checkAbi(btf, opts.abi);
      const layout = fromHeader ?? btfStructLayout(btf, opts.struct);
      const source = fromHeader ? opts.header! : btf.file;
      if (opts.json) process.stdout.write(`${JSON.stringify({ abi: opts.abi, structs: [structJson(layout, source)] }, null, 2)}\n`);
      else process.stdout.write(`/* ${layout.kind} ${layout.name}: from ${source} */\n${renderLayout(layout)}\n`);
      return 0;
    }

    const sourced: SourcedLayout[] = collectDesignLayouts(opts.design, { btf, header, abi: opts.abi });
    // struct page (and whatever the header does not define) comes from the BTF: same ABI needed.
    if (sourced.some((s) => s.source === 'btf')) checkAbi(btf, opts.abi);
    const results = evaluateDesign(opts.design, roleLayouts(sourced));
    const passed = results.every((r) => r.passed) && assertions.every((a) => a.passed);
    const sourceName = (s: SourcedLayout) => (s.source === 'header' ? opts.header! : s.source === 'btf' ? btf.file : 'built-in');
    if (opts.json) {
      const doc = {
        design: opts.design,
        abi: opts.abi,
        btf: btf.file,
        header: opts.header ?? null,
        structs: sourced.map((s) => structJson(s.layout, sourceName(s), s.role)),
        assertions: assertions.map((a) => ({ file: a.loc.file, line: a.loc.line, text: a.text, passed: a.passed, ...(a.passed ? {} : { failure: assertionFailure(a) }) })),
        rules: results.map((r) => ({
          id: r.rule.id,
          kind: r.rule.kind,
          passed: r.passed,
          assertion: r.assertion,
          why: r.rule.why,
          failures: r.failures,
        })),
        passed,
      };
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      const out: string[] = [];
      for (const s of sourced) out.push(`/* ${s.layout.kind} ${s.layout.name}: from ${sourceName(s)} */`, renderLayout(s.layout), '');
      out.push(`Layout rules of design ${opts.design}${opts.header ? ` (and the static assertions of ${opts.header})` : ''}:`, ...ruleLines(results, assertions));
      process.stdout.write(`${out.join('\n')}\n`);
    }
    return passed ? 0 : 1;
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof BtfError ||
      e instanceof StructNotFoundError ||
      e instanceof MissingStructError ||
      e instanceof HeaderError ||
      e instanceof NoPreprocessorError ||
      e instanceof MemberPathError
    ) {
      process.stderr.write(`${e.message.split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  }
}

// ---- pahole-style table ------------------------------------------------------------------
// Columns as pahole prints them (tabs count 8): member names at column 35, comments at 57.

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

/** pahole-like rendering: offsets, sizes, bitfield positions, holes, padding, cachelines. */
function renderLayout(layout: StructLayout): string {
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
