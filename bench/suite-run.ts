import { loadRegistry } from '../cli/registry.js';
import { executeRuns } from '../cli/parallel-runs.js';
import { planRuns } from '../cli/runs.js';
import { threadCpuMs } from '../explorer/parallel/thread-cpu.js';

/**
 * The whole default suite as `memdesc-mc check --workers N` runs it (N: the first argument),
 * in this process, for `bench/run.ts`, which starts a fresh process per suite so that neither
 * count finds the other's compiled code. Prints one JSON line: the runs, their distinct states,
 * how many missed their expectation, the wall-clock time, the process's CPU time and this
 * thread's (null where /proc does not tell it); the registry's loading is outside all three.
 */
export interface SuiteRun {
  readonly workers: number;
  readonly runs: number;
  readonly states: number;
  readonly unmet: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly mainCpuMs: number | null;
}

const workers = Number(process.argv[2]);
const source = await loadRegistry();
const planned = planRuns(source, { scenarios: [] });
const cpuBefore = process.cpuUsage();
const mainBefore = threadCpuMs();
const start = performance.now();
const finished = await executeRuns(source, planned, {}, workers, () => {});
const wallMs = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
const mainAfter = threadCpuMs();
const out: SuiteRun = {
  workers,
  runs: finished.length,
  states: finished.reduce((a, f) => a + f.result.stats.distinctStates, 0),
  unmet: finished.filter((f) => !f.met).length,
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  mainCpuMs: mainBefore !== null && mainAfter !== null ? mainAfter - mainBefore : null,
};
console.log(JSON.stringify(out));
