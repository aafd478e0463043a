/**
 * `memdesc-mc layout --design two-word-page`: what of a free page's state fits in a two-word
 * struct page, on LP64 and ILP32, with today's place of each item read from struct page in the
 * kernel's BTF when one is available. Exit 0 when everything fits, 1 when something does not.
 */
import { resolve } from '../../model/layout-rules/members.js';
import { twoWordPageReport, ABI_CONFIG, MAX_PAGE_ORDER, type FitResult, type Placement } from '../../model/layout-rules/two-word-page.js';
import type { StructLayout } from '../../model/layout/types.js';
import { renderTable } from '../../report/table.js';

/** Today's member, with its byte range when the BTF's kernel has this ABI's word size. */
function today(page: StructLayout | undefined, p: Placement, sameAbi: boolean): string {
  if (!page) return '-';
  const r = resolve(page, p.item.today);
  if (!r) return '-';
  return sameAbi ? `${r.path} (${r.range.start}..${r.range.end})` : r.path;
}

function where(p: Placement): string {
  if (p.word === undefined) return `does not fit: ${p.item.bits} bits, ${p.left!.allocator} left in allocator, ${p.left!.allocatee} in allocatee`;
  return `${p.word} bits ${p.lo}..${p.hi}${p.item.name === 'PageBuddy' ? ' (type tag)' : ''}`;
}

export function renderTwoWordPage(results: readonly FitResult[], page: StructLayout | undefined, pageSource: string | undefined, pointerSize?: number): string {
  const out: string[] = [
    'Free-page state on a two-word struct page { unsigned long allocator; unsigned long allocatee; } (rule set two-word-page)',
    `Assumed: MAX_PAGE_ORDER ${MAX_PAGE_ORDER}; LP64 NODES_SHIFT ${ABI_CONFIG.lp64.nodesShift}, ZONES_SHIFT ${ABI_CONFIG.lp64.zonesShift}, pfn ${ABI_CONFIG.lp64.pfnBits} bits; ILP32 NODES_SHIFT ${ABI_CONFIG.ilp32.nodesShift}, ZONES_SHIFT ${ABI_CONFIG.ilp32.zonesShift}, pfn ${ABI_CONFIG.ilp32.pfnBits} bits (PAE)`,
    page ? `Today's place: struct page from ${pageSource} (byte ranges for the ABI with ${pointerSize}-byte pointers)` : 'Today\'s place: no BTF given (--btf FILE shows where struct page keeps each item)',
    '',
  ];
  for (const r of results) {
    out.push(`${r.abi.toUpperCase()} (unsigned long = ${r.bitsPerLong} bits), free-list links as ${r.list === 'pointers' ? 'pointers (struct list_head)' : 'pfns'}:`);
    out.push(renderTable(
      [{ header: 'item' }, { header: 'bits', align: 'right' }, { header: 'today (struct page)' }, { header: 'two-word page' }, { header: 'fits' }],
      r.placements.map((p) => [p.item.name, String(p.item.bits), today(page, p, r.bitsPerLong === (pointerSize ?? 0) * 8), where(p), p.word ? 'yes' : 'NO']),
    ));
    const missing = r.placements.filter((p) => !p.word).map((p) => p.item.name);
    out.push(`${missing.length === 0 ? 'PASS' : 'FAIL'}  two-word-page ${r.abi} ${r.list}: ${missing.length === 0 ? 'everything fits' : `${missing.join(', ')} do${missing.length === 1 ? 'es' : ''} not fit`}`, '');
  }
  const failed = results.filter((r) => !r.fits).length;
  out.push(failed === 0 ? `all ${results.length} layout checks pass` : `${failed} of ${results.length} layout checks FAIL`);
  return `${out.join('\n')}\n`;
}

export function twoWordPageJson(results: readonly FitResult[]) {
  return {
    design: 'two-word-page',
    passed: results.every((r) => r.fits),
    results: results.map((r) => ({
      abi: r.abi, list: r.list, bitsPerLong: r.bitsPerLong, fits: r.fits,
      items: r.placements.map((p) => ({ item: p.item.name, bits: p.item.bits, why: p.item.why, ...(p.word ? { word: p.word, lo: p.lo, hi: p.hi } : { fits: false, left: p.left }) })),
    })),
  };
}

export function twoWordPageResults(): FitResult[] {
  return twoWordPageReport();
}
