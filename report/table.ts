import { padEnd, padStart } from './color.js';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** A plain text table: header, rule, rows; columns as wide as their widest cell. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i].align === 'right' ? padStart(cell, widths[i]) : padEnd(cell, widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function visible(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
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
 * push the rest of their row right.
 */
export class StreamingTable {
  private readonly widths: number[];
  constructor(private readonly columns: readonly Column[], minWidths: readonly number[], private readonly write: (line: string) => void) {
    this.widths = columns.map((c, i) => Math.max(c.header.length, minWidths[i] ?? 0));
    this.write(this.line(columns.map((c) => c.header)));
    this.write(this.line(this.widths.map((w) => '-'.repeat(w))));
  }

  row(cells: readonly string[]): void {
    this.write(this.line(cells));
  }

  private line(cells: readonly string[]): string {
    return cells
      .map((cell, i) => (this.columns[i].align === 'right' ? padStart(cell, this.widths[i]) : padEnd(cell, this.widths[i])))
      .join('  ')
      .trimEnd();
  }
}
