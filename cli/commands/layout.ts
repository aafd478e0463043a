/**
 * `memdesc-mc layout`: pahole-style tables of a design's structs (from the kernel's BTF and/or a
 * proposed C header) and each of the design's layout rules with PASS/FAIL.
 * Exit 0: every rule passes; 1: a rule fails; 2: bad input (one line on stderr).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { didYouMean } from '../suggest.js';
import { joinNegativeValues } from '../args.js';
import { Btf, BtfError, findStructId, paholeTable, structLayout as btfStructLayout, structLayoutById } from '../../model/btf/index.js';
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

export const LAYOUT_USAGE = `usage: memdesc-mc layout [--design legacy|zpdesc|memdesc|two-word-page|zbud-page] [--btf FILE [--btf-base FILE]]
                         [--c HEADER] [--struct NAME | --type-id N] [--abi lp64|ilp32] [--json]
  --design   the design whose layout rules to check (default: zpdesc); two-word-page: what
             of a free page's state fits in a two-word struct page, LP64 and ILP32; zbud-page:
             the 2013 zbud_page fields over struct page and what a pfn walker misreads
  --btf      kernel BTF to read struct page etc. from (default: ${DEFAULT_BTF} when it exists);
             a module's BTF (/sys/kernel/btf/zsmalloc) is split BTF and needs its base
  --btf-base the vmlinux BTF a module's split BTF was built against (default: ${DEFAULT_BTF}
             when --btf is split BTF and that exists)
  --c        C header with proposed structs; its definitions replace the BTF's
  --struct   print only this struct's layout
  --type-id  print only the BTF struct/union with this type id (for a name defined twice)
  --abi      ABI to lay the header out for (default: lp64)
  --json     print one JSON document instead of tables`;

/** Bad input: printed as one line, exit 2. */
class UsageError extends Error {}

/** Rule sets that are not a zsmalloc design's (model/layout-rules/two-word-page.ts). */
const RULE_SETS = ['two-word-page', 'zbud-page'] as const;

interface Options {
  readonly design: Design | (typeof RULE_SETS)[number];
  readonly btf?: string;
  readonly btfBase?: string;
  readonly typeId?: number;
  readonly header?: string;
  readonly struct?: string;
  readonly abi: Abi;
  readonly json: boolean;
  readonly help: boolean;
}

