import { describe, expect, it } from 'vitest';
import { densityProgress } from '../../report/density-progress.js';

function sink() {
  const out: string[] = [];
  return { out, write: (s: string) => out.push(s) };
}

describe('density progress bar', () => {
  it('stays silent for the first second, then redraws one line in place and erases it at the end', () => {
    let t = 0;
    const s = sink();
    const bar = densityProgress(s, 'compressing d', { enabled: true, now: () => t });
    bar.update({ bytesDone: 10, bytesTotal: 100, pages: 1 });
    t = 999;
    bar.update({ bytesDone: 20, bytesTotal: 100, pages: 2 });
    expect(s.out).toEqual([]);
    t = 1000;
    bar.update({ bytesDone: 50, bytesTotal: 100, pages: 1234 });
    expect(s.out).toEqual([`\r\x1b[2Kcompressing d [${'#'.repeat(15)}${' '.repeat(15)}] 50%  1,234 pages`]);
    bar.done();
    expect(s.out.at(-1)).toBe('\r\x1b[2K');
    expect(s.out.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('draws nothing when disabled (a pipe, or --json), however long it takes', () => {
    let t = 0;
    const s = sink();
    const bar = densityProgress(s, 'x', { enabled: false, now: () => t });
    t = 60_000;
    bar.update({ bytesDone: 1, bytesTotal: 2, pages: 1 });
    bar.done();
    expect(s.out).toEqual([]);
  });
});
