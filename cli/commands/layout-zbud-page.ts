/**
 * `memdesc-mc layout --design zbud-page --btf FILE`: the 2013 zbud_page fields over the kernel's
 * struct page, and which of them a pfn walker misreads. Exit 0 when none, 1 otherwise.
 */
import { renderPahole } from '../../model/layout/index.js';
import type { StructLayout } from '../../model/layout/types.js';
import { formatRange } from '../../model/layout-rules/members.js';
import { checkZbudPage } from '../../model/layout-rules/zbud-page.js';
import { renderTable } from '../../report/table.js';

export function renderZbudPage(page: StructLayout, pageSource: string, fields: StructLayout, json: boolean): { text: string; passed: boolean } {
  const checks = checkZbudPage(page, fields);
  const passed = checks.every((c) => c.failures.length === 0);
  if (json) {
    const doc = {
      design: 'zbud-page', btf: pageSource, passed,
      fields: checks.map((c) => ({ field: c.field.path, type: c.field.typeName, start: c.field.start, end: c.field.end, under: c.under, failures: c.failures })),
    };
    return { text: `${JSON.stringify(doc, null, 2)}\n`, passed };
  }
  const out = [
    `/* struct ${fields.name}: the 2013 zbud_page overlay (built-in), align ${fields.align} */`,
    renderPahole(fields).trimEnd(),
    '',
    `zbud-page fields over struct page from ${pageSource}:`,
    renderTable([{ header: 'zbud field' }, { header: 'bytes' }, { header: 'struct page underneath' }, { header: 'walker' }],
      checks.map((c) => [c.field.path, formatRange(c.field), c.under.join(', ') || '-', c.failures.length === 0 ? 'ok' : 'MISREAD'])),
    '',
  ];
  for (const c of checks) {
    out.push(`${c.failures.length === 0 ? 'PASS' : 'FAIL'}  zbud_page.${c.field.path}: ${c.failures.length === 0 ? 'no pfn walker misreads it' : 'a pfn walker misreads it'}`);
    for (const f of c.failures) out.push(`        ${f}`);
  }
  const failed = checks.filter((c) => c.failures.length > 0).length;
  out.push(failed === 0 ? `all ${checks.length} layout checks pass` : `${failed} of ${checks.length} layout checks FAIL`);
  return { text: `${out.join('\n')}\n`, passed };
}
