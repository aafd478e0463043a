import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux architecture that
 *  Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) the calling thread has used so far, from /proc/thread-self/stat
 * (Linux only; null elsewhere or when it cannot be read). In steps of 10 ms. Node 20 has no
 * per-thread CPU clock; the bench uses this to tell the two threads of a parallel search and
 * the process's other threads (the compiler's, the collector's) apart.
 */
export function threadCpuMs(path = '/proc/thread-self/stat'): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return cpuMsOfStat(text);
}

/** utime + stime of a /proc stat line, in ms; null when the line is not one. The command name
 *  (field 2, in parentheses) may hold spaces and parentheses itself: fields are counted from
 *  the last ')'. */
export function cpuMsOfStat(text: string): number | null {
  const end = text.lastIndexOf(')');
  if (end < 0) return null;
  const fields = text.slice(end + 2).trim().split(' ');
  // After the name: state (3), ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt,
  // majflt, cmajflt, utime (14), stime (15).
  const utime = Number(fields[11]), stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) return null;
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}
