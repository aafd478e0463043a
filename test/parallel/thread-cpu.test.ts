import { describe, expect, it } from 'vitest';
import { cpuMsOfStat, threadCpuMs } from '../../explorer/parallel/thread-cpu.js';

// Per-thread CPU time from /proc (the bench's account of a parallel search's threads). The
// stat line's layout is proc(5)'s; utime and stime are fields 14 and 15, in 1/100 s.

describe('thread CPU time', () => {
  it('reads utime + stime (fields 14 and 15) in ms, counting fields after the last ")" so a name with spaces and parentheses does not shift them', () => {
    const rest = 'R 1 1 1 0 -1 4194304 130 0 0 0 250 37 0 0 20 0 1 0 4596894';
    expect(cpuMsOfStat(`17375 (node) ${rest}`)).toBe(2870);
    expect(cpuMsOfStat(`17375 (a) b (c) ${rest}`)).toBe(2870);
  });

  it('a line that is not a stat line, or a file that cannot be read, gives null', () => {
    expect(cpuMsOfStat('no name here')).toBeNull();
    expect(cpuMsOfStat('1 (x) R 1')).toBeNull();
    expect(threadCpuMs('/nonexistent/stat')).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('on Linux, this thread\'s CPU time grows with work it does (a busy loop of 60 ms of CPU by the process clock)', () => {
    const before = threadCpuMs()!;
    const cpu0 = process.cpuUsage();
    let x = 0;
    while ((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000 < 60) x += Math.sqrt(x + 1);
    const after = threadCpuMs()!;
    expect(x).toBeGreaterThan(0);
    expect(after - before).toBeGreaterThanOrEqual(30);
  });
});
