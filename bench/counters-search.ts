import { check, type CheckResult } from '../explorer/index.js';
import { parallelBfs } from '../explorer/parallel/index.js';
import type { ParallelTiming } from '../explorer/parallel/level-timing.js';
import { threadCpuMs } from '../explorer/parallel/thread-cpu.js';
import { coupledCounters } from './coupled-counters.js';

/**
 * One search of the coupled-counters space in this process, for `bench/run.ts`, which starts
 * a fresh process per search: a user's `check` runs one search per process, and two searches
 * in one process would share the compiled code, which the second finds polymorphic (two kinds
 * of visited set) and slower. Prints one JSON line: the verdict, the statistics, the wall-clock
 * time around the search (thread start included) and the process's CPU time over it.
 *
 * Arguments: workers (1: the single-threaded `check`), then k, n, lead.
 */
export interface CountersSearch {
  readonly workers: number;
  readonly result: Pick<CheckResult, 'verdict' | 'stats'>;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** With workers: where the threads' wall-clock time went. */
  readonly timing?: ParallelTiming;
  /** Single-threaded: the main thread's CPU time over the search (null where /proc does not
   *  tell it); with workers it is in `timing`. */
  readonly mainCpuMs?: number | null;
}

const [workers, k, n, lead] = process.argv.slice(2).map(Number);
const sys = coupledCounters(k, n, lead);
const cpuBefore = process.cpuUsage();
const mainBefore = threadCpuMs();
const start = performance.now();
// Throughput of the safety search; the progress pass (explorer/liveness.ts) is measured apart.
const par = workers === 1 ? null
  : await parallelBfs(sys, { module: new URL('./coupled-counters.js', import.meta.url).href, export: 'coupledCounters', args: [k, n, lead] }, { workers });
const result = par === null ? check(sys, { checkProgress: false }) : par.result;
const wallMs = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
const mainAfter = threadCpuMs();
const out: CountersSearch = { workers, result: { verdict: result.verdict, stats: result.stats }, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, timing: par?.timing,
  mainCpuMs: par === null && mainBefore !== null && mainAfter !== null ? mainAfter - mainBefore : undefined };
console.log(JSON.stringify(out));