const LAYOUT_OPTIONS = {
  design: { type: 'string' },
  btf: { type: 'string' },
  'btf-base': { type: 'string' },
  'type-id': { type: 'string' },
  c: { type: 'string' },
  struct: { type: 'string' },
  abi: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(argv, LAYOUT_OPTIONS),
      options: LAYOUT_OPTIONS,
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
  const typeIdText = values['type-id'];
  if (typeIdText !== undefined && (!/^[0-9]+$/.test(typeIdText) || !Number.isSafeInteger(Number(typeIdText)) || Number(typeIdText) === 0))
    throw new UsageError(`layout: --type-id must be a positive integer, got '${typeIdText}'`);
  if (typeIdText !== undefined && values.struct !== undefined) throw new UsageError('layout: give --struct or --type-id, not both');
  if (values['btf-base'] !== undefined && values.btf === undefined) throw new UsageError('layout: --btf-base needs --btf (the module BTF to read on top of it)');
  return {
    design: design as Options['design'],
    btf: values.btf,
    btfBase: values['btf-base'],
    ...(typeIdText !== undefined ? { typeId: Number(typeIdText) } : {}),
    header: values.c,
    struct: values.struct,
    abi,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/**
 * The BTF to read. A module's BTF is split BTF: read on top of --btf-base, or of the running
 * kernel's vmlinux BTF when none is given and that exists (what `bpftool btf dump file
 * /sys/kernel/btf/MODULE` does); otherwise one line saying a base is needed.
 */
function openBtf(opts: Options, defaultBtf: string): Btf {
  if (opts.btf !== undefined) {
    if (opts.btfBase !== undefined) {
      const base = Btf.load(opts.btfBase);
      if (base.isSplit) throw new UsageError(`${opts.btfBase}: --btf-base must be a vmlinux BTF, not split BTF`);
      return Btf.load(opts.btf, opts.btf, base);
    }
    try {
      return Btf.load(opts.btf);
    } catch (e) {
      if (e instanceof BtfError && e.code === 'needs-base' && opts.btf !== defaultBtf && existsSync(defaultBtf))
        return Btf.load(opts.btf, opts.btf, Btf.load(defaultBtf));
      throw e;
    }
  }
  if (existsSync(defaultBtf)) return Btf.load(defaultBtf);
  throw new UsageError(`layout: ${defaultBtf} does not exist on this machine; pass --btf FILE (a kernel's BTF, e.g. a copy of ${defaultBtf})`);
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

/** Where the running kernel's BTF is; tests point it elsewhere to be independent of the machine. */
export interface LayoutEnvironment {
  readonly defaultBtf?: string;
}

export async function runLayoutCommand(argv: string[], env: LayoutEnvironment = {}): Promise<number> {
  const defaultBtf = env.defaultBtf ?? DEFAULT_BTF;
  try {
    const opts = parseOptions(argv);
    if (opts.help) {
      process.stdout.write(`${LAYOUT_USAGE}\n`);
      return 0;
    }
    if (opts.design === 'two-word-page') {
      // The fit does not need a kernel; a BTF, when there is one, adds today's place of each item.
      const btf = opts.btf !== undefined || existsSync(defaultBtf) ? openBtf(opts, defaultBtf) : undefined;
      const page = btf ? btfStructLayout(btf, 'page', { expandNamed: true }) : undefined;
      const results = twoWordPageResults();
      process.stdout.write(opts.json ? `${JSON.stringify(twoWordPageJson(results), null, 2)}\n` : renderTwoWordPage(results, page, btf?.file, btf?.pointerSize()));
      return results.every((r) => r.fits) ? 0 : 1;
    }
    if (opts.design === 'zbud-page') {
      const btf = openBtf(opts, defaultBtf);
      checkAbi(btf, opts.abi);
      const r = renderZbudPage(btfStructLayout(btf, 'page', { expandNamed: true }), btf.file, zbudPageFields(opts.abi), opts.json);
      process.stdout.write(r.text);
      return r.passed ? 0 : 1;
    }
    const design = opts.design;
    const btf = openBtf(opts, defaultBtf);
    const report = opts.header !== undefined ? readHeaderFile(opts.header, { abi: opts.abi }) : undefined;
    const header = report ? new Map(report.layouts.map((l) => [l.name, l])) : undefined;
    const assertions = report?.assertions ?? [];

    if (opts.typeId !== undefined) {
      checkAbi(btf, opts.abi);
      if (opts.typeId >= btf.typeCount) throw new UsageError(`${btf.file}: --type-id ${opts.typeId} out of range (${btf.typeCount - 1} types)`);
      const layout = structLayoutById(btf, opts.typeId);
      if (opts.json) process.stdout.write(`${JSON.stringify({ abi: opts.abi, structs: [structJson(layout, btf.file)] }, null, 2)}\n`);
      else process.stdout.write(`${tableTitle(layout, btf.file)}\n${paholeTable(btf, opts.typeId)}\n`);
      return 0;
    }

    if (opts.struct !== undefined) {
      const name = opts.struct.replace(/^(struct|union)\s+/, '');
      const fromHeader = header?.get(name);
      if (!fromHeader) checkAbi(btf, opts.abi);
      const id = fromHeader ? undefined : findStructId(btf, opts.struct);
      const layout = fromHeader ?? structLayoutById(btf, id!);
      const source = fromHeader ? opts.header! : btf.file;
      // A BTF struct's table is pahole's own (model/btf/pahole-print.ts); a header's is rendered
      // from the C layout engine's result.
      const table = id !== undefined ? paholeTable(btf, id) : renderPahole(layout).trimEnd();
      if (opts.json) process.stdout.write(`${JSON.stringify({ abi: opts.abi, structs: [structJson(layout, source)] }, null, 2)}\n`);
      else process.stdout.write(`${tableTitle(layout, source)}\n${table}\n`);
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
      const table = (s: SourcedLayout) =>
        s.source === 'btf' ? paholeTable(btf, findStructId(btf, `${s.layout.kind} ${s.layout.name}`)) : renderPahole(s.layout).trimEnd();
      for (const s of sourced) out.push(tableTitle(s.layout, sourceName(s)), table(s), '');
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
