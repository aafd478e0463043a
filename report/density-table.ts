/**
 * The density comparison as rows: one per allocator (zsmalloc once per chain size, and after one
 * zs_compact pass under --churn). Shared by the text table and the HTML page, so the chart and the
 * table cannot come from different numbers.
 */
import type { DensityRun } from '../model/density/stream.js';
import { effectiveRatio, totalWaste, type DensityResult } from '../model/density/types.js';
import { formatCount, renderTable, type Column } from './table.js';

export interface DensityInputSummary {
  /** What the sizes came from, in words ("sizes.txt", "uniform:100-3000 (seed 1)", "corpus src/ (lz4js ...)"). */
  readonly source: string;
  readonly objects: number;
  /** Sum of the object sizes allocated (before frees). */
  readonly bytes: number;
  readonly corpus?: { readonly files: number; readonly bytes: number; readonly pages: number; readonly sameFilled: number; readonly incompressible: number; readonly compressor: string };
  readonly churn?: { readonly freeFraction: number; readonly seed: number; readonly frees: number };
}

export interface DensityReport {
  readonly input: DensityInputSummary;
  readonly run: DensityRun;
}

export const DENSITY_COLUMNS: readonly Column[] = [
  { header: 'allocator' },
  { header: 'objects', align: 'right' },
  { header: 'pages', align: 'right' },
  { header: 'ratio', align: 'right' },
  { header: 'wasted', align: 'right' },
  { header: 'rounding', align: 'right' },
  { header: 'page tail', align: 'right' },
  { header: 'headers', align: 'right' },
  { header: 'unused', align: 'right' },
  { header: 'rejected', align: 'right' },
];

/** Bytes for a reader: exact below 10 KiB, then KiB/MiB/GiB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 10 * 1024) return `${formatCount(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

export function densityRows(report: DensityReport): DensityResult[] {
  return [...report.run.results, ...(report.run.compacted ?? [])];
}

export function densityRowCells(r: DensityResult): string[] {
  return [
    r.label,
    formatCount(r.objects),
    formatCount(r.pages),
    `${effectiveRatio(r).toFixed(2)}x`,
    formatBytes(totalWaste(r)),
    formatBytes(r.waste.rounding),
    formatBytes(r.waste.pageTail),
    formatBytes(r.waste.headers),
    formatBytes(r.waste.unused),
    r.rejectedObjects > 0 ? `${formatBytes(r.waste.rejected)} (${formatCount(r.rejectedObjects)})` : formatBytes(r.waste.rejected),
  ];
}

/** The fewest pages the live bytes could fit in, and the ratio that would give. */
export function idealPages(report: DensityReport): { pages: number; ratio: number } {
  const r = report.run.results[0];
  const pages = Math.ceil(r.storedBytes / report.run.pageSize);
  return { pages, ratio: pages === 0 ? 0 : r.objects / pages };
}

export function describeInput(report: DensityReport): string[] {
  const { input, run } = report;
  const lines = [`input: ${input.source}, ${formatCount(input.objects)} objects, ${formatBytes(input.bytes)} compressed, page size ${formatBytes(run.pageSize)}`];
  if (input.corpus) {
    const c = input.corpus;
    lines.push(`corpus: ${formatCount(c.files)} files, ${formatBytes(c.bytes)}, ${formatCount(c.pages)} pages (${formatCount(c.sameFilled)} same-filled, stored by zram without an allocation; ${formatCount(c.incompressible)} incompressible), compressor ${c.compressor}`);
  }
  if (input.churn) lines.push(`churn: ${formatCount(input.churn.frees)} frees (free fraction ${input.churn.freeFraction}, seed ${input.churn.seed}); live objects at the end: ${formatCount(run.results[0].objects)}`);
  const ideal = idealPages(report);
  lines.push(`ideal: ${formatCount(ideal.pages)} pages (live compressed bytes / page size), ratio ${ideal.ratio.toFixed(2)}x`);
  return lines;
}

export function renderDensityTable(report: DensityReport): string {
  const table = renderTable(DENSITY_COLUMNS, densityRows(report).map(densityRowCells));
  const notes = [
    'ratio = objects (uncompressed pages) per page used; wasted = pages x page size - stored bytes.',
    'rounding: to size class / chunks / alignment; page tail: zspage end no object fits; headers: in-page metadata;',
    'unused: free slots, buddies and blocks in held pages; rejected: objects the allocator refuses, one page each (count).',
  ];
  return [...describeInput(report), '', table, '', ...notes].join('\n');
}
