import { padEnd, padStart, visibleLength } from './color.js';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** Left out, rightmost first, when the table does not fit its width even with wrapping. */
  readonly optional?: boolean;
}

/** How wide a table may be and which column gives way (its cells wrap onto more lines). */
export interface Fit {
  readonly maxWidth?: number;
  /** Index of the column that wraps when the table is too wide (the title column). */
  readonly wrap: number;
}

const GAP = 2;
/** A wrapped column never gets narrower than this, however narrow the terminal. */
const MIN_WRAP = 12;

/**
 * The width the output should fit: $COLUMNS when set (users and scripts set it on purpose),
 * else the terminal's width, else none (piped output keeps whole lines for grep).
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const c = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(c) && c > 0) return c;
  return stream.isTTY === true && stream.columns ? stream.columns : undefined;
}

/**
 * Column widths that fit `fit.maxWidth`: optional columns get width 0 (left out), rightmost
 * first, then the wrap column is narrowed (its cells wrap).
 */
function fitWidths(columns: readonly Column[], widths: number[], fit: Fit | undefined): number[] {
  if (!fit?.maxWidth) return widths;
  const out = [...widths];
  const total = () => out.reduce((a, b) => a + b, 0) + GAP * (out.filter((w) => w > 0).length - 1);
  const optional = columns.map((c, i) => (c.optional ? i : -1)).filter((i) => i >= 0).reverse();
  for (;;) {
    const over = total() - fit.maxWidth;
    if (over <= 0) return out;
    if (optional.length === 0) {
      out[fit.wrap] = Math.max(MIN_WRAP, out[fit.wrap] - over);
      // Still too wide at the narrowest wrap: the title goes too (the fixed columns are what
      // the reader needs; `--json` has everything).
      if (total() > fit.maxWidth) out[fit.wrap] = 0;
      return out;
    }
    out[optional.shift()!] = 0;
  }
}

/** A cell split into lines of at most `width` visible characters (at spaces when possible). */
export function wrapCell(cell: string, width: number): string[] {
  if (visibleLength(cell) <= width || width < 1) return [cell];
  // eslint-disable-next-line no-control-regex
  const plain = cell.replace(/\x1b\[[0-9;]*m/g, '');
  const lines: string[] = [];
  let rest = plain;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) lines.push(rest);
  return lines;
}

function renderLines(columns: readonly Column[], widths: readonly number[], cells: readonly string[], fit: Fit | undefined): string[] {
  const wrapped = fit && widths[fit.wrap] > 0 ? wrapCell(cells[fit.wrap] ?? '', widths[fit.wrap]) : [];
  const count = Math.max(1, wrapped.length);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const row = columns.map((_, i) => (fit && i === fit.wrap ? wrapped[k] ?? '' : k === 0 ? cells[i] ?? '' : ''));
    out.push(row
      .map((cell, i) => (columns[i].align === 'right' ? padStart(cell, widths[i]) : padEnd(cell, widths[i])))
      .filter((_, i) => widths[i] > 0)
      .join(' '.repeat(GAP))
      .trimEnd());
  }
  return out;
}

/** A plain text table: header, rule, rows; columns as wide as their widest cell, the wrap column
 *  narrowed (its cells wrapped) when the table would be wider than `fit.maxWidth`. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], fit?: Fit): string {
  const widths = fitWidths(columns, columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => visibleLength(r[i] ?? '')))), fit);
  return [
    ...renderLines(columns, widths, columns.map((c) => c.header), fit),
    ...renderLines(columns, widths, widths.map((w) => '-'.repeat(w)), undefined),
    ...rows.flatMap((r) => renderLines(columns, widths, r, fit)),
  ].join('\n');
}

/** 12345678 -> "12,345,678": state counts are read at a glance. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
}

/**
 * A table printed row by row as results arrive (a long suite shows progress in its output), with
 * widths fixed up front from what is known before the runs: cells that turn out wider simply
 * push the rest of their row right (the wrap column wraps instead).
 */
export class StreamingTable {
  private readonly widths: number[];
  constructor(private readonly columns: readonly Column[], minWidths: readonly number[], private readonly write: (line: string) => void, private readonly fit?: Fit) {
    this.widths = fitWidths(columns, columns.map((c, i) => Math.max(c.header.length, minWidths[i] ?? 0)), fit);
    for (const l of renderLines(columns, this.widths, columns.map((c) => c.header), fit)) this.write(l);
    for (const l of renderLines(columns, this.widths, this.widths.map((w) => '-'.repeat(w)), undefined)) this.write(l);
  }

  row(cells: readonly string[]): void {
    for (const l of renderLines(this.columns, this.widths, cells, this.fit)) this.write(l);
  }
}
