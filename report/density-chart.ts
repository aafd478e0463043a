/**
 * The density comparison as pictures: horizontal bars of pages used per allocator row, and for
 * zsmalloc a histogram of pages per size class. Plain SVG (no script, no external resource) so the
 * file opens anywhere; the HTML page puts the same rows' table beside it. Each bar carries its row
 * label and page count as data attributes, so a test can check the drawing against the table.
 */
import { effectiveRatio, type DensityResult } from '../model/density/types.js';
import { formatCount } from './table.js';
import { DENSITY_COLUMNS, densityRowCells, densityRows, describeInput, type DensityReport } from './density-table.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLORS: Record<string, string> = { zsmalloc: '#3b6ea8', zbud: '#c0504d', z3fold: '#d79b00', xvmalloc: '#6a8f3a' };

const WIDTH = 760;

function barsSvg(rows: readonly DensityResult[], idealPages: number): string {
  const left = 220;
  const right = 150;
  const rowH = 28;
  const top = 34;
  const plot = WIDTH - left - right;
  const max = Math.max(1, ...rows.map((r) => r.pages), idealPages);
  const height = top + rows.length * rowH + 34;
  const scale = (p: number) => (p / max) * plot;
  const bars = rows
    .map((r, i) => {
      const y = top + i * rowH;
      const w = scale(r.pages);
      return [
        `<g class="bar" data-label="${esc(r.label)}" data-pages="${r.pages}">`,
        `<title>${esc(r.label)}: ${formatCount(r.pages)} pages, ratio ${effectiveRatio(r).toFixed(2)}x</title>`,
        `<text class="bar-label" x="${left - 8}" y="${y + 18}" text-anchor="end">${esc(r.label)}</text>`,
        `<rect class="bar-rect" x="${left}" y="${y + 4}" width="${w.toFixed(3)}" height="${rowH - 8}" fill="${COLORS[r.allocator]}"/>`,
        `<text class="bar-value" x="${left + w + 6}" y="${y + 18}">${formatCount(r.pages)} pages, ${effectiveRatio(r).toFixed(2)}x</text>`,
        `</g>`,
      ].join('');
    })
    .join('\n');
  const ix = left + scale(idealPages);
  const iy = top + rows.length * rowH;
  const ideal = `<g class="ideal" data-pages="${idealPages}"><line x1="${ix.toFixed(3)}" x2="${ix.toFixed(3)}" y1="${top}" y2="${iy}" stroke="#333" stroke-dasharray="4 3"/><text x="${ix.toFixed(3)}" y="${iy + 16}" text-anchor="middle">ideal ${formatCount(idealPages)}</text></g>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="density-bars" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">Pages used per allocator (fewer is denser)</text>`,
    bars,
    ideal,
    `</svg>`,
  ].join('\n');
}

function histogramSvg(r: DensityResult): string {
  const classes = r.classes ?? [];
  const left = 60;
  const top = 34;
  const plotH = 180;
  const plotW = WIDTH - left - 20;
  const height = top + plotH + 50;
  const max = Math.max(1, ...classes.map((c) => c.pages));
  const minSize = 0;
  const maxSize = r.pageSize;
  const x = (size: number) => left + ((size - minSize) / (maxSize - minSize)) * plotW;
  const bw = Math.max(1.5, (plotW / 256) * 0.8);
  const bars = classes
    .map((c) => {
      const h = (c.pages / max) * plotH;
      return `<rect class="class-bar" data-size="${c.size}" data-pages="${c.pages}" data-objects="${c.objects}" x="${(x(c.size) - bw).toFixed(2)}" y="${(top + plotH - h).toFixed(2)}" width="${bw.toFixed(2)}" height="${h.toFixed(2)}" fill="${COLORS.zsmalloc}"><title>class ${c.index}: ${c.size} bytes, ${c.pagesPerZspage} pages/zspage, ${c.objsPerZspage} objects/zspage; ${formatCount(c.objects)} objects in ${formatCount(c.pages)} pages</title></rect>`;
    })
    .join('\n');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const s = Math.round(minSize + f * (maxSize - minSize));
      return `<text x="${x(s).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${s}</text>`;
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="density-classes" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(r.label)}: pages per size class</text>`,
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end">${formatCount(max)}</text><text x="${left - 6}" y="${top + plotH}" text-anchor="end">0</text>`,
    bars,
    ticks,
    `<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle">class size (bytes)</text>`,
    `</svg>`,
  ].join('\n');
}

/** The bar chart and the per-class histogram of zsmalloc at the kernel's default chain size, stacked in one SVG. */
export function renderDensitySvg(report: DensityReport): string {
  const bars = barsSvg(densityRows(report), Math.ceil(report.run.results[0].storedBytes / report.run.pageSize));
  const zs = report.run.results.find((r) => r.label === 'zsmalloc chain 8') ?? report.run.results.find((r) => r.classes);
  const parts = [bars, ...(zs ? [histogramSvg(zs)] : [])];
  // Stack the pictures in one document by nesting them at increasing y.
  let y = 0;
  const nested: string[] = [];
  for (const p of parts) {
    const h = Number(/height="([0-9.]+)"/.exec(p)![1]);
    nested.push(p.replace('<svg ', `<svg y="${y}" `));
    y += h + 10;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}">\n<rect width="100%" height="100%" fill="white"/>\n${nested.join('\n')}\n</svg>\n`;
}

export function renderDensityHtml(report: DensityReport): string {
  const rows = densityRows(report);
  const head = DENSITY_COLUMNS.map((c) => `<th${c.align === 'right' ? ' class="num"' : ''}>${esc(c.header)}</th>`).join('');
  const body = rows
    .map((r) => `<tr data-label="${esc(r.label)}">${densityRowCells(r).map((cell, i) => `<td${DENSITY_COLUMNS[i].align === 'right' ? ' class="num"' : ''}>${esc(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  const zs = report.run.results.find((r) => r.label === 'zsmalloc chain 8') ?? report.run.results.find((r) => r.classes);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>memdesc-mc density</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { white-space: nowrap; padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
p.input { margin: 0.2em 0; color: #444; }
</style>
</head>
<body>
<h1>Density: pages used for one stream of compressed pages</h1>
${describeInput(report).map((l) => `<p class="input">${esc(l)}</p>`).join('\n')}
<table id="density-table">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<figure id="density-bars">
${barsSvg(rows, Math.ceil(report.run.results[0].storedBytes / report.run.pageSize))}
</figure>
${zs ? `<figure id="density-classes">\n${histogramSvg(zs)}\n</figure>` : ''}
</body>
</html>
`;
}
