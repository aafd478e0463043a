import type { Progress } from '../explorer/index.js';
import { formatCount } from '../report/table.js';

/**
 * A one-line progress display for long runs, redrawn in place on a terminal. Never used with
 * --json or when output is piped: there it would only be noise in a log.
 */
export class ProgressLine {
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream, private readonly label: string) {}

  static wanted(json: boolean): boolean {
    return !json && process.stdout.isTTY === true && process.stderr.isTTY === true;
  }

  update = (p: Progress): void => {
    const rate = p.elapsedMs > 0 ? (p.distinctStates * 1000) / p.elapsedMs : 0;
    const line = `${this.label}: ${formatCount(p.distinctStates)} states, ${formatCount(rate)} states/s, queue ${formatCount(p.queued)}, depth ${p.depth}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  };

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
