/**
 * `memdesc-mc layout`: pahole-style tables of a design's structs (from the kernel's BTF and/or a
 * proposed C header) and each of the design's layout rules with PASS/FAIL.
 * Exit 0: every rule passes; 1: a rule fails; 2: bad input (one line on stderr).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { didYouMean } from '../suggest.js';
import { Btf, BtfError, structLayout as btfStructLayout } from '../../model/btf/index.js';
import {
  HeaderError,
  MemberPathError,
  NoPreprocessorError,
  readHeaderFile,
  renderPahole,
  type Abi,
  type AssertionOperand,
  type AssertionResult,
  type StructLayout,
} from '../../model/layout/index.js';
import {
  DESIGNS,
  evaluateDesign,
  MissingStructError,
  collectDesignLayouts,
  roleLayouts,
  StructNotFoundError,
  type Design,
  type RuleResult,
  type SourcedLayout,
} from '../../model/layout-rules/index.js';
import { renderTwoWordPage, twoWordPageJson, twoWordPageResults } from './layout-two-word-page.js';
import { renderZbudPage } from './layout-zbud-page.js';
import { zbudPageFields } from '../../model/layout-rules/zbud-page.js';

const DEFAULT_BTF = '/sys/kernel/btf/vmlinux';

export const LAYOUT_USAGE = `usage: memdesc-mc layout [--design legacy|zpdesc|memdesc|two-word-page|zbud-page] [--btf FILE] [--c HEADER]
                         [--struct NAME] [--abi lp64|ilp32] [--json]
  --design   the design whose layout rules to check (default: zpdesc); two-word-page: what
             of a free page's state fits in a two-word struct page, LP64 and ILP32; zbud-page:
             the 2013 zbud_page fields over struct page and what a pfn walker misreads
  --btf      kernel BTF to read struct page etc. from (default: ${DEFAULT_BTF} when it exists)
  --c        C header with proposed structs; its definitions replace the BTF's
  --struct   print only this struct's layout
  --abi      ABI to lay the header out for (default: lp64)
  --json     print one JSON document instead of tables`;

/** Bad input: printed as one line, exit 2. */
class UsageError extends Error {}

/** Rule sets that are not a zsmalloc design's (model/layout-rules/two-word-page.ts). */
const RULE_SETS = ['two-word-page', 'zbud-page'] as const;

interface Options {
  readonly design: Design | (typeof RULE_SETS)[number];
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
    const line = (e as Error).message.split('\n')[0].split('. To specify')[0].replace(/\.$/, '');
    const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(line);
    const names = ['--design', '--btf', '--c', '--struct', '--abi', '--json', '--help', '-h'];
    throw new UsageError(unknown
      ? `layout: unknown option '${unknown[1]}' (${didYouMean(unknown[1], names) || 'memdesc-mc layout --help lists the options'})`
      : `layout: ${line}`);
  }
  const design = values.design ?? 'zpdesc';
  const known = [...DESIGNS, ...RULE_SETS] as readonly string[];
  if (!known.includes(design))
    throw new UsageError(`layout: unknown design '${design}' (${didYouMean(design, known) ? `${didYouMean(design, known)} ` : ''}expected ${known.join(', ')})`);
  const abi = values.abi ?? 'lp64';
  if (abi !== 'lp64' && abi !== 'ilp32') throw new UsageError(`layout: unknown ABI '${abi}' (expected lp64 or ilp32)`);
  return {
    design: design as Options['design'],
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
  lines.push(failed === 0 ? `all ${total} layout checks pass` : `${failed} of ${total} layout checks FAIL`);
  return lines;
}

/** Why a static assertion of the header failed, with the byte ranges of offsetof operands. */
function assertionFailure(a: AssertionResult): string {
  if (!a.comparison) return `evaluates to ${a.value}`;
  const side = (o: AssertionOperand) => (o.member ? `${o.text} = ${o.value} (${o.member.type}.${o.member.path} ${o.member.byteStart}..${o.member.byteEnd})` : `${o.text} = ${o.value}`);
  return `${side(a.comparison.left)}, ${side(a.comparison.right)}`;
}

/** pahole does not print alignment (BTF does not record it); the rules use it, so say it. */
function tableTitle(layout: StructLayout, source: string): string {
  return `/* ${layout.kind} ${layout.name}: from ${source}, align ${layout.align} */`;
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
    if (opts.design === 'two-word-page') {
      // The fit does not need a kernel; a BTF, when there is one, adds today's place of each item.
      const btf = opts.btf !== undefined || existsSync(DEFAULT_BTF) ? openBtf(opts) : undefined;
      const page = btf ? btfStructLayout(btf, 'page', { expandNamed: true }) : undefined;
      const results = twoWordPageResults();
      process.stdout.write(opts.json ? `${JSON.stringify(twoWordPageJson(results), null, 2)}\n` : renderTwoWordPage(results, page, btf?.file, btf?.pointerSize()));
      return results.every((r) => r.fits) ? 0 : 1;
    }
    if (opts.design === 'zbud-page') {
      const btf = openBtf(opts);
      checkAbi(btf, opts.abi);
      const r = renderZbudPage(btfStructLayout(btf, 'page', { expandNamed: true }), btf.file, zbudPageFields(opts.abi), opts.json);
      process.stdout.write(r.text);
      return r.passed ? 0 : 1;
    }
    const design = opts.design;
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
      else process.stdout.write(`${tableTitle(layout, source)}\n${renderPahole(layout).trimEnd()}\n`);
      return 0;
    }

    const sourced: SourcedLayout[] = collectDesignLayouts(design, { btf, header, abi: opts.abi });
    // struct page (and whatever the header does not define) comes from the BTF: same ABI needed.
    if (sourced.some((s) => s.source === 'btf')) checkAbi(btf, opts.abi);
    const results = evaluateDesign(design, roleLayouts(sourced));
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
      for (const s of sourced) out.push(tableTitle(s.layout, sourceName(s)), renderPahole(s.layout).trimEnd(), '');
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
      // The same one prefix as every other command: `memdesc-mc layout: …`.
      const line = e.message.split('\n')[0];
      process.stderr.write(`memdesc-mc ${line.startsWith('layout: ') ? line : `layout: ${line}`}\n`);
      return 2;
    }
    throw e;
  }
}
