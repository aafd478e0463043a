/**
 * The shipped 6.18 zsmalloc header, laid out by the engine, must reproduce the offsets pahole
 * read from a running 6.18 kernel's BTF (test/fixtures/kernel-6.18/kernel-6.18-layouts.txt), and its
 * ZPDESC_MATCH assertions must all hold.
 */
import { readFileSync } from 'node:fs';
import { FIXTURE_LAYOUTS } from '../btf/fixture.js';
import { describe, expect, test } from 'vitest';
import { bundledHeaderPath, layoutToJson, readHeaderFile, renderPahole, type JsonMember, type StructLayout } from '../../model/layout/index.js';

const SPEC = FIXTURE_LAYOUTS;

/** The text of `struct NAME { ... };` in the pahole dump. */
function paholeBlock(name: string): string {
  const text = readFileSync(SPEC, 'utf8');
  const start = text.indexOf(`struct ${name} {\n`);
  if (start < 0) throw new Error(`struct ${name} not in the spec dump`);
  const end = text.indexOf('\n};', start);
  return text.slice(start, end + 3);
}

interface Row {
  name: string;
  offset: number;
  bit?: number;
  size: number;
}

/** Rows of a pahole dump: members (by name) and closings of anonymous aggregates ('}'), with offsets. */
function rowsFromPahole(block: string): Row[] {
  const rows: Row[] = [];
  for (const line of block.split('\n').slice(1)) {
    const m = /\/\*\s+(\d+)(?::\s*(\d+))?\s+(\d+) \*\/$/.exec(line);
    if (!m) continue;
    const decl = line.slice(0, line.indexOf('/*')).trim();
    const size = Number(m[3]);
    const offset = Number(m[1]);
    const bit = m[2] === undefined ? undefined : Number(m[2]);
    if (decl.startsWith('}')) {
      rows.push({ name: '}', offset, size });
      continue;
    }
    const fn = /\(\*(\w+)\)/.exec(decl);
    const name = fn ? fn[1] : /(\w+)(?:\[\d+\])*(?::\d+)?;$/.exec(decl)![1];
    rows.push({ name, offset, size, ...(bit !== undefined ? { bit } : {}) });
  }
  return rows;
}

function rowsFromLayout(l: StructLayout): Row[] {
  const rows: Row[] = [];
  const walk = (members: readonly JsonMember[]): void => {
    for (const m of members) {
      if (m.name === '' && m.members) {
        walk(m.members);
        rows.push({ name: '}', offset: m.offset, size: m.size });
      } else rows.push({ name: m.name, offset: m.offset, size: m.size, ...(m.bitOffset !== undefined ? { bit: m.bitOffset } : {}) });
    }
  };
  walk(layoutToJson(l).members);
  return rows;
}

const STRUCTS = ['page', 'zpdesc', 'zspage', 'zspage_lock', 'list_head', 'movable_operations', 'size_class', 'zs_pool'];
const report = readHeaderFile(bundledHeaderPath('zsmalloc-6.18.h'), { abi: 'lp64' });

describe('zsmalloc-6.18.h reproduces the 6.18 BTF layouts', () => {
  test.each(STRUCTS)('struct %s: every member offset, size and bit position, and sizeof, match pahole', (name) => {
    const l = report.layoutOf(`struct ${name}`);
    expect(l, name).toBeDefined();
    const block = paholeBlock(name);
    expect(rowsFromLayout(l!)).toEqual(rowsFromPahole(block));
    expect(l!.size).toBe(Number(/size: (\d+)/.exec(block)![1]));
  });

  test.each(STRUCTS)('struct %s: the pahole-style rendering has the same comments (offsets, holes, boundaries, summary) as pahole', (name) => {
    const comments = (s: string): string[] => [...s.matchAll(/\/\*.*?\*\//g)].map((m) => m[0].replace(/\s+/g, ' '));
    expect(comments(renderPahole(report.layoutOf(`struct ${name}`)!))).toEqual(comments(paholeBlock(name)));
  });

  test('the 6.18 ZPDESC_MATCH list (8 offset matches) and the sizeof bound all hold, each with its source line', () => {
    const src = readFileSync(bundledHeaderPath('zsmalloc-6.18.h'), 'utf8').split('\n');
    const matchLines = src.map((l, i) => [l, i + 1] as const).filter(([l]) => /^ZPDESC_MATCH\(/.test(l) || /^static_assert\(sizeof/.test(l));
    expect(report.assertions.map((a) => a.loc.line)).toEqual(matchLines.map(([, n]) => n));
    expect(report.assertions.map((a) => a.source)).toEqual(matchLines.map(([l]) => l.trim()));
    expect(report.assertions).toHaveLength(9);
    for (const a of report.assertions) expect(a.passed, a.text).toBe(true);
    const mapping = report.assertions.find((a) => a.text.includes('movable_ops'))!;
    expect(mapping.comparison?.left.member).toEqual({ type: 'struct page', path: 'mapping', byteStart: 24, byteEnd: 32 });
    expect(mapping.comparison?.right.member).toEqual({ type: 'struct zpdesc', path: 'movable_ops', byteStart: 24, byteEnd: 32 });
  });
});
