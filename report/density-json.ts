/** `memdesc-mc density --json`: one document with the input, every row and zsmalloc's per-class usage. */
import { effectiveRatio, totalWaste, type DensityResult } from '../model/density/types.js';
import { idealPages, type DensityReport } from './density-table.js';

function row(r: DensityResult) {
  const { classes: _classes, ...rest } = r;
  return { ...rest, effectiveRatio: Number(effectiveRatio(r).toFixed(4)), wastedBytes: totalWaste(r) };
}

export function densityJson(report: DensityReport) {
  const { run } = report;
  return {
    input: report.input,
    pageSize: run.pageSize,
    ideal: idealPages(report),
    results: run.results.map(row),
    ...(run.compacted ? { compacted: run.compacted.map((r) => ({ ...row(r), pagesFreed: r.pagesFreed })) } : {}),
    zsmallocClasses: run.results.filter((r) => r.classes).map((r) => ({ label: r.label, classes: r.classes })),
  };
}
