/**
 * The progress bar `density --corpus` draws on a terminal: nothing for the first second (a small
 * corpus should not flash a bar), then one line redrawn in place, erased when done.
 */
import type { CorpusProgress } from '../model/density/corpus.js';
import { formatCount } from './table.js';

export interface ProgressSink {
  write(s: string): unknown;
}

export function densityProgress(sink: ProgressSink, label: string, opts: { enabled: boolean; delayMs?: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const start = now();
  const delay = opts.delayMs ?? 1000;
  let shown = false;
  return {
    update(p: CorpusProgress): void {
      if (!opts.enabled || now() - start < delay) return;
      const f = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 1;
      const width = 30;
      const fill = Math.round(f * width);
      sink.write(`\r\x1b[2K${label} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${(f * 100).toFixed(0)}%  ${formatCount(p.pages)} pages`);
      shown = true;
    },
    done(): void {
      if (shown) sink.write('\r\x1b[2K');
      shown = false;
    },
  };
}
