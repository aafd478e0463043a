import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../cli/progress.js';

function fakeTerminal() {
  const writes: string[] = [];
  return { writes, stream: { write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream };
}

describe('progress line', () => {
  it('redraws one line in place with states, states/s, queue, depth and elapsed time', () => {
    const t = fakeTerminal();
    const line = new ProgressLine(t.stream, 'two-size-classes (zpdesc)');
    line.update({ distinctStates: 1_500_000, transitions: 4_000_000, queued: 12_345, depth: 41, elapsedMs: 3_000 });
    expect(t.writes).toEqual(['\r\x1b[2Ktwo-size-classes (zpdesc): 1,500,000 states, 500,000 states/s, queue 12,345, depth 41, 3.0 s']);
    line.clear();
    expect(t.writes.at(-1)).toBe('\r\x1b[2K');
    line.clear();
    expect(t.writes).toHaveLength(2);
  });

  it('is never wanted with --json or when output is not a terminal', () => {
    const saved = [process.stdout.isTTY, process.stderr.isTTY];
    try {
      process.stdout.isTTY = true;
      process.stderr.isTTY = true;
      expect(ProgressLine.wanted(false)).toBe(true);
      expect(ProgressLine.wanted(true)).toBe(false);
      process.stdout.isTTY = false;
      expect(ProgressLine.wanted(false)).toBe(false);
    } finally {
      [process.stdout.isTTY, process.stderr.isTTY] = saved;
    }
  });
});
